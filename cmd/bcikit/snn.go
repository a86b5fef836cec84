package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/snn"
)

func init() {
	register(&command{
		name: "snn",
		summary: "Run a spiking network benchmark: \"cuba\" is the CUBA network of Vogels & Abbott (2005) as in Brian2's examples/CUBA.py " +
			"(4/5 excitatory LIF neurons, p = 0.02, exact integration, dt 0.1 ms); prints wall time, synapses, spikes, mean rate and ISI CV.",
		usage: "cuba [--duration 1s] [--neurons 4000] [--seed N] [--workers N] [--max-memory SIZE] [--json]",
		run:   runSNN,
	})
}

// snnJSON is the documented --json output of "bcikit snn cuba".
type snnJSON struct {
	Network   string  `json:"network"`
	Neurons   int     `json:"neurons"`
	Synapses  int     `json:"synapses"`
	Seed      uint64  `json:"seed"`
	Workers   int     `json:"workers"`
	DT        float64 `json:"dt_s"`
	Duration  float64 `json:"duration_s"`
	BuildTime float64 `json:"build_s"`
	RunTime   float64 `json:"run_s"`
	CPUTime   float64 `json:"cpu_s"` // process CPU time during the run; -1 where not measured
	Spikes    int     `json:"spikes"`
	Rate      float64 `json:"rate_hz"`
	CV        float64 `json:"isi_cv"`
	CVNeurons int     `json:"cv_neurons"`
}

func runSNN(args []string, stdout io.Writer) error {
	fs := newFlags(commands["snn"], stdout)
	dur := fs.String("duration", "1s", "simulated time: a Go duration (1s, 250ms) or seconds")
	neurons := fs.Int("neurons", 4000, "number of neurons (4/5 excitatory)")
	seed := fs.Uint64("seed", 1, "seed of connectivity and initial potentials")
	workers := fs.Int("workers", 0, "goroutines stepping the network (0: all cores for large networks, else 1)")
	maxMem := fs.String("max-memory", "", "refuse networks estimated to need more memory (bytes, or with K, M, G: 2G); default half the RAM")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if pos[0] != "cuba" {
		return fmt.Errorf("%w: unknown network %q (networks: cuba)", errUsage, pos[0])
	}
	d, err := parseSimTime(*dur)
	if err != nil {
		return fmt.Errorf("%w: --duration: %v", errUsage, err)
	}
	if *neurons < 1 {
		return fmt.Errorf("%w: --neurons %d: want at least 1", errUsage, *neurons)
	}
	if *workers < 0 {
		return fmt.Errorf("%w: --workers %d: want ≥ 0", errUsage, *workers)
	}
	cfg := snn.CUBA(*neurons, *seed)
	cfg.Workers = *workers
	if *maxMem != "" {
		if cfg.MaxMemory, err = parseMemSize(*maxMem); err != nil {
			return fmt.Errorf("%w: --max-memory: %v", errUsage, err)
		}
	}
	if steps := math.Round(d / cfg.DT); steps < 1 || steps > math.MaxInt32/2 {
		return fmt.Errorf("%w: --duration %s is %g steps of %g ms, want 1 to %d", errUsage, *dur, steps, cfg.DT*1e3, math.MaxInt32/2)
	}
	t0 := time.Now()
	net, err := snn.New(cfg)
	if err != nil {
		return err
	}
	// Spikes are folded into per-neuron statistics a simulated second at a
	// time, so a long run needs no memory for its spike train.
	spikes := net.MonitorSpikes()
	tally, err := snn.NewTally(0, net.N(), net.DT())
	if err != nil {
		return err
	}
	t1 := time.Now()
	total := int(math.Round(d / cfg.DT))
	chunk := int(math.Round(1 / cfg.DT))
	for done := 0; done < total; done += chunk {
		if err := net.RunSteps(min(chunk, total-done)); err != nil {
			return err
		}
		if err := tally.Add(spikes); err != nil {
			return err
		}
		spikes.I, spikes.Step = spikes.I[:0], spikes.Step[:0]
	}
	wall, cpu := net.RunTime()
	sum, err := tally.Summary(d)
	if err != nil {
		return err
	}
	out := snnJSON{
		Network: "cuba", Neurons: net.N(), Synapses: net.Synapses(), Seed: *seed, Workers: net.Workers(),
		DT: net.DT(), Duration: d, BuildTime: t1.Sub(t0).Seconds(), RunTime: wall.Seconds(), CPUTime: cpu.Seconds(),
		Spikes: sum.Spikes, Rate: sum.Rate, CV: sum.CV, CVNeurons: sum.CVNeurons,
	}
	if cpu < 0 {
		out.CPUTime = -1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(out)
	}
	ne := *neurons * 4 / 5
	fmt.Fprintf(stdout, "CUBA: %d neurons (%d exc, %d inh), %d synapses, seed %d, %d worker(s)\n", out.Neurons, ne, out.Neurons-ne, out.Synapses, out.Seed, out.Workers)
	cpuText := "not measured here"
	if cpu >= 0 {
		cpuText = fmt.Sprintf("%.4f s", out.CPUTime)
	}
	fmt.Fprintf(stdout, "wall time: %.4f s (CPU %s) for %g s simulated (%d steps of %g ms); building the network %.4f s\n", out.RunTime, cpuText, d, net.Steps(), net.DT()*1e3, out.BuildTime)
	fmt.Fprintf(stdout, "spikes: %d\nmean rate: %.4g Hz\nISI CV: %.4g (mean over the %d neurons with at least 3 spikes)\n", out.Spikes, out.Rate, out.CV, out.CVNeurons)
	return nil
}

// parseSimTime reads a positive duration: a Go duration ("1s", "250ms")
// or a number of seconds.
func parseSimTime(s string) (float64, error) {
	var d float64
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		d = x
	} else if t, err := time.ParseDuration(s); err == nil {
		d = t.Seconds()
	} else {
		return 0, fmt.Errorf("%q is not a duration (1s, 250ms, or seconds)", s)
	}
	if math.IsNaN(d) || math.IsInf(d, 0) || d <= 0 {
		return 0, fmt.Errorf("%q: want a positive, finite duration", s)
	}
	return d, nil
}

// parseMemSize reads a positive byte count, optionally with a K, M, G or T
// suffix (powers of 1024, an optional "B" or "iB" after it).
func parseMemSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:n-1]
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(x) || x <= 0 || x*float64(mult) >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a memory size (bytes, or with K, M, G, T)", s)
	}
	b := int64(x * float64(mult))
	if b < 1 {
		return 0, fmt.Errorf("%q is less than one byte", s)
	}
	return b, nil
}
