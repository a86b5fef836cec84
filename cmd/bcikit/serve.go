package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/montage"
	"github.com/bcikit/bcikit/online"
	"github.com/bcikit/bcikit/stream"
	"github.com/bcikit/bcikit/webview"
	"gonum.org/v1/gonum/stat"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "Decode live streams with a trained model: one decision per window with its latency, printed (or as JSON lines), and a live web view (token-protected, 127.0.0.1 by default).",
		usage:   "--model model.json --source replay:FILE|tcp://HOST:PORT|ws://HOST:PORT/PATH|lsl:NAME|lsl:type=EEG [--source ...] [--publish-lsl NAME] [--listen 127.0.0.1:8080] [--no-web] [--window S] [--step S] [--smooth K] [--trigger] [--json] [--duration S] [--quiet]",
		run:     runServe,
	})
}

// serveLine is one decision as serve prints it with --json.
type serveLine struct {
	Source    int             `json:"source"`
	End       int64           `json:"end"`
	Time      float64         `json:"time_s"`
	Predicted int             `json:"predicted"`
	Name      string          `json:"name,omitempty"`
	Smoothed  int             `json:"smoothed"`
	Score     *float64        `json:"score,omitempty"`
	LatencyMs float64         `json:"latency_ms"`
	Trigger   *online.Marker  `json:"trigger,omitempty"`
	Markers   []online.Marker `json:"markers,omitempty"`
}

// serveStats gathers the latencies of one source.
type serveStats struct {
	name      string
	decisions int
	samples   int64
	latencies []float64 // ms
	err       error
}

func runServe(args []string, stdout io.Writer) error {
	fs := newFlags(commands["serve"], stdout)
	modelFile := fs.String("model", "", "model file written by bcikit train (required)")
	var sources listFlag
	fs.Var(&sources, "source", "stream to decode: replay:FILE[?speed=N], tcp://HOST:PORT, ws://HOST:PORT/PATH, lsl:NAME, lsl:type=EEG or lsl:PREDICATE (repeat for several streams)")
	publishLSL := fs.String("publish-lsl", "", "publish the decisions as a Lab Streaming Layer marker stream of this name (source, predicted, smoothed, class)")
	listen := fs.String("listen", "127.0.0.1:0", "address of the live web view (a random token is printed with its URL)")
	noWeb := fs.Bool("no-web", false, "do not serve the web view")
	window := fs.Float64("window", 0, "sliding window in seconds (default: the model's trial length)")
	step := fs.Float64("step", 0, "seconds between sliding windows (default 0.1; negative: only cue-triggered windows)")
	smooth := fs.Int("smooth", 0, "smooth decisions by majority over the last K windows")
	trigger := fs.Bool("trigger", false, "also decode the trial window after every cue marker of the model's classes")
	asJSON := fs.Bool("json", false, "print decisions as JSON lines")
	duration := fs.Float64("duration", 0, "stop after this many seconds (default: when every stream ends, or Ctrl-C)")
	quiet := fs.Bool("quiet", false, "print no decision lines, only the summary")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *modelFile == "" || len(sources) == 0 {
		return fmt.Errorf("%w: --model and at least one --source are required", errUsage)
	}
	m, err := readModel(*modelFile)
	if err != nil {
		return err
	}
	cfg := online.Config{Window: *window, Step: *step, Trigger: *trigger, Smooth: *smooth}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(*duration*float64(time.Second)))
		defer cancel()
	}

	// Open every source first: a bad spec or a model mismatch is an error
	// before anything runs.
	type opened struct {
		src stream.Source
		dec *online.Decoder
		hdr stream.Header
	}
	var ss []opened
	defer func() {
		for _, o := range ss {
			o.src.Close()
		}
	}()
	for i, spec := range sources {
		src, err := openAnySource(spec)
		if err != nil {
			return fmt.Errorf("source %d (%s): %w", i, spec, err)
		}
		h := src.Header()
		dec, err := online.NewDecoder(m, matchNames(m.Channels, h.Channels), h.SFreq, cfg)
		if err != nil {
			src.Close()
			return fmt.Errorf("source %d (%s): %w", i, spec, err)
		}
		ss = append(ss, opened{src, dec, h})
	}

	var view *webview.Server
	if !*noWeb {
		view, err = webview.New(webview.Options{Title: fmt.Sprintf("bcikit serve: %s on %s", m.Pipeline, sources[0])})
		if err != nil {
			return err
		}
		if err := view.SetStream(ss[0].hdr.Channels, ss[0].hdr.SFreq); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return fmt.Errorf("--listen %s: %w", *listen, err)
		}
		srv := &http.Server{Handler: view, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		go view.Run(ctx)
		fmt.Fprintf(stderr, "bcikit serve: live view at %s\n", view.URL(ln.Addr().String()))
	}

	var pub *decisionOutlet
	if *publishLSL != "" {
		if pub, err = newDecisionOutlet(*publishLSL); err != nil {
			return err
		}
		defer pub.Close()
	}
	var outMu sync.Mutex
	enc := json.NewEncoder(stdout)
	stats := make([]*serveStats, len(ss))
	var wg sync.WaitGroup
	for i, o := range ss {
		st := &serveStats{name: sources[i]}
		stats[i] = st
		wg.Go(func() {
			st.err = serveOne(ctx, i, o.src, o.dec, o.hdr, m, view, i == 0, st, func(l serveLine) {
				pub.publish(l)
				if *quiet {
					return
				}
				outMu.Lock()
				defer outMu.Unlock()
				if *asJSON {
					enc.Encode(l)
					return
				}
				score := ""
				if l.Score != nil {
					score = fmt.Sprintf(" score=%.4f", *l.Score)
				}
				fmt.Fprintf(stdout, "source=%d t=%.3fs end=%d predicted=%d%s smoothed=%d%s latency=%.3fms\n",
					l.Source, l.Time, l.End, l.Predicted, nameSuffix(l.Name), l.Smoothed, score, l.LatencyMs)
			})
		})
	}
	wg.Wait()
	var errs []error
	for i, st := range stats {
		l := slices.Clone(st.latencies)
		slices.Sort(l)
		p := func(q float64) float64 {
			if len(l) == 0 {
				return math.NaN()
			}
			return stat.Quantile(q, stat.Empirical, l, nil)
		}
		fmt.Fprintf(stderr, "bcikit serve: source %d (%s): %d samples, %d decisions, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
			i, st.name, st.samples, st.decisions, p(0.5), p(0.99), p(1))
		if st.err != nil {
			errs = append(errs, fmt.Errorf("source %d (%s): %w", i, st.name, st.err))
		}
	}
	return errors.Join(errs...)
}

// matchNames returns the stream's channel names, cleaned as the datasets
// clean them (montage.Standardize: "Fc5." → "FC5") when that is what it
// takes for the model's channels to be found.
func matchNames(model, names []string) []string {
	if len(missingChannels(model, names)) == 0 {
		return names
	}
	std := make([]string, len(names))
	for i, n := range names {
		std[i] = montage.Standardize(n)
	}
	return std
}

func nameSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " (" + n + ")"
}

// serveOne decodes one source until it ends or ctx is done. An error of the
// stream ends this source only.
func serveOne(ctx context.Context, idx int, src stream.Source, dec *online.Decoder, h stream.Header, m *decode.Model,
	view *webview.Server, show bool, st *serveStats, emit func(serveLine)) error {
	var markers []online.Marker
	for {
		ch, err := src.Next(ctx)
		if err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return err
		}
		arrived := time.Now()
		markers = markers[:0]
		for _, mk := range ch.Markers {
			markers = append(markers, online.Marker(mk))
		}
		// A subscriber that joined a running stream starts at its first
		// chunk; after a gap (dropped chunks, a clock jump) the windows
		// start afresh at the new sample.
		if ch.Start != dec.Total() {
			if dec.Total() > 0 {
				fmt.Fprintf(stderr, "bcikit serve: source %d: samples %d to %d missing: windows restart at %d\n", idx, dec.Total(), ch.Start-1, ch.Start)
			}
			if ch.Start < dec.Total() {
				return fmt.Errorf("chunk starts at sample %d, before the %d already received", ch.Start, dec.Total())
			}
			dec.Restart(ch.Start)
		}
		ds, err := dec.Push(ch.Start, ch.Data, arrived, markers)
		if len(ch.Data) > 0 {
			st.samples += int64(len(ch.Data[0]))
		}
		if show && view != nil {
			view.Samples(ch.Data)
		}
		for _, d := range ds {
			st.decisions++
			lat := float64(d.Latency) / float64(time.Millisecond)
			st.latencies = append(st.latencies, lat)
			name := m.ClassNames[strconv.Itoa(d.Predicted)]
			l := serveLine{Source: idx, End: d.End, Time: float64(d.End) / h.SFreq, Predicted: d.Predicted, Name: name,
				Smoothed: d.Smoothed, LatencyMs: lat, Trigger: d.Trigger, Markers: slices.Clone(d.Markers)}
			if d.HasScore {
				s := d.Score
				l.Score = &s
			}
			emit(l)
			if show && view != nil {
				var probs map[string]float64
				if d.HasScore {
					probs = map[string]float64{"score": d.Score}
				}
				view.Decide(webview.Decision{Sample: d.End - 1, Class: d.Predicted, Name: name, Probabilities: probs, Latency: d.Latency})
			}
		}
		if err != nil {
			// A window the pipeline failed on, or a bad chunk: reported,
			// the stream goes on.
			fmt.Fprintf(stderr, "bcikit serve: source %d: %v\n", idx, err)
		}
	}
}
