package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/lsl"
	"github.com/bcikit/bcikit/stream"
)

// unicastLSL points liblsl's configuration variable at a file that makes
// discovery ask 127.0.0.1 only (as a known peer, on its own port range),
// so that the test sends no multicast or broadcast.
func unicastLSL(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "lsl_api.cfg")
	os.WriteFile(cfg, []byte("[ports]\nIPv6 = disable\nBasePort = 27572\nPortRange = 16\nMulticastPort = 27571\n\n[multicast]\nResolveScope = machine\nMachineAddresses = {}\n\n[lab]\nKnownPeers = {127.0.0.1}\n"), 0o644)
	t.Setenv("LSLAPICFG", cfg)
}

// TestLSLReplayRecord publishes a recording with bcikit replay --lsl (at 8×
// real time) and records it with bcikit record --source lsl:type=EEG
// --markers lsl:type=Markers: the BDF holds the file's samples and its
// annotations at their own samples, though markers and EEG come from two
// outlets.
func TestLSLReplayRecord(t *testing.T) {
	unicastLSL(t)
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	src, err := format.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	var errOut lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"replay", in, "--lsl", "S001R04", "--type", "EEG", "--speed", "8", "--wait", "1"}, pw, &errOut)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	go io.Copy(io.Discard, pr)
	if !strings.Contains(line, `as LSL stream "S001R04" (type EEG, 64 channels at 160 Hz`) || !strings.Contains(line, `"S001R04-Markers"`) {
		t.Fatalf("replay said %q", line)
	}
	out := filepath.Join(t.TempDir(), "lsl.bdf")
	code, o, e := runCLI(t, "record", "--source", "lsl:type=EEG", "--markers", "lsl:type=Markers", "--marker-delay", "1", "--duration", "40", out)
	if code != 0 {
		t.Fatalf("record: exit %d: %s", code, e)
	}
	if !strings.Contains(o, "40.000 s of 64 channels at 160 Hz") {
		t.Fatalf("record said %q", o)
	}
	checkRecorded(t, out, src, 6400)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("replay did not end")
	}
}

// TestLSLServePublish serves an LSL stream and publishes the decisions as
// an LSL marker stream that a program can resolve and read.
func TestLSLServePublish(t *testing.T) {
	unicastLSL(t)
	dataEnv(t)
	model := filepath.Join(t.TempDir(), "m.json")
	if code, _, e := runCLI(t, "train", "--subjects", "1", "--pipeline", "csp+lda", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	// The input is published by the library (two commands cannot run at
	// once in one process: they share the CLI's stderr).
	cfg, err := lsl.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	rp, err := stream.OpenReplay(in, stream.ReplayOptions{Speed: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	pubCtx, stopPub := context.WithCancel(context.Background())
	defer stopPub()
	go lsl.Publish(pubCtx, rp, lsl.PublishOptions{Name: "ServeIn", WaitFor: 1, Outlet: lsl.OutletOptions{Config: &cfg}})
	var out, serveErr lockedBuffer
	serveDone := make(chan int, 1)
	go func() {
		serveDone <- run([]string{"serve", "--model", model, "--source", "lsl:ServeIn", "--no-web", "--duration", "6", "--publish-lsl", "bcikit-decisions"}, &out, &serveErr)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	found, err := lsl.Resolve(ctx, "name='bcikit-decisions' and type='Markers'", lsl.ResolveOptions{Config: &cfg, Minimum: 1})
	if err != nil {
		t.Fatal(err)
	}
	inl, err := lsl.OpenInlet(ctx, found[0], lsl.InletOptions{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer inl.Close()
	c, err := inl.Pull(ctx)
	if err != nil {
		t.Fatalf("%v; serve said %s %s", err, out.String(), serveErr.String())
	}
	if len(c.Strings[0]) != 4 || c.Strings[0][0] != "0" {
		t.Fatalf("decision sample %q", c.Strings[0])
	}
	<-serveDone
	if !strings.Contains(out.String(), "predicted=") {
		t.Fatalf("serve printed %q", out.String())
	}
}

// TestLSLUsageErrors: bad LSL flags are one-line errors, before anything
// is published or resolved.
func TestLSLUsageErrors(t *testing.T) {
	unicastLSL(t)
	path := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", path, "--lsl", "X", "--listen", "127.0.0.1:0"}, "--lsl publishes on LSL"},
		{[]string{"record", "--source", "lsl:name=(", "out.bdf"}, "invalid query"},
		{[]string{"record", "--source", "replay:" + path, "--markers", "lsl:type=Markers", "out.bdf"}, "--markers needs an lsl: source"},
		{[]string{"record", "--source", "lsl:type=EEG", "--markers", "type=Markers", "out.bdf"}, "--markers type=Markers"},
		{[]string{"serve", "--model", "m.json", "--source", "lsl:"}, "m.json"},
		{[]string{"record", "--source", "lsl:type=EEG", "--markers", "lsl:type=Markers", "--marker-delay", "0", "out.bdf"}, "--marker-delay 0"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(e, tc.want) || strings.Count(strings.TrimSpace(e), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q (want one line with %q)", tc.args, code, e, tc.want)
		}
	}
}
