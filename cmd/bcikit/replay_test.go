package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/stream"
)

// lockedBuffer is a bytes.Buffer safe for a command writing while the test
// reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestReplayCommand publishes a recording with bcikit replay and reads it
// back over TCP and WebSocket: the samples equal the file's (float64
// exactly, float32 to its rounding) and the markers are its annotations.
func TestReplayCommand(t *testing.T) {
	path := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	want, err := format.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scheme string
		flags  []string
		f32    bool
	}{{"tcp", nil, false}, {"ws", []string{"--float32", "--chunk", "100"}, true}} {
		pr, pw := io.Pipe()
		var errOut lockedBuffer
		done := make(chan int, 1)
		args := append([]string{"replay", path, "--speed", "0", "--wait", "1", "--listen", "127.0.0.1:0"}, tc.flags...)
		go func() {
			done <- run(args, pw, &errOut)
			pw.Close()
		}()
		line, err := bufio.NewReader(pr).ReadString('\n')
		if err != nil {
			t.Fatalf("first line: %v (stderr %s)", err, errOut.String())
		}
		go io.Copy(io.Discard, pr)
		m := regexp.MustCompile(`tcp://(\S+) and ws://\S+/stream`).FindStringSubmatch(line)
		if m == nil || !strings.Contains(line, "64 channels at 160 Hz") {
			t.Fatalf("first line %q", line)
		}
		spec := "tcp://" + m[1]
		if tc.scheme == "ws" {
			spec = "ws://" + m[1] + "/stream"
		}
		src, err := stream.Open(spec)
		if err != nil {
			t.Fatal(err)
		}
		var n, nm int
		for {
			c, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for ch := range c.Data {
				for i, v := range c.Data[ch] {
					exp := want.Data[ch][n+i]
					if tc.f32 {
						exp = float64(float32(exp))
					}
					if v != exp {
						t.Fatalf("%s ch %d sample %d: %v, want %v", tc.scheme, ch, n+i, v, exp)
					}
				}
			}
			nm += len(c.Markers)
			n += c.Len()
		}
		src.Close()
		if n != want.NSamples || nm != len(want.Annotations) {
			t.Errorf("%s: %d samples and %d markers, want %d and %d", tc.scheme, n, nm, want.NSamples, len(want.Annotations))
		}
		if code := <-done; code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if !strings.Contains(errOut.String(), "joined") {
			t.Errorf("stderr %q does not report the subscriber", errOut.String())
		}
	}
}

func TestReplayCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay"}, "usage"},
		{[]string{"replay", "/nonexistent.edf"}, "nonexistent.edf"},
		{[]string{"replay", "x.edf", "--speed", "-2"}, "--speed -2"},
		{[]string{"replay", "x.edf", "--chunk", "-1"}, "--chunk -1"},
		{[]string{"replay", "x.edf", "--wait", "-1"}, "--wait -1"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(e, tc.want) || strings.Count(strings.TrimSpace(e), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q (want one line with %q)", tc.args, code, e, tc.want)
		}
	}
	path := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	if code, _, e := runCLI(t, "replay", path, "--listen", "256.0.0.1:99999"); code == 0 || !strings.Contains(e, "--listen") {
		t.Errorf("bad --listen: exit %d, %q", code, e)
	}
}
