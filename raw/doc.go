// Package raw holds bcikit's in-memory model of a continuous recording: the
// channels, their types, units and sampling rates, the measurement start
// time, the annotations and the samples themselves, in SI units (volts for
// EEG, as MNE-Python stores them).
//
// Every file reader in bcikit (edf, gdf, brainvision, fif, ...) produces the
// same two things: a [Reader], which exposes the header ([Info]) and reads any
// time window on demand, and — through [ReadAll] — a fully loaded [Raw].
// Nothing downstream of a reader knows which format the data came from.
//
// # Memory layout
//
// [Raw.Data] is channel-major: Data[ch][sample], one contiguous []float64
// per channel. This is the layout of MNE-Python's (n_channels, n_times)
// arrays and it is what the processing that follows wants: filters,
// resamplers and spectra run along one channel at a time, and channels are
// independent, so each channel is one cache-friendly slice that a worker
// goroutine can own. Picking or dropping channels is a slice-header copy,
// never a copy of samples. The cost is that a per-sample "all channels"
// view (what a live stream produces) has to be transposed once, which is
// cheap next to any filtering.
//
// # Time conventions
//
// Sample indices in [Event] follow MNE: they count from the start of the
// acquisition, so they include [Info.FirstSample] (non-zero only for FIF
// files cut from a longer acquisition). [Annotation.Onset] is likewise in
// seconds from the acquisition start, as in MNE's raw.annotations.onset.
// Index 0 of Data is sample FirstSample.
package raw
