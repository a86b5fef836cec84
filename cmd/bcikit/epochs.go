package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/epochs"
	"github.com/bcikit/bcikit/fif"
	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/atomicfile"
	"github.com/bcikit/bcikit/npy"
	"github.com/bcikit/bcikit/raw"
)

func init() {
	register(&command{
		name:    "epochs",
		summary: "Cut a recording into epochs around events and write them as NumPy .npy (epochs×channels×times, float64) plus OUT.labels.npy.",
		usage:   "IN OUT.npy --event NAME=CODE [--event ...] --tmin S --tmax S [--baseline A,B|none] [--reject V] [--flat V] [--decim N] [--picks A,B] [--events FILE-eve.fif]",
		run:     runEpochs,
	})
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func runEpochs(args []string, stdout io.Writer) error {
	fs := newFlags(commands["epochs"], stdout)
	var events listFlag
	fs.Var(&events, "event", "NAME=CODE: annotation description NAME becomes label CODE (repeat for each class); with --events, NAME=CODE names a code of the events file")
	tmin := fs.String("tmin", "", "epoch start in seconds relative to the event (required)")
	tmax := fs.String("tmax", "", "epoch end in seconds relative to the event, included (required)")
	baseline := fs.String("baseline", "", "baseline interval A,B in seconds (empty side or None = epoch edge), or none; default MNE's None,0 when tmin < 0, none otherwise")
	reject := fs.String("reject", "", "drop epochs whose peak-to-peak amplitude exceeds V volts on an EEG channel; or TYPE=V,TYPE=V (eeg=150e-6,eog=250e-6)")
	flat := fs.String("flat", "", "drop epochs whose peak-to-peak amplitude is below V volts on an EEG channel; or TYPE=V,...")
	decim := fs.Int("decim", 1, "keep every N-th sample (after baseline correction, as MNE)")
	picks := fs.String("picks", "", "comma-separated channels to keep (default all)")
	eventsFile := fs.String("events", "", "read events from an MNE events file (*-eve.fif) instead of the annotations")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		return fmt.Errorf("%w: at least one --event NAME=CODE is needed", errUsage)
	}
	if *tmin == "" || *tmax == "" {
		return fmt.Errorf("%w: --tmin and --tmax are required", errUsage)
	}
	var opt epochs.Options
	if opt.TMin, err = parseSeconds("tmin", *tmin); err != nil {
		return err
	}
	if opt.TMax, err = parseSeconds("tmax", *tmax); err != nil {
		return err
	}
	opt.Decim = *decim
	if opt.Baseline, err = parseBaseline(*baseline, opt.TMin); err != nil {
		return err
	}
	if opt.Reject, err = parseThresholds("reject", *reject); err != nil {
		return err
	}
	if opt.Flat, err = parseThresholds("flat", *flat); err != nil {
		return err
	}
	ids := map[string]int{}
	for _, e := range events {
		name, code, ok := strings.Cut(e, "=")
		c, err := strconv.Atoi(code)
		if !ok || name == "" || err != nil {
			return fmt.Errorf("%w: --event %q: want NAME=CODE with an integer CODE", errUsage, e)
		}
		ids[name] = c
	}
	out := pos[1]
	if !strings.HasSuffix(strings.ToLower(out), ".npy") {
		return fmt.Errorf("%w: OUT %q must end in .npy", errUsage, out)
	}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, err := format.Read(in)
	if err != nil {
		return err
	}
	if *picks != "" {
		if err := r.Pick(splitList(*picks)...); err != nil {
			return err
		}
	}
	var evs []raw.Event
	if *eventsFile != "" {
		if evs, err = fif.ReadEvents(*eventsFile); err != nil {
			return err
		}
	} else if evs, _, err = r.EventsFromAnnotations(ids); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	ep, err := epochs.New(r, evs, ids, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	for i, d := range ep.DropLog {
		if d == nil {
			continue
		}
		why := strings.Join(d, ", ")
		if len(d) > 6 {
			why = fmt.Sprintf("%d channels over threshold (%s, ...)", len(d), strings.Join(d[:6], ", "))
		}
		fmt.Fprintf(stderr, "dropped epoch %d: %s\n", i, why)
	}
	if len(ep.Data) == 0 {
		return fmt.Errorf("%s: every epoch was dropped (%d events)", in, len(ep.DropLog))
	}
	nc, nt := len(ep.Channels), len(ep.Times)
	flatData := make([]float64, 0, len(ep.Data)*nc*nt)
	for _, e := range ep.Data {
		for _, row := range e {
			flatData = append(flatData, row...)
		}
	}
	labels := make([]int64, len(ep.Data))
	for i, l := range ep.Labels() {
		labels[i] = int64(l)
	}
	labelsPath := out[:len(out)-len(".npy")] + ".labels.npy"
	if err := atomicfile.Write(out, func(w io.Writer) error {
		return npy.WriteFloat64(w, []int{len(ep.Data), nc, nt}, flatData)
	}); err != nil {
		return err
	}
	if err := atomicfile.Write(labelsPath, func(w io.Writer) error { return npy.WriteInt64(w, labels) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d epochs × %d channels × %d samples (%g Hz, %g to %g s) → %s, labels → %s; %d dropped\n",
		len(ep.Data), nc, nt, ep.SFreq, ep.Times[0], ep.Times[nt-1], out, labelsPath, len(ep.DropLog)-len(ep.Data))
	return nil
}

func parseBaseline(s string, tmin float64) (*epochs.Baseline, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		if tmin < 0 {
			b := epochs.DefaultBaseline
			return &b, nil
		}
		return nil, nil
	case "none", "off":
		return nil, nil
	}
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return nil, fmt.Errorf("%w: --baseline %q: want A,B (seconds; empty or None for the epoch edge) or none", errUsage, s)
	}
	side := func(v string, edge float64) (float64, error) {
		v = strings.TrimSpace(v)
		if v == "" || strings.EqualFold(v, "none") {
			return edge, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) {
			return 0, fmt.Errorf("%w: --baseline %q: %q is not a number of seconds", errUsage, s, v)
		}
		return f, nil
	}
	lo, err := side(a, math.Inf(-1))
	if err != nil {
		return nil, err
	}
	hi, err := side(b, math.Inf(1))
	if err != nil {
		return nil, err
	}
	return &epochs.Baseline{Start: lo, End: hi}, nil
}

func parseThresholds(name, s string) (map[raw.ChannelType]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := map[raw.ChannelType]float64{}
	for _, part := range splitList(s) {
		typ, val, ok := strings.Cut(part, "=")
		if !ok {
			typ, val = string(raw.EEG), part
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(v) || v < 0 {
			return nil, fmt.Errorf("%w: --%s %q: %q is not a non-negative number of volts", errUsage, name, s, val)
		}
		m[raw.ChannelType(strings.ToLower(strings.TrimSpace(typ)))] = v
	}
	return m, nil
}
