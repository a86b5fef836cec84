// Package online decodes a live multichannel stream with a model trained by
// `bcikit train`: a ring buffer of samples, causal band-pass filtering whose
// state is carried from chunk to chunk, sliding (and cue-triggered) windows,
// one decision per window with its latency, smoothing of decisions, markers
// carried through, and the pseudo-online evaluation of a recording.
//
// # Causal filtering
//
// A model's paradigm band-passes its training trials with MNE's IIR filter
// (a 4th-order Butterworth band-pass in second-order sections, see
// dsp.CreateIIRFilter) applied forward and backward. Forward-backward
// filtering needs the future of the signal and cannot run online, so this
// package applies the same sections in the forward direction only, as
// scipy.signal.sosfilt, starting from sosfilt_zi scaled by each channel's
// first sample (no start-up transient on a DC offset). The state of every
// section is carried from one chunk to the next, so the filtered stream is
// bit for bit dsp.SOSFilt of the concatenated signal whatever the chunk
// sizes. The output is delayed and phase-shifted with respect to the
// offline zero-phase filter: a model trained offline sees slightly
// different trials online (the pseudo-online evaluation measures the
// effect).
//
// # Windows and decisions
//
// Samples are numbered from 0, the first sample of the stream. A window of
// L samples ending at End covers the samples [End−L, End). Sliding windows
// end at L, L+S, L+2S, … for a step of S samples. With Config.Trigger the
// decoder also decodes the paradigm's trial window after every marker whose
// code is a class of the model (samples round(TMin·sfreq) to round(TMax·sfreq)
// after the cue, as paradigm.Cut and MNE's Epochs cut them).
//
// Each window is multiplied by the paradigm's Scale (volts to µV) and given
// to the model's pipeline: decode.Data.Trials, or decode.Data.Bands (one
// causal filter per band) for filter-bank pipelines. A Decision holds the
// predicted class, the pipeline's two-class score when it has one, the
// latency from the arrival of the window's last sample to the decision, and
// the stream markers that arrived since the previous decision.
//
// A Decoder runs on one stream (package stream's Source, or anything else
// that delivers channel-major chunks):
//
//	dec, err := online.NewDecoder(model, header.Channels, header.SFreq, online.Config{Step: 0.1})
//	for {
//		c, err := src.Next(ctx)
//		// ... io.EOF ends the stream
//		markers = markers[:0]
//		for _, m := range c.Markers {
//			markers = append(markers, online.Marker(m))
//		}
//		decisions, err := dec.Push(c.Start, c.Data, time.Now(), markers)
//		// ... errors.Is(err, online.ErrInput): a gap; dec.Restart(c.Start)
//	}
//
// The decoder checks every chunk (channel count, lengths, continuity of the
// sample numbers, finite samples) and refuses a bad one without changing
// its state. Apart from what the model's pipeline allocates per window, Push
// allocates nothing per chunk in steady state; Ring and Filter allocate
// nothing at all.
//
// # Pseudo-online evaluation
//
// Evaluate follows the pseudo-online framework of Carrara and Papadopoulo
// ("Pseudo-online framework for BCI evaluation: a MOABB perspective", 2023):
// sliding windows over a whole recording, each labelled with the class of
// most of its samples, a sample being of a trial's class inside
// [cue+TMin, cue+TMax] and idle elsewhere (a tie goes to the label found
// latest in the window). It reports the accuracy and balanced accuracy of
// the task windows, the normalised Matthews correlation coefficient over all
// windows with idle as a class (the paper's nMCC), Wolpaw's ITR, false
// activations per minute of idle windows, and the accuracy of the cue
// windows (the trials as offline decoding cuts them, filtered causally).
//
// # Differences from the references
//
// The filter is causal where the model was trained on MNE's zero-phase
// filter (see above). The paper's own code is not published; the labelling
// rule (majority of samples), ITR per window length (not per step:
// overlapping windows are not independent selections) and false activations
// per idle minute (an idle window predicted as a class that is not in
// Labels.Rest; a model without a rest class thus activates on every idle
// window) are bcikit's reading of it, checked against a NumPy/sklearn
// transcription (testdata/gen/online.py) that labels sample by sample.
// Decisions carry the pipeline's two-class Score only: decode's pipelines
// give no per-class probabilities.
package online
