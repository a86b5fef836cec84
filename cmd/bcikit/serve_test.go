package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/online"
	"github.com/bcikit/bcikit/stream"
)

// TestServeReplay trains a model, replays a recording through bcikit serve
// as fast as it can go and checks the cue-triggered decisions: one per cue,
// with latencies, mostly right (subject 1 imagery), and the live view's
// tokened URL on stderr.
func TestServeReplay(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--subjects", "1", "--pipeline", "csp+lda", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	file := testdata.Path(t, "eegmmidb/S001/S001R08.edf")
	code, out, e := runCLI(t, "serve", "--model", model, "--source", "replay:"+file+"?speed=max", "--trigger", "--step", "-1", "--json")
	if code != 0 {
		t.Fatalf("serve: %d %s", code, e)
	}
	if !strings.Contains(e, "live view at http://127.0.0.1:") || !strings.Contains(e, "?token=") {
		t.Errorf("no live view URL: %q", e)
	}
	var n, right int
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l serveLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if l.Trigger == nil || l.LatencyMs < 0 || l.Score == nil {
			t.Errorf("decision %+v", l)
			continue
		}
		n++
		if l.Predicted == l.Trigger.Code {
			right++
		}
	}
	if n != 15 {
		t.Fatalf("%d triggered decisions, want one per cue (15)", n)
	}
	if right < 10 {
		t.Errorf("%d of 15 cue windows decoded right (offline: 15 of 15)", right)
	}
}

func TestServeBadInput(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--subjects", "1", "--pipeline", "mdm", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	ssvep := testdata.Path(t, "ssvep-exo/subject01/record-[2012.07.06-19.02.16]_raw.fif")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--model", model}, "--source"},
		{[]string{"serve", "--model", model, "--source", "nope:x"}, "source 0"},
		{[]string{"serve", "--model", model, "--source", "replay:" + ssvep + "?speed=max", "--no-web"}, "160 Hz"},
		{[]string{"serve", "--model", model, "--source", "tcp://127.0.0.1:1", "--no-web"}, "source 0"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(e, tc.want) || strings.Count(strings.TrimSpace(e), "\n") != 0 {
			t.Errorf("%v: exit %d, %q; want an error mentioning %q", tc.args, code, e, tc.want)
		}
	}
}

// offsetSource shifts a source's sample numbers, as a subscriber that
// joined a running stream sees them, and drops one chunk (a gap).
type offsetSource struct {
	stream.Source
	off  int64
	n    int
	drop int
}

func (o *offsetSource) Next(ctx context.Context) (stream.Chunk, error) {
	for {
		c, err := o.Source.Next(ctx)
		if err != nil {
			return c, err
		}
		o.n++
		if o.n == o.drop {
			continue
		}
		c.Start += o.off
		for i := range c.Markers {
			c.Markers[i].Sample += o.off
		}
		return c, nil
	}
}

// TestServeLateJoinAndGap checks that serve decodes a stream whose first
// chunk is not sample 0 and goes on after a gap, saying so.
func TestServeLateJoinAndGap(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	mf := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--subjects", "1", "--pipeline", "csp+lda", "--out", mf); code != 0 {
		t.Fatalf("train: %s", e)
	}
	m, err := readModel(mf)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := stream.OpenReplay(testdata.Path(t, "eegmmidb/S001/S001R08.edf"), stream.ReplayOptions{Speed: -1})
	if err != nil {
		t.Fatal(err)
	}
	src := &offsetSource{Source: rep, off: 31, drop: 200}
	h := src.Header()
	dec, err := online.NewDecoder(m, matchNames(m.Channels, h.Channels), h.SFreq, online.Config{Step: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	stderr = &errOut
	defer func() { stderr = os.Stderr }()
	st := &serveStats{}
	n := 0
	if err := serveOne(context.Background(), 0, src, dec, h, m, nil, false, st, func(serveLine) { n++ }); err != nil {
		t.Fatal(err)
	}
	if n < 200 || !strings.Contains(errOut.String(), "missing: windows restart") {
		t.Errorf("%d decisions; stderr %q", n, errOut.String())
	}
}
