package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/spectral"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != 0 || !strings.Contains(out, "convert") || !strings.Contains(out, "info") {
		t.Fatalf("help: %d %q", code, out)
	}
	for name := range commands {
		code, out, errOut := runCLI(t, name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: bcikit "+name) {
			t.Errorf("%s --help: code %d, out %q, err %q", name, code, out, errOut)
		}
	}
	if code, _, e := runCLI(t, "nope"); code == 0 || !strings.Contains(e, "unknown command") {
		t.Errorf("unknown command: %d %q", code, e)
	}
}

func TestInfoJSON(t *testing.T) {
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	code, out, errOut := runCLI(t, "info", p, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "n_channels", "sfreq", "n_samples", "duration_s", "meas_date", "channels", "annotations"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing field %q", k)
		}
	}
	if got["format"] != "edf" || got["n_channels"] != 64.0 || got["sfreq"] != 160.0 || got["n_samples"] != 20000.0 {
		t.Errorf("header: %v %v %v %v", got["format"], got["n_channels"], got["sfreq"], got["n_samples"])
	}
	if got["meas_date"] != "2009-08-12T16:15:00Z" {
		t.Errorf("meas_date %v", got["meas_date"])
	}
	ch := got["channels"].([]any)[0].(map[string]any)
	if ch["name"] != "Fc5." || ch["type"] != "eeg" || ch["unit"] != "V" || ch["sfreq"] != 160.0 {
		t.Errorf("channel 0: %v", ch)
	}
	if n := len(got["annotations"].([]any)); n != 30 {
		t.Errorf("%d annotations", n)
	}
	code, out, _ = runCLI(t, "info", p)
	if code != 0 || !strings.Contains(out, "Sampling rate:") || !strings.Contains(out, "Fc5.") {
		t.Errorf("human info: %q", out)
	}
}

// convert to CSV writes every sample as the reader reads it, at full precision.
func TestConvertCSV(t *testing.T) {
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	out := filepath.Join(t.TempDir(), "x.csv")
	if code, _, e := runCLI(t, "convert", "--channels", "C3..,Cz..", "--tmin", "1", "--tmax", "2", p, out); code != 0 {
		t.Fatal(e)
	}
	r, err := format.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "time,C3..,Cz.." {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 1+161 {
		t.Fatalf("%d rows, want 161 samples", len(rows)-1)
	}
	c3, cz := r.Index("C3.."), r.Index("Cz..")
	for i, row := range rows[1:] {
		s := 160 + i
		tm, _ := strconv.ParseFloat(row[0], 64)
		a, _ := strconv.ParseFloat(row[1], 64)
		b, _ := strconv.ParseFloat(row[2], 64)
		if math.Abs(tm-float64(s)/160) > 1e-12 || a != r.Data[c3][s] || b != r.Data[cz][s] {
			t.Fatalf("row %d = %v, want t=%v %v %v", i, row, float64(s)/160, r.Data[c3][s], r.Data[cz][s])
		}
	}
}

// convert to EDF+/BDF+ and back keeps the samples within half a digital
// step and the annotations.
func TestConvertRoundTrip(t *testing.T) {
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	orig, err := format.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".edf", ".bdf"} {
		out := filepath.Join(t.TempDir(), "x"+ext)
		if code, _, e := runCLI(t, "convert", p, out); code != 0 {
			t.Fatal(e)
		}
		back, err := format.Read(out)
		if err != nil {
			t.Fatal(err)
		}
		if back.NSamples < orig.NSamples || len(back.Channels) != len(orig.Channels) || len(back.Annotations) != len(orig.Annotations) {
			t.Fatalf("%s: %d samples %d channels %d annotations", ext, back.NSamples, len(back.Channels), len(back.Annotations))
		}
		for c := range orig.Data {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range orig.Data[c] {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			bits := 16.0
			if ext == ".bdf" {
				bits = 24
			}
			step := (hi - lo) / (math.Pow(2, bits) - 1)
			for i, v := range orig.Data[c] {
				if d := math.Abs(back.Data[c][i] - v); d > 0.51*step+1e-3*step {
					t.Fatalf("%s: channel %d sample %d off by %g (step %g)", ext, c, i, d, step)
				}
			}
		}
	}
}

// Corrupted files end in a one-line error and a non-zero exit, never a panic.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(testdata.Path(t, "eegmmidb/S001/S001R04.edf"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty.edf":     nil,
		"truncated.edf": good[:len(good)/2],
		"header.edf":    good[:200],
		"magic.bdf":     append([]byte("XBIOSEMI"), good[8:]...),
		"nchan.edf":     append(append(append([]byte{}, good[:252]...), []byte("-5  ")...), good[256:]...),
		"garbage.gdf":   []byte("GDF 2.20 garbage garbage"),
		"garbage.fif":   bytes.Repeat([]byte{0xff}, 100),
		"garbage.vhdr":  []byte("Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nNumberOfChannels=abc\n"),
		"unknown.xyz":   []byte("hello"),
	}
	for name, b := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"info", "--json", p}, {"convert", p, filepath.Join(dir, "out.csv")}} {
			code, _, e := runCLI(t, args...)
			if code != 1 || strings.Count(strings.TrimSpace(e), "\n") != 0 || strings.Contains(e, "panic") || strings.Contains(e, "internal error") {
				t.Errorf("%v: exit %d, stderr %q", args, code, e)
			}
		}
	}
	if code, _, e := runCLI(t, "info", filepath.Join(dir, "missing.edf")); code != 1 || !strings.Contains(e, "missing.edf") {
		t.Errorf("missing file: %d %q", code, e)
	}
}

func TestFilterPSDEpochs(t *testing.T) {
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	dir := t.TempDir()
	out := filepath.Join(dir, "f.edf")
	if code, _, e := runCLI(t, "filter", p, out, "--l-freq", "7", "--h-freq", "30", "--notch", "50", "--reref", "average"); code != 0 {
		t.Fatal(e)
	}
	code, js, e := runCLI(t, "psd", "--json", out, "--plot", filepath.Join(dir, "psd.png"))
	if code != 0 {
		t.Fatal(e)
	}
	var psd struct {
		Freqs    []float64
		Channels []string
		PSD      [][]float64
	}
	if err := json.Unmarshal([]byte(js), &psd); err != nil {
		t.Fatal(err)
	}
	if len(psd.Freqs) != 129 || len(psd.Channels) != 64 || len(psd.PSD) != 64 || len(psd.PSD[0]) != 129 {
		t.Fatalf("psd shape %d freqs, %d channels", len(psd.Freqs), len(psd.Channels))
	}
	if _, err := os.Stat(filepath.Join(dir, "psd.png")); err != nil {
		t.Error(err)
	}
	// Band-passed 7-30 Hz: power at 20 Hz far above power at 60 Hz.
	if psd.PSD[8][32] < 100*psd.PSD[8][96] {
		t.Errorf("filtered PSD: 20 Hz %g vs 60 Hz %g", psd.PSD[8][32], psd.PSD[8][96])
	}
	ep := filepath.Join(dir, "ep.npy")
	if code, _, e := runCLI(t, "epochs", out, ep, "--event", "T1=1", "--event", "T2=2", "--tmin", "-1", "--tmax", "4", "--baseline", "None,0"); code != 0 {
		t.Fatal(e)
	}
	for name, shape := range map[string]string{ep: "(15, 64, 801)", filepath.Join(dir, "ep.labels.npy"): "(15,)"} {
		b, err := os.ReadFile(name)
		if err != nil || !strings.Contains(string(b[:128]), "'shape': "+shape) {
			t.Errorf("%s: %v %q", name, err, b[:min(len(b), 128)])
		}
	}
	for _, args := range [][]string{
		{"filter", p, filepath.Join(dir, "x.csv"), "--l-freq", "90"},
		{"filter", p, filepath.Join(dir, "x.csv"), "--l-freq", "-1"},
		{"filter", p, filepath.Join(dir, "x.csv")},
		{"filter", p, filepath.Join(dir, "x.csv"), "--h-freq", "30", "--order", "2"},
		{"epochs", p, ep, "--event", "T1=1", "--tmin", "0", "--tmax", "1000"},
		{"epochs", p, ep, "--event", "T9=1", "--tmin", "0", "--tmax", "1"},
		{"psd", p, "--fmin", "50", "--fmax", "10"},
	} {
		code, _, e := runCLI(t, args...)
		lines := strings.Split(strings.TrimSpace(e), "\n")
		if code == 0 || !strings.HasPrefix(lines[len(lines)-1], "bcikit ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, e)
		}
	}
}

// With BAD annotations, psd leaves their samples out as MNE's
// raw.compute_psd() does (reject_by_annotation=True): 1e-12 relative.
func TestPSDSkipsBadSpansLikeMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/psd_bad_r04.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Bad   [][3]any
		Picks []string
		Freqs []float64
		PSD   [][]float64
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	r, err := format.Read(testdata.Path(t, "eegmmidb/S001/S001R04.edf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ref.Bad {
		r.Annotations = append(r.Annotations, raw.Annotation{Onset: a[0].(float64), Duration: a[1].(float64), Description: a[2].(string)})
	}
	if err := r.Pick(ref.Picks...); err != nil {
		t.Fatal(err)
	}
	if !markBad(r) {
		t.Fatal("nothing marked")
	}
	opt := spectral.MNEDefaults()
	opt.SkipNonFinite = true
	p, err := spectral.ComputePSD(r.Data, r.SFreq, opt)
	if err != nil {
		t.Fatal(err)
	}
	for c := range ref.PSD {
		peak := 0.0
		for _, v := range ref.PSD[c] {
			peak = math.Max(peak, v)
		}
		for k, want := range ref.PSD[c] {
			if math.Abs(p.Power[c][k]-want) > 1e-12*peak {
				t.Fatalf("channel %d bin %d: %g, MNE %g", c, k, p.Power[c][k], want)
			}
		}
	}
}
