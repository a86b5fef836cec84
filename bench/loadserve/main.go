// Command loadserve is the load test of `bcikit serve` (issue 4): it
// publishes N synthetic live streams (default 16 streams of 64 channels at
// 1000 Hz, float32 over TCP on 127.0.0.1, paced in real time), runs one
// `bcikit serve` process decoding all of them with a model trained on the
// same kind of signal (csp+lda by default, -pipeline to change; 1-s windows
// every 100 ms), samples the server's
// resident memory every few seconds, and prints the decision latencies
// (p50, p99, max over every stream) and the memory over time.
//
//	go build -o /tmp/bcikit ./cmd/bcikit
//	go run ./bench/loadserve -bcikit /tmp/bcikit -duration 10m
//
// It exits 1 when the p99 latency is 10 ms or more, a stream got no
// decision, or the memory grew after the start (the last quarter's peak
// more than 25% + 16 MiB over the second quarter's).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/paradigm"
	"github.com/bcikit/bcikit/stream"
)

func main() {
	bin := flag.String("bcikit", "bcikit", "the bcikit binary to load")
	streams := flag.Int("streams", 16, "number of simultaneous streams")
	channels := flag.Int("channels", 64, "channels per stream")
	sfreq := flag.Float64("sfreq", 1000, "sampling rate in Hz")
	duration := flag.Duration("duration", 10*time.Minute, "length of the run")
	pipeline := flag.String("pipeline", "csp+lda", "pipeline of the model")
	maxP99 := flag.Float64("max-p99", 10, "p99 latency limit in ms")
	flag.Parse()
	if err := run(*bin, *streams, *channels, *sfreq, *duration, *pipeline, *maxP99); err != nil {
		fmt.Fprintln(os.Stderr, "loadserve:", err)
		os.Exit(1)
	}
}

// synth is a live source: noise with a 10 Hz rhythm whose channel 0 or 1
// grows every other 3 s (the "classes"), paced in real time.
type synth struct {
	hdr   stream.Header
	chunk int
	start time.Time
	n     int64
	rng   *rand.Rand
	data  [][]float64
}

func newSynth(channels int, sfreq float64, seed uint64) *synth {
	h := stream.Header{SFreq: sfreq, Name: fmt.Sprintf("synth-%d", seed)}
	for c := range channels {
		h.Channels = append(h.Channels, fmt.Sprintf("EEG%03d", c+1))
		h.Units = append(h.Units, "V")
		h.Types = append(h.Types, "eeg")
	}
	chunk := max(1, int(math.Round(sfreq/32)))
	s := &synth{hdr: h, chunk: chunk, rng: rand.New(rand.NewPCG(seed, 1)), data: make([][]float64, channels)}
	for c := range s.data {
		s.data[c] = make([]float64, chunk)
	}
	return s
}

func (s *synth) Header() stream.Header { return s.hdr }
func (s *synth) Close() error          { return nil }

func (s *synth) Next(ctx context.Context) (stream.Chunk, error) {
	if s.start.IsZero() {
		s.start = time.Now()
	}
	due := s.start.Add(time.Duration(float64(s.n+int64(s.chunk)) / s.hdr.SFreq * float64(time.Second)))
	if d := time.Until(due); d > 0 {
		select {
		case <-ctx.Done():
			return stream.Chunk{}, ctx.Err()
		case <-time.After(d):
		}
	}
	fill(s.data, s.n, s.hdr.SFreq, s.rng)
	c := stream.Chunk{Start: s.n, Data: s.data, Time: time.Now()}
	s.n += int64(s.chunk)
	return c, nil
}

// fill writes samples n.. of the synthetic signal (volts).
func fill(data [][]float64, n int64, sfreq float64, rng *rand.Rand) {
	for i := range data[0] {
		t := float64(n+int64(i)) / sfreq
		class := int(t/3) % 2
		for c := range data {
			a := 1.0
			if c == class {
				a = 3
			}
			data[c][i] = 1e-6 * (a*math.Sin(2*math.Pi*10*t+float64(c)) + rng.NormFloat64())
		}
	}
}

// model trains the pipeline on synthetic 1-s trials of both classes.
func model(pipeline string, channels int, sfreq float64) (*decode.Model, error) {
	rng := rand.New(rand.NewPCG(99, 2))
	n := int(sfreq) + 1
	var trials [][][]float64
	var y []int
	for k := range 40 {
		tr := make([][]float64, channels)
		for c := range tr {
			tr[c] = make([]float64, n)
		}
		// Trials start in the middle of a class's 3-s block.
		start := int64((float64(k)*3 + 1) * sfreq)
		fill(tr, start, sfreq, rng)
		for c := range tr {
			for i := range tr[c] {
				tr[c][i] *= 1e6
			}
		}
		trials = append(trials, tr)
		y = append(y, 1+k%2)
	}
	p, err := decode.New(pipeline)
	if err != nil {
		return nil, err
	}
	if err := p.Fit(decode.Data{Trials: trials}, y); err != nil {
		return nil, err
	}
	par := paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 32}}, TMin: 0, TMax: 1, Scale: 1e6, Classes: []int{1, 2}}
	pj, err := json.Marshal(struct {
		paradigm.Paradigm
		Dataset string `json:"dataset"`
	}{par, "synthetic"})
	if err != nil {
		return nil, err
	}
	names := make([]string, channels)
	for c := range names {
		names[c] = fmt.Sprintf("EEG%03d", c+1)
	}
	return &decode.Model{Pipeline: pipeline, Channels: names, SFreq: sfreq, Classes: []int{1, 2},
		ClassNames: map[string]string{"1": "a", "2": "b"}, Paradigm: pj, State: p}, nil
}

var statLine = regexp.MustCompile(`source (\d+) .*: (\d+) samples, (\d+) decisions, latency p50 ([0-9.]+|NaN) ms, p99 ([0-9.]+|NaN) ms, max ([0-9.]+|NaN) ms`)

func run(bin string, nStreams, channels int, sfreq float64, duration time.Duration, pipeline string, maxP99 float64) error {
	dir, err := os.MkdirTemp("", "loadserve")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m, err := model(pipeline, channels, sfreq)
	if err != nil {
		return err
	}
	mf := filepath.Join(dir, "model.json")
	f, err := os.Create(mf)
	if err != nil {
		return err
	}
	if err := decode.WriteModel(f, m); err != nil {
		return err
	}
	f.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	args := []string{"serve", "--model", mf, "--no-web", "--quiet", "--window", "1", "--step", "0.1",
		"--duration", strconv.FormatFloat(duration.Seconds(), 'f', 3, 64)}
	for i := range nStreams {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go stream.Serve(ctx, ln, newSynth(channels, sfreq, uint64(i+1)))
		args = append(args, "--source", "tcp://"+ln.Addr().String())
	}
	fmt.Printf("loadserve: %d streams × %d channels at %g Hz, %s, pipeline %s, %s\n", nStreams, channels, sfreq, duration, pipeline, bin)
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var rss []float64
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(max(time.Second, duration/40))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if kb := rssKB(cmd.Process.Pid); kb > 0 {
					rss = append(rss, kb/1024)
				}
			}
		}
	}()
	var lines []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	werr := cmd.Wait()
	close(done)
	<-sampled
	var p99s, maxes []float64
	decisions, got := 0, 0
	for _, l := range lines {
		mm := statLine.FindStringSubmatch(l)
		if mm == nil {
			if strings.TrimSpace(l) != "" {
				fmt.Println("serve:", l)
			}
			continue
		}
		got++
		d, _ := strconv.Atoi(mm[3])
		decisions += d
		p99, _ := strconv.ParseFloat(mm[5], 64)
		mx, _ := strconv.ParseFloat(mm[6], 64)
		p99s = append(p99s, p99)
		maxes = append(maxes, mx)
		if d == 0 {
			werr = fmt.Errorf("stream %s got no decision", mm[1])
		}
	}
	if got != nStreams {
		return fmt.Errorf("serve reported %d of %d streams (exit: %v)", got, nStreams, werr)
	}
	worst := slices.Max(p99s)
	fmt.Printf("decisions: %d (%.1f/s)\n", decisions, float64(decisions)/duration.Seconds())
	fmt.Printf("latency: worst stream p99 %.3f ms, worst max %.3f ms (limit p99 < %g ms)\n", worst, slices.Max(maxes), maxP99)
	if len(rss) > 0 {
		fmt.Printf("memory (RSS MiB, every %s): %s\n", max(time.Second, duration/40), fmtList(rss))
	}
	if werr != nil {
		return werr
	}
	if worst >= maxP99 {
		return fmt.Errorf("p99 latency %.3f ms is over %g ms", worst, maxP99)
	}
	// Memory must stay flat after the start: the peak of the last
	// quarter may exceed the peak of the second by what one garbage
	// collection cycle can hold (the Go heap grows to twice the live data
	// before it is collected), not more.
	if q := len(rss) / 4; q >= 1 {
		second, last := slices.Max(rss[q:2*q]), slices.Max(rss[len(rss)-q:])
		fmt.Printf("memory: peak %.1f MiB in the second quarter, %.1f MiB in the last\n", second, last)
		if last > 1.25*second+16 {
			return fmt.Errorf("memory grew from %.1f to %.1f MiB", second, last)
		}
	}
	return nil
}

func rssKB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				v, _ := strconv.ParseFloat(f[1], 64)
				return v
			}
		}
	}
	return 0
}

func fmtList(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strings.Join(s, " ")
}
