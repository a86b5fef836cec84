package cov

import "fmt"

// Augment returns the delay-embedded trials of MOABB's
// AugmentedDataset(order, lag).transform (moabb/pipelines/features.py),
// used for augmented covariance matrices (Carrara & Papadopoulo 2023).
//
// For order 1 it returns trials itself, as MOABB does, and lag is ignored.
// For order > 1 each trial of C channels × T samples becomes order·C
// channels × (T - order·lag) samples: block k (k = 0 … order-1) holds
// samples [k·lag, T-(order-k)·lag) of every channel, blocks stacked in
// order of k. (Like MOABB, the last lag samples never enter any block.)
//
// The returned channels are sub-slices of the input, capped at their
// length: no sample is copied, and writing to them writes to trials.
//
// Errors wrap ErrParam for order < 1 or lag < 1, and ErrShape for an
// empty or ragged trial or one with no more than order·lag samples.
func Augment(trials [][][]float64, order, lag int) ([][][]float64, error) {
	if order < 1 {
		return nil, fmt.Errorf("%w: augmentation order %d, want ≥ 1", ErrParam, order)
	}
	if order == 1 {
		return trials, nil
	}
	if lag < 1 {
		return nil, fmt.Errorf("%w: augmentation lag %d, want ≥ 1", ErrParam, lag)
	}
	n := 0
	for i, tr := range trials {
		if len(tr) == 0 {
			return nil, fmt.Errorf("%w: trial %d has no channels", ErrShape, i)
		}
		nt := len(tr[0])
		for c, ch := range tr {
			if len(ch) != nt {
				return nil, fmt.Errorf("%w: trial %d: channel %d has %d samples, channel 0 has %d",
					ErrShape, i, c, len(ch), nt)
			}
		}
		if order >= nt || lag >= nt || order*lag >= nt {
			return nil, fmt.Errorf("%w: trial %d has %d samples, augmentation needs more than order·lag = %d·%d",
				ErrShape, i, nt, order, lag)
		}
		n += len(tr) * order
	}
	chans := make([][]float64, n)
	out := make([][][]float64, len(trials))
	for i, tr := range trials {
		p := len(tr)
		m := len(tr[0]) - order*lag
		aug := chans[: p*order : p*order]
		chans = chans[p*order:]
		for k := range order {
			s := k * lag
			for c, ch := range tr {
				aug[k*p+c] = ch[s : s+m : s+m]
			}
		}
		out[i] = aug
	}
	return out, nil
}
