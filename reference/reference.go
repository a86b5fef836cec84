package reference

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// ErrParam reports an invalid request (unknown channel, no EEG channel).
var ErrParam = errors.New("invalid reference")

// electrodeTypes are the types MNE re-references, in the order its
// ch_type="auto" tries them.
var electrodeTypes = []raw.ChannelType{raw.EEG, raw.Ecog, raw.Seeg, "dbs"}

// targets returns the channels to re-reference: those of the first
// electrode type present.
func targets(r *raw.Raw) ([]int, error) {
	for _, t := range electrodeTypes {
		var idx []int
		for i, c := range r.Channels {
			if c.Type == t {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			return idx, nil
		}
	}
	return nil, fmt.Errorf("reference: %w: the recording has no EEG, ECoG, sEEG or DBS channel", ErrParam)
}

// Average subtracts, at every sample, the mean of the EEG channels from
// each EEG channel (MNE's set_eeg_reference("average")).
func Average(r *raw.Raw) error {
	to, err := targets(r)
	if err != nil {
		return err
	}
	return apply(r, to, to)
}

// To subtracts, at every sample, the mean of the named channels from each
// EEG channel (MNE's set_eeg_reference([names...])). The reference channels
// stay in the recording (a single one becomes flat zero), as in MNE.
func To(r *raw.Raw, names ...string) error {
	if len(names) == 0 {
		return fmt.Errorf("reference: %w: no reference channel named", ErrParam)
	}
	to, err := targets(r)
	if err != nil {
		return err
	}
	from := make([]int, len(names))
	for k, n := range names {
		i := r.Index(n)
		if i < 0 {
			return fmt.Errorf("reference: %w: unknown channel %q (channels: %s)", ErrParam, n, strings.Join(r.ChannelNames(), ", "))
		}
		from[k] = i
	}
	return apply(r, from, to)
}

func apply(r *raw.Raw, from, to []int) error {
	if err := checkFinite(r, from); err != nil {
		return err
	}
	ref := make([]float64, r.NSamples)
	for _, c := range from {
		for i, v := range r.Data[c] {
			ref[i] += v
		}
	}
	n := float64(len(from))
	for i := range ref {
		ref[i] /= n // divide, as numpy's mean does
	}
	for _, c := range to {
		d := r.Data[c]
		for i := range d {
			d[i] -= ref[i]
		}
	}
	return nil
}

func checkFinite(r *raw.Raw, chans []int) error {
	for _, c := range chans {
		for i, v := range r.Data[c] {
			if v != v || v > 1e300 || v < -1e300 {
				return fmt.Errorf("reference: channel %q sample %d is %v: %w", r.Channels[c].Name, i, v, ErrParam)
			}
		}
	}
	return nil
}
