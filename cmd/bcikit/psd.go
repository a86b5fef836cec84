package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/chart"
	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/spectral"
)

func init() {
	register(&command{
		name: "psd",
		summary: "Power spectral density of each data channel by Welch's method, with the defaults of MNE's raw.compute_psd() " +
			"(n_fft 256, no overlap, Hamming window, mean); values in V²/Hz.",
		usage: "[--json] [--plot OUT.png] [--fmin F] [--fmax F] [--n-fft N] [--n-overlap N] [--n-per-seg N] [--average mean|median] [--window NAME] [--picks A,B] IN",
		run:   runPSD,
	})
}

// psdJSON is the documented --json output of "bcikit psd".
type psdJSON struct {
	Freqs    []float64   `json:"freqs"`
	Channels []string    `json:"channels"`
	PSD      [][]float64 `json:"psd"`
	SFreq    float64     `json:"sfreq"`
	NFFT     int         `json:"n_fft"`
	Unit     string      `json:"unit"`
}

func runPSD(args []string, stdout io.Writer) error {
	fs := newFlags(commands["psd"], stdout)
	def := spectral.MNEDefaults()
	asJSON := fs.Bool("json", false, `print {"freqs": [...], "channels": [...], "psd": [[...], ...]} (V²/Hz)`)
	plotPath := fs.String("plot", "", "also draw the spectra to this image (.png, .svg or .pdf)")
	fmin := fs.Float64("fmin", def.FMin, "lowest frequency kept (Hz)")
	fmax := fs.String("fmax", "inf", "highest frequency kept (Hz)")
	nfft := fs.Int("n-fft", def.NFFT, "FFT length (samples)")
	nover := fs.Int("n-overlap", def.NOverlap, "overlap between segments (samples)")
	nper := fs.Int("n-per-seg", 0, "segment length (samples; 0 = n-fft)")
	avg := fs.String("average", "mean", "how segments are combined: mean or median")
	window := fs.String("window", def.Window.Name, "segment window: hamming, hann, blackman, boxcar")
	picks := fs.String("picks", "", "comma-separated channels (default: the data channels, as MNE)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	opt := def
	opt.FMin, opt.NFFT, opt.NOverlap, opt.NPerSeg = *fmin, *nfft, *nover, *nper
	if opt.FMax, err = strconv.ParseFloat(*fmax, 64); err != nil || math.IsNaN(opt.FMax) {
		return fmt.Errorf("%w: --fmax %q is not a frequency", errUsage, *fmax)
	}
	switch *avg {
	case "mean":
		opt.Average = spectral.Mean
	case "median":
		opt.Average = spectral.Median
	default:
		return fmt.Errorf("%w: --average %q: want mean or median", errUsage, *avg)
	}
	opt.Window = spectral.Window{Name: *window}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, err := format.Read(in)
	if err != nil {
		return err
	}
	if *picks != "" {
		err = r.Pick(splitList(*picks)...)
	} else {
		err = pickData(r)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := r.CheckFinite(); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if markBad(r) {
		opt.SkipNonFinite = true
	}
	p, err := spectral.ComputePSD(r.Data, r.SFreq, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	names := r.ChannelNames()
	if *plotPath != "" {
		if err := chart.PSD(*plotPath, p.Freqs, names, p.Power, in); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(psdJSON{Freqs: p.Freqs, Channels: names, PSD: p.Power, SFreq: r.SFreq, NFFT: opt.NFFT, Unit: "V^2/Hz"})
	}
	return writePSDTable(stdout, p, names)
}

// pickData keeps the channels MNE's compute_psd picks by default: the data
// channels (EEG, MEG, sEEG, ECoG, ...).
func pickData(r *raw.Raw) error {
	var names []string
	for _, c := range r.Channels {
		if c.Type.IsData() {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return fmt.Errorf("no data channel (EEG, MEG, ...); choose channels with --picks")
	}
	return r.Pick(names...)
}

// markBad sets the samples under "BAD..." annotations to NaN, as MNE's
// compute_psd (reject_by_annotation=True) does before Welch averaging
// leaves the segments holding them out. It reports whether any sample was
// marked.
func markBad(r *raw.Raw) bool {
	marked := false
	t0 := float64(r.FirstSample) / r.SFreq
	for _, a := range r.Annotations {
		if !strings.HasPrefix(strings.ToUpper(a.Description), "BAD") {
			continue
		}
		on := a.Onset - t0
		i0 := max(int(math.Round(on*r.SFreq)), 0)
		i1 := min(int(math.Round((on+a.Duration)*r.SFreq)), r.NSamples)
		for _, d := range r.Data {
			for i := i0; i < i1; i++ {
				d[i] = math.NaN()
				marked = true
			}
		}
	}
	return marked
}

func writePSDTable(w io.Writer, p *spectral.PSD, names []string) error {
	var b strings.Builder
	b.WriteString("freq_hz")
	for _, n := range names {
		b.WriteByte('\t')
		b.WriteString(n)
	}
	b.WriteByte('\n')
	for k, f := range p.Freqs {
		b.WriteString(strconv.FormatFloat(f, 'g', 6, 64))
		for c := range names {
			b.WriteByte('\t')
			b.WriteString(strconv.FormatFloat(p.Power[c][k], 'e', 4, 64))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
