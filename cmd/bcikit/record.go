package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bcikit/bcikit/record"
	"github.com/bcikit/bcikit/stream"
)

func init() {
	register(&command{
		name:    "record",
		summary: "Record a live stream to a BDF+ file, crash-safely (markers as annotations).",
		usage:   "--source SPEC [--markers lsl:QUERY]... [--marker-delay S] [--duration S] [--record-duration S] [--range NAME=MIN,MAX]... OUT.bdf",
		run:     runRecord,
	})
	register(&command{
		name:    "repair",
		summary: "Fix the header of an EDF/BDF file cut off mid-write (record count, partial last record).",
		usage:   "FILE",
		run:     runRepair,
	})
}

// openSource opens a stream for "bcikit record" (a variable so that tests
// can give a source that fails).
var openSource = openAnySource

// rangeFlags collects repeated --range NAME=MIN,MAX flags.
type rangeFlags map[string][2]float64

func (r rangeFlags) String() string { return "" }

func (r rangeFlags) Set(s string) error {
	name, v, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(v, ",")
	if !ok || !ok2 || name == "" {
		return fmt.Errorf("%q: want NAME=MIN,MAX", s)
	}
	a, err1 := strconv.ParseFloat(lo, 64)
	b, err2 := strconv.ParseFloat(hi, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%q: MIN and MAX must be numbers", s)
	}
	r[name] = [2]float64{a, b}
	return nil
}

func runRecord(args []string, stdout io.Writer) error {
	c := commands["record"]
	fs := newFlags(c, stdout)
	spec := fs.String("source", "", "the stream: replay:FILE[?speed=N], tcp://HOST:PORT, ws://HOST:PORT/PATH, listen://HOST:PORT or lsl:NAME|lsl:type=EEG|lsl:PREDICATE")
	var markers listFlag
	fs.Var(&markers, "markers", "an LSL marker stream (lsl:type=Markers, ...) whose events are stored as annotations at the nearest sample of --source lsl:... (repeatable)")
	markerDelay := fs.Float64("marker-delay", 0.2, "seconds each chunk waits for --markers events sent late")
	duration := fs.Float64("duration", 0, "stop after this many seconds of stream (0: until the source ends or Ctrl-C)")
	recDur := fs.Float64("record-duration", 0, "data record duration in seconds, at most 1: at most this much is lost if the recorder dies (0: chosen)")
	ranges := rangeFlags{}
	fs.Var(ranges, "range", "physical range of a channel in its SI unit, `NAME=MIN,MAX` (repeatable; needed for units other than V and NA)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *spec == "" {
		return fmt.Errorf("%w: --source is required", errUsage)
	}
	if !(*duration >= 0) || math.IsInf(*duration, 0) {
		return fmt.Errorf("%w: --duration %v: want a number of seconds ≥ 0", errUsage, *duration)
	}
	out := pos[0]

	var src stream.Source
	if len(markers) > 0 {
		if !(*markerDelay > 0 && *markerDelay <= 10) {
			return fmt.Errorf("%w: --marker-delay %v: want seconds in (0, 10]", errUsage, *markerDelay)
		}
		src, err = openSourceWithMarkers(*spec, markers, time.Duration(*markerDelay*float64(time.Second)))
	} else {
		src, err = openSource(*spec)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	hdr := src.Header()
	w, err := record.Create(out, hdr, record.Options{RecordDuration: *recDur, Ranges: ranges})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	limit := int64(math.MaxInt64)
	if *duration > 0 {
		limit = int64(math.Round(*duration * hdr.SFreq))
	}
	fmt.Fprintf(stderr, "recording %d channels at %v Hz to %s (%d samples per record)\n", len(hdr.Channels), hdr.SFreq, out, w.RecordSamples())
	var first int64 = -1
	recErr := func() error {
		for {
			ch, err := src.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil // interrupted: a normal end
				}
				return fmt.Errorf("source: %w", err)
			}
			if first < 0 {
				first = ch.Start
			}
			if n := ch.Len(); ch.Start+int64(n) > first+limit {
				keep := max(0, int(first+limit-ch.Start))
				cut := make([][]float64, len(ch.Data))
				for i, d := range ch.Data {
					cut[i] = d[:keep]
				}
				ch.Data = cut
				markers := ch.Markers[:0:0]
				for _, m := range ch.Markers {
					if m.Sample < first+limit {
						markers = append(markers, m)
					}
				}
				ch.Markers = markers
			}
			if err := w.Write(ch); err != nil {
				if errors.Is(err, record.ErrChunk) {
					fmt.Fprintf(stderr, "bcikit record: skipped a chunk: %v\n", err)
					continue
				}
				return err
			}
			if w.Samples() >= limit {
				return nil
			}
		}
	}()
	closeErr := w.Close()
	secs := float64(w.Samples()) / hdr.SFreq
	if recErr != nil {
		return fmt.Errorf("%w (%s keeps the %.3f s recorded before)", recErr, out, secs)
	}
	if closeErr != nil {
		return closeErr
	}
	if w.Samples() == 0 {
		return fmt.Errorf("%s: the source ended before its first sample", out)
	}
	fmt.Fprintf(stdout, "%s: %.3f s of %d channels at %v Hz in %d records\n", out, secs, len(hdr.Channels), hdr.SFreq, w.Records())
	return nil
}

func runRepair(args []string, stdout io.Writer) error {
	c := commands["repair"]
	fs := newFlags(c, stdout)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	rep, err := record.Repair(pos[0])
	if err != nil {
		return err
	}
	if !rep.Changed() {
		fmt.Fprintf(stdout, "%s: nothing to repair (%d records)\n", pos[0], rep.Records)
		return nil
	}
	fmt.Fprintf(stdout, "%s: %d complete records (the header said %d), %d bytes of a partial record dropped\n", pos[0], rep.Records, rep.HeaderRecords, rep.DroppedBytes)
	return nil
}
