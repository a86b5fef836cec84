package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/lsl"
	"github.com/bcikit/bcikit/stream"
)

// lslOpenTimeout bounds finding an LSL stream and its first time correction.
const lslOpenTimeout = 15 * time.Second

// openAnySource opens a source spec: "lsl:NAME", "lsl:type=EEG" or
// "lsl:PREDICATE" through the lsl package, any other spec with stream.Open.
func openAnySource(spec string) (stream.Source, error) {
	return openSourceWithMarkers(spec, nil, 0)
}

// openSourceWithMarkers opens spec with the LSL marker streams given as
// "lsl:..." specs merged into its chunks (bcikit record --markers), each
// chunk held back delay for late markers (0: the lsl package's default).
func openSourceWithMarkers(spec string, markers []string, delay time.Duration) (stream.Source, error) {
	rest, ok := strings.CutPrefix(spec, "lsl:")
	if !ok {
		if len(markers) > 0 {
			return nil, fmt.Errorf("%w: --markers needs an lsl: source, not %q", errUsage, spec)
		}
		return stream.Open(spec)
	}
	query, err := lsl.SpecQuery(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: --source %s: %v", errUsage, spec, err)
	}
	var mqs []string
	for _, m := range markers {
		r, ok := strings.CutPrefix(m, "lsl:")
		if !ok {
			return nil, fmt.Errorf("%w: --markers %s: want lsl:NAME, lsl:type=TYPE or lsl:PREDICATE", errUsage, m)
		}
		q, err := lsl.SpecQuery(r)
		if err != nil {
			return nil, fmt.Errorf("%w: --markers %s: %v", errUsage, m, err)
		}
		mqs = append(mqs, q)
	}
	cfg, err := lsl.LoadConfig()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), lslOpenTimeout)
	defer cancel()
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bcikit: "+format+"\n", a...) }
	src, err := lsl.OpenSource(ctx, query, lsl.SourceOptions{Inlet: lsl.InletOptions{Config: &cfg}, Markers: mqs, MarkerDelay: delay, Logf: logf})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	return src, nil
}

// replayLSL publishes a replay as an LSL outlet NAME of type typ (and its
// markers as NAME-Markers) until it ends or ctx is done.
func replayLSL(ctx context.Context, rp stream.Source, name, typ string, wait int, stdout io.Writer) error {
	cfg, err := lsl.LoadConfig()
	if err != nil {
		return err
	}
	h := rp.Header()
	err = lsl.Publish(ctx, rp, lsl.PublishOptions{Name: name, Type: typ, Markers: true, WaitFor: wait,
		Outlet: lsl.OutletOptions{Config: &cfg, Logf: func(format string, a ...any) { fmt.Fprintf(stderr, "bcikit replay: "+format+"\n", a...) }},
		Ready: func(d lsl.StreamInfo, m *lsl.StreamInfo) {
			fmt.Fprintf(stdout, "publishing %s as LSL stream %q (type %s, %d channels at %g Hz, uid %s, TCP port %d) and its markers as %q (scope %s)\n",
				h.Name, d.Name, d.Type, d.ChannelCount, d.NominalSrate, d.UID, d.V4DataPort, m.Name, cfg.ResolveScope)
			if f, ok := stdout.(interface{ Sync() error }); ok {
				f.Sync()
			}
		}})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// decisionOutlet publishes the decisions of bcikit serve as an LSL stream
// of type Markers: one sample per decision, four string channels (source,
// predicted, smoothed, class name), stamped when the decision is made.
type decisionOutlet struct{ out *lsl.Outlet }

func newDecisionOutlet(name string) (*decisionOutlet, error) {
	cfg, err := lsl.LoadConfig()
	if err != nil {
		return nil, err
	}
	info := lsl.StreamInfo{Name: name, Type: "Markers", ChannelCount: 4, Format: lsl.String, SourceID: "bcikit-serve-" + name,
		Channels: []lsl.Channel{{Label: "source"}, {Label: "predicted"}, {Label: "smoothed"}, {Label: "class"}}}
	out, err := lsl.NewOutlet(info, lsl.OutletOptions{Config: &cfg})
	if err != nil {
		return nil, fmt.Errorf("--publish-lsl %s: %w", name, err)
	}
	return &decisionOutlet{out: out}, nil
}

func (d *decisionOutlet) publish(l serveLine) {
	if d == nil {
		return
	}
	d.out.PushStrings([]string{strconv.Itoa(l.Source), strconv.Itoa(l.Predicted), strconv.Itoa(l.Smoothed), l.Name}, 0)
}

func (d *decisionOutlet) Close() error {
	if d == nil {
		return nil
	}
	return d.out.Close()
}
