// Package epochs cuts a continuous recording into trials around events, as
// mne.Epochs does: the same sample alignment, baseline correction,
// decimation and peak-to-peak rejection, with a drop log that says which
// events were dropped and why.
//
//	events, ids, err := r.EventsFromAnnotations(map[string]int{"T1": 1, "T2": 2})
//	ep, err := epochs.New(r, events, ids, epochs.Options{TMin: -1, TMax: 4, Baseline: &epochs.DefaultBaseline})
//	x := ep.Data // [epoch][channel][time], volts
package epochs
