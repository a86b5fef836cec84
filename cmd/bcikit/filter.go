package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/preprocess"
	"github.com/bcikit/bcikit/reference"
)

func init() {
	register(&command{
		name: "filter",
		summary: "Clean a recording as MNE does — notch filter, band-pass/high-pass/low-pass filter (raw.filter defaults), resample, re-reference — " +
			"in that order, and write it as .edf, .bdf or .csv (by OUT's extension).",
		usage: "IN OUT [--l-freq F] [--h-freq F] [--method fir|iir] [--order N] [--notch 50,100] [--resample HZ] [--reref average|CH,...]",
		run:   runFilter,
	})
}

func runFilter(args []string, stdout io.Writer) error {
	fs := newFlags(commands["filter"], stdout)
	lf := fs.String("l-freq", "", "high-pass edge in Hz (omit for a low-pass)")
	hf := fs.String("h-freq", "", "low-pass edge in Hz (omit for a high-pass)")
	method := fs.String("method", "fir", "fir (MNE's default zero-phase FIR) or iir (Butterworth, forward-backward)")
	order := fs.Int("order", 0, "Butterworth order for --method iir (default 4, MNE's)")
	notch := fs.String("notch", "", "comma-separated line frequencies to notch out (Hz), as raw.notch_filter")
	rs := fs.String("resample", "", "new sampling rate in Hz, as raw.resample")
	reref := fs.String("reref", "", "re-reference EEG: average, or comma-separated reference channels")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	var l, h float64
	if l, err = optFreq("l-freq", *lf); err != nil {
		return err
	}
	if h, err = optFreq("h-freq", *hf); err != nil {
		return err
	}
	var m preprocess.Method
	switch strings.ToLower(*method) {
	case "fir":
		m = preprocess.FIR
		if *order != 0 {
			return fmt.Errorf("%w: --order applies to --method iir only", errUsage)
		}
	case "iir":
		m = preprocess.IIR
	default:
		return fmt.Errorf("%w: --method %q: want fir or iir", errUsage, *method)
	}
	var notches []float64
	for _, s := range splitList(*notch) {
		f, err := optFreq("notch", s)
		if err != nil {
			return err
		}
		notches = append(notches, f)
	}
	newRate, err := optFreq("resample", *rs)
	if err != nil {
		return err
	}
	if l == 0 && h == 0 && len(notches) == 0 && newRate == 0 && *reref == "" {
		return fmt.Errorf("%w: nothing to do: give --l-freq/--h-freq, --notch, --resample or --reref", errUsage)
	}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, err := format.Read(in)
	if err != nil {
		return err
	}
	if len(notches) > 0 {
		if err := preprocess.Notch(r, notches); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
	}
	if l != 0 || h != 0 {
		if *order != 0 {
			err = preprocess.FilterIIR(r, l, h, *order)
		} else {
			err = preprocess.Filter(r, l, h, m)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
	}
	if newRate != 0 {
		if err := preprocess.Resample(r, newRate); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
	}
	switch ref := strings.TrimSpace(*reref); {
	case ref == "":
	case strings.EqualFold(ref, "average"):
		err = reference.Average(r)
	default:
		err = reference.To(r, splitList(ref)...)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	r.Rebase()
	return format.Create(pos[1], r)
}

// optFreq parses an optional frequency flag: "" is 0 (none).
func optFreq(name, s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "none") {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return 0, fmt.Errorf("%w: --%s %q: want a positive frequency in Hz", errUsage, name, s)
	}
	return f, nil
}
