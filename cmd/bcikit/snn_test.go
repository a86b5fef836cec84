package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/snn"
)

func TestSNNCuba(t *testing.T) {
	code, out, errOut := runCLI(t, "snn", "cuba", "--duration", "200ms", "--neurons", "1000", "--seed", "2", "--json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var r snnJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	// 1000 neurons at p = 0.02: 20 000 synapses expected (sd 140).
	if r.Network != "cuba" || r.Neurons != 1000 || r.Seed != 2 || math.Abs(r.Duration-0.2) > 1e-12 ||
		math.Abs(float64(r.Synapses)-20000) > 700 || r.Spikes <= 0 || r.RunTime <= 0 ||
		math.Abs(r.Rate-float64(r.Spikes)/(1000*0.2)) > 1e-9 || r.CV < 0 || r.CV > 2 {
		t.Fatalf("unexpected result %+v", r)
	}
	// The same network through the library, spikes kept: the same numbers.
	net, err := snn.New(snn.CUBA(1000, 2))
	if err != nil {
		t.Fatal(err)
	}
	m := net.MonitorSpikes()
	if err := net.Run(0.2); err != nil {
		t.Fatal(err)
	}
	want, err := snn.Stats(m, 0, 1000, 0.2, net.DT())
	if err != nil {
		t.Fatal(err)
	}
	if r.Spikes != want.Spikes || r.CVNeurons != want.CVNeurons || math.Abs(r.CV-want.CV) > 1e-12 || r.Synapses != net.Synapses() {
		t.Errorf("CLI %+v, library %+v (%d synapses)", r, want, net.Synapses())
	}
	code, text, errOut := runCLI(t, "snn", "cuba", "--duration", "0.2", "--neurons", "1000", "--seed", "2")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"wall time:", "synapses", "spikes: ", "mean rate: ", "ISI CV: ", "1000 neurons (800 exc, 200 inh)"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestSNNBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"snn"}, 2, "missing argument"},
		{[]string{"snn", "coba"}, 2, "unknown network"},
		{[]string{"snn", "cuba", "--duration", "-1s"}, 2, "positive"},
		{[]string{"snn", "cuba", "--duration", "soon"}, 2, "not a duration"},
		{[]string{"snn", "cuba", "--duration", "1e-9"}, 2, "steps"},
		{[]string{"snn", "cuba", "--duration", "1e12"}, 2, "steps"},
		{[]string{"snn", "cuba", "--neurons", "0"}, 2, "--neurons"},
		{[]string{"snn", "cuba", "--neurons", "-5"}, 2, "--neurons"},
		{[]string{"snn", "cuba", "--workers", "-1"}, 2, "--workers"},
		{[]string{"snn", "cuba", "--max-memory", "lots"}, 2, "memory size"},
		{[]string{"snn", "cuba", "--neurons", "100000", "--max-memory", "64M"}, 1, "network too large"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: code %d, stderr %q; want code %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestParseMemSize(t *testing.T) {
	for s, want := range map[string]int64{"1024": 1024, "2K": 2048, "1.5M": 3 << 19, "2G": 2 << 30, "2GiB": 2 << 30, "1gb": 1 << 30, "1T": 1 << 40} {
		if got, err := parseMemSize(s); err != nil || got != want {
			t.Errorf("parseMemSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "G", "-1G", "0", "NaN", "Inf", "0.1", "1e30T", "1X"} {
		if got, err := parseMemSize(s); err == nil {
			t.Errorf("parseMemSize(%q) = %d, want an error", s, got)
		}
	}
}

func FuzzParseMemSize(f *testing.F) {
	for _, s := range []string{"1024", "2K", "1.5M", "2GiB", "1gb", "", "-1", "NaN", "1e400", "9.3e18", "0x10K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseMemSize(s)
		if err == nil && b < 1 {
			t.Fatalf("parseMemSize(%q) = %d with no error", s, b)
		}
	})
}

func FuzzParseSimTime(f *testing.F) {
	for _, s := range []string{"1s", "250ms", "0.5", "1e-3", "-1s", "NaN", "Inf", "1h2m", "", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseSimTime(s)
		if err == nil && (!(d > 0) || math.IsInf(d, 0)) {
			t.Fatalf("parseSimTime(%q) = %g with no error", s, d)
		}
	})
}
