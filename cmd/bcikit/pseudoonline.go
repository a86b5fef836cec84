package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/online"
)

func init() {
	register(&command{
		name:    "pseudo-online",
		summary: "Decode a continuous recording window by window as a live stream would be (causal filter, sliding windows) and score it pseudo-online: accuracy on task windows, nMCC, ITR, false activations per minute of rest, and the accuracy of the cue windows.",
		usage:   "--model model.json FILE [--window S] [--step S] [--smooth K] [--rest CODES] [--events FILE-eve.fif] [--json]",
		run:     runPseudoOnline,
	})
}

// pseudoOnlineResult is pseudo-online's JSON output.
type pseudoOnlineResult struct {
	Model    string  `json:"model"`
	File     string  `json:"file"`
	Pipeline string  `json:"pipeline"`
	Window   float64 `json:"window_s"`
	Step     float64 `json:"step_s"`
	Smooth   int     `json:"smooth,omitempty"`
	Rest     []int   `json:"rest_classes,omitempty"`
	online.Report
	// Latencies of the sliding decisions in milliseconds, from the arrival of a
	// window's last sample (its chunk) to the decision.
	LatencyMedian float64 `json:"latency_median_ms"`
	LatencyP99    float64 `json:"latency_p99_ms"`
	LatencyMax    float64 `json:"latency_max_ms"`
}

func runPseudoOnline(args []string, stdout io.Writer) error {
	fs := newFlags(commands["pseudo-online"], stdout)
	modelFile := fs.String("model", "", "model file written by bcikit train (required)")
	window := fs.Float64("window", 0, "window length in seconds (default: the model's trial length)")
	step := fs.Float64("step", online.DefaultStep, "time between the ends of two windows in seconds; the recording is fed in chunks of this length")
	smooth := fs.Int("smooth", 0, "score the majority class of the last K decisions (0 or 1: none)")
	rest := fs.String("rest", "", "comma-separated classes of the model that are no activation (default: classes named rest or idle)")
	eventsFile := fs.String("events", "", "MNE events file (*-eve.fif) with the cues (default: the recording's annotations, or FILE's -eve.fif sibling)")
	asJSON := fs.Bool("json", false, "print the evaluation as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *modelFile == "" {
		return fmt.Errorf("%w: --model is required", errUsage)
	}
	if *step <= 0 {
		return fmt.Errorf("%w: --step must be positive, not %g", errUsage, *step)
	}
	if *window < 0 {
		return fmt.Errorf("%w: --window must be positive, not %g", errUsage, *window)
	}
	if *smooth < 0 {
		return fmt.Errorf("%w: --smooth must be 0 or more, not %d", errUsage, *smooth)
	}
	m, mp, err := loadModel(*modelFile)
	if err != nil {
		return err
	}
	restClasses, err := restCodes(m, *rest)
	if err != nil {
		return err
	}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, events, err := readForModel(in, *eventsFile, mp.Dataset)
	if err != nil {
		return err
	}
	var cues []online.Marker
	for _, e := range events {
		if slices.Contains(m.Classes, e.Code) {
			cues = append(cues, online.Marker{Sample: int64(e.Sample - r.FirstSample), Code: e.Code})
		}
	}
	if len(cues) == 0 {
		return fmt.Errorf("%s: no events of the model's classes (%s): pseudo-online labels windows by the cues; give --events FILE-eve.fif", in, classList(m))
	}
	dec, err := online.NewDecoder(m, channelNames(r), r.SFreq, online.Config{Window: *window, Step: *step, Smooth: *smooth, Trigger: true})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	n := len(r.Data[0])
	chunk := dec.Step()
	if n < dec.Window() {
		return fmt.Errorf("%s: %d samples, shorter than one window of %d", in, n, dec.Window())
	}
	fmt.Fprintf(stderr, "bcikit pseudo-online: %s, %d windows of %d samples every %d\n", in, (n-dec.Window())/chunk+1, dec.Window(), chunk)
	views := make([][]float64, len(r.Data))
	var all []online.Decision
	var lat []time.Duration
	next := 0
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		for c := range views {
			views[c] = r.Data[c][start:end]
		}
		var mk []online.Marker
		for next < len(cues) && cues[next].Sample < int64(end) {
			mk = append(mk, cues[next])
			next++
		}
		out, err := dec.Push(int64(start), views, time.Now(), mk)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		for _, d := range out {
			d.Markers = nil
			all = append(all, d)
			if d.Trigger == nil {
				lat = append(lat, d.Latency)
			}
		}
	}
	off, length := dec.TrialWindow()
	rep, err := online.Evaluate(all, cues, online.Labels{SFreq: r.SFreq, Offset: off, Length: length, Rest: restClasses})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	res := pseudoOnlineResult{
		Model: *modelFile, File: in, Pipeline: m.Pipeline,
		Window: float64(dec.Window()) / r.SFreq, Step: float64(dec.Step()) / r.SFreq, Smooth: *smooth, Rest: restClasses,
		Report:        *rep,
		LatencyMedian: ms(lat[len(lat)/2]), LatencyP99: ms(lat[min(len(lat)-1, len(lat)*99/100)]), LatencyMax: ms(lat[len(lat)-1]),
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%s on %s: windows of %g s every %g s", m.Pipeline, in, res.Window, res.Step)
	if *smooth > 1 {
		fmt.Fprintf(stdout, ", majority of %d", *smooth)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "windows            %d (task %d, idle %d: labelled by most of their samples)\n", rep.Windows, rep.Task, rep.Idle)
	fmt.Fprintf(stdout, "accuracy           %.4f on task windows (balanced %.4f)\n", rep.Accuracy, rep.BalancedAccuracy)
	fmt.Fprintf(stdout, "nMCC               %.4f (all windows, idle as a class)\n", rep.NMCC)
	fmt.Fprintf(stdout, "ITR                %.4f bits per %g-s window, %.2f bits/min (%d classes)\n", rep.ITRBits, res.Window, rep.ITRBitsPerMin, rep.Classes)
	fmt.Fprintf(stdout, "false activations  %d in %.2f min of rest: %.1f per min", rep.FalseActivations, rep.IdleMinutes, rep.FalsePerMin)
	if len(restClasses) == 0 {
		fmt.Fprint(stdout, " (the model has no rest class: every decision is an activation)")
	}
	fmt.Fprintln(stdout)
	if rep.CueWindows > 0 {
		fmt.Fprintf(stdout, "cue windows        %d: accuracy %.4f (the trials as predict cuts them, filtered causally)\n", rep.CueWindows, rep.CueAccuracy)
	}
	fmt.Fprintf(stdout, "latency            median %.3f ms, p99 %.3f ms, max %.3f ms per decision\n", res.LatencyMedian, res.LatencyP99, res.LatencyMax)
	return nil
}

// restCodes parses --rest, or picks the model's classes named rest or idle.
func restCodes(m *decode.Model, flag string) ([]int, error) {
	var codes []int
	if flag == "" {
		for _, c := range m.Classes {
			switch strings.ToLower(m.ClassNames[strconv.Itoa(c)]) {
			case "rest", "idle":
				codes = append(codes, c)
			}
		}
		return codes, nil
	}
	for _, s := range strings.Split(flag, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%w: --rest: %q is not a class code", errUsage, s)
		}
		if !slices.Contains(m.Classes, c) {
			return nil, fmt.Errorf("%w: --rest: %d is not a class of the model (%s)", errUsage, c, classList(m))
		}
		codes = append(codes, c)
	}
	return codes, nil
}
