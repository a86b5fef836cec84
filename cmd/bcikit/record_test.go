package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/stream"
)

// bdfHalfStep is half the digital step of a recorded EEG channel (BioSemi's
// 524287 µV over 2^24-1 steps), in volts.
const bdfHalfStep = 524287.0 / 16777215 / 2 * 1e-6

// checkRecorded checks that the recording at path holds the first samples
// of src (all of its samples but a padded last record), with src's
// annotations as markers (onsets only: markers carry no duration).
func checkRecorded(t *testing.T, path string, src *raw.Raw, wantSamples int) *edf.Reader {
	t.Helper()
	r, err := edf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	rec, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if rec.SFreq != src.SFreq || len(rec.Channels) != len(src.Channels) {
		t.Fatalf("%v Hz, %d channels; want %v Hz, %d", rec.SFreq, len(rec.Channels), src.SFreq, len(src.Channels))
	}
	n := min(rec.NSamples, wantSamples)
	if wantSamples >= 0 && rec.NSamples < wantSamples {
		t.Fatalf("%d samples recorded, want %d", rec.NSamples, wantSamples)
	}
	if wantSamples < 0 {
		n = rec.NSamples
	}
	for c := range rec.Channels {
		if rec.Channels[c].Name != src.Channels[c].Name {
			t.Fatalf("channel %d named %q, want %q", c, rec.Channels[c].Name, src.Channels[c].Name)
		}
		for i := 0; i < n; i++ {
			if d := math.Abs(rec.Data[c][i] - src.Data[c][i]); d > bdfHalfStep*(1+1e-9) {
				t.Fatalf("channel %s sample %d: %v, want %v (±%g V)", rec.Channels[c].Name, i, rec.Data[c][i], src.Data[c][i], bdfHalfStep)
			}
		}
	}
	var want []raw.Annotation
	for _, a := range src.Annotations {
		if a.Onset < float64(n)/src.SFreq {
			want = append(want, raw.Annotation{Onset: a.Onset, Description: a.Description})
		}
	}
	var got []raw.Annotation
	for _, a := range rec.Annotations {
		if a.Onset < float64(n)/src.SFreq && a.Description != "BAD_pad" {
			got = append(got, raw.Annotation{Onset: a.Onset, Description: a.Description})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("annotations %v, want %v", got, want)
	}
	for i := range got {
		if got[i].Description != want[i].Description || math.Abs(got[i].Onset-want[i].Onset) > 1e-6 {
			t.Fatalf("annotation %d: %v, want %v", i, got[i], want[i])
		}
	}
	return r
}

func TestRecordReplay(t *testing.T) {
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	src, err := format.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.bdf")
	code, o, e := runCLI(t, "record", "--source", "replay:"+in+"?speed=max", "--duration", "5", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !strings.Contains(o, "5.000 s of 64 channels at 160 Hz in 5 records") {
		t.Fatalf("stdout %q", o)
	}
	r := checkRecorded(t, out, src, 800)
	if h := r.Header(); h.Records != 5 || h.RecordDuration != 1 || r.Info().NSamples != 800 {
		t.Fatalf("%d records of %v s, %d samples; want 5 of 1 s, 800", h.Records, h.RecordDuration, r.Info().NSamples)
	}
	// A recording is never overwritten.
	if code, _, e := runCLI(t, "record", "--source", "replay:"+in+"?speed=max", out); code != 1 || !strings.Contains(e, "exists") {
		t.Fatalf("recording over an existing file: exit %d, %q", code, e)
	}
	code, o, _ = runCLI(t, "repair", out)
	if code != 0 || !strings.Contains(o, "nothing to repair (5 records)") {
		t.Fatalf("repair of a closed recording: %d %q", code, o)
	}
}

func TestRecordUsage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.bdf")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"record", out}, 2, "--source is required"},
		{[]string{"record", "--source", "replay:x", "--duration", "-1", out}, 2, "--duration"},
		{[]string{"record", "--source", "replay:x", "--range", "C3=1", out}, 2, "NAME=MIN,MAX"},
		{[]string{"record", "--source", "nope", out}, 1, "no scheme"},
		{[]string{"repair"}, 2, "missing argument"},
		{[]string{"repair", out}, 1, "no such file"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(e, tc.want) || strings.Count(e, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and one line naming %q", tc.args, code, e, tc.code, tc.want)
		}
	}
}

// failingSource yields n chunks of a ramp, then err.
type failingSource struct {
	n, k int
	err  error
}

func (s *failingSource) Header() stream.Header {
	return stream.Header{Channels: []string{"A", "B"}, Units: []string{"V", "V"}, Types: []string{"eeg", "eeg"}, SFreq: 100}
}

func (s *failingSource) Next(ctx context.Context) (stream.Chunk, error) {
	if s.k == s.n {
		return stream.Chunk{}, s.err
	}
	ch := stream.Chunk{Start: int64(30 * s.k), Data: [][]float64{make([]float64, 30), make([]float64, 30)}}
	for i := range 30 {
		ch.Data[0][i] = float64(30*s.k+i) * 1e-6
		ch.Data[1][i] = -float64(30*s.k+i) * 1e-6
	}
	s.k++
	return ch, nil
}

func (s *failingSource) Close() error { return nil }

func TestRecordSourceVanishes(t *testing.T) {
	defer func(f func(string) (stream.Source, error)) { openSource = f }(openSource)
	openSource = func(string) (stream.Source, error) {
		return &failingSource{n: 5, err: fmt.Errorf("read tcp 127.0.0.1:1: %w", io.ErrUnexpectedEOF)}, nil
	}
	out := filepath.Join(t.TempDir(), "v.bdf")
	code, _, e := runCLI(t, "record", "--source", "tcp://127.0.0.1:1", out)
	if code != 1 || !strings.Contains(e, "unexpected EOF") || !strings.Contains(e, "keeps the 1.500 s recorded") {
		t.Fatalf("exit %d, %q", code, e)
	}
	r, err := edf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Header().Records != 2 || rec.NSamples != 200 {
		t.Fatalf("%d records, %d samples; want 2, 200 (150 and the padding)", r.Header().Records, rec.NSamples)
	}
	for i := range 150 {
		if d := math.Abs(rec.Data[0][i] - float64(i)*1e-6); d > bdfHalfStep*(1+1e-9) {
			t.Fatalf("sample %d: %v", i, rec.Data[0][i])
		}
	}
}

// recordChildEnv names the output of TestRecordChild.
const recordChildEnv = "BCIKIT_RECORD_CLI_CHILD"

// TestRecordChild is the child of TestRecordKill: "bcikit record" of a
// replay at 20 times real time, until killed.
func TestRecordChild(t *testing.T) {
	out := os.Getenv(recordChildEnv)
	if out == "" {
		t.Skip("the child of TestRecordKill")
	}
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	os.Exit(run([]string{"record", "--source", "replay:" + in + "?speed=20", out}, os.Stdout, os.Stderr))
}

// TestRecordKill kills "bcikit record" with SIGKILL at random moments: the
// file opens and holds the source's samples and markers; "bcikit repair"
// then writes its record count.
func TestRecordKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	src, err := format.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	dir := t.TempDir()
	for run := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("k%d.bdf", run))
		cmd := exec.Command(os.Args[0], "-test.run=^TestRecordChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), recordChildEnv+"="+out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The replay sends 20 s of recording a second: wait for a few.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if st, err := os.Stat(out); err == nil && st.Size() > 16640+3*31233 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		r := checkRecorded(t, out, src, -1)
		if h := r.Header(); h.Records != -1 || h.RecordsInFile < 3 {
			t.Fatalf("killed recording: header says %d records, file holds %d", h.Records, h.RecordsInFile)
		}
		records := r.Header().RecordsInFile
		r.Close()
		code, o, e := runCLI(t, "repair", out)
		if code != 0 || !strings.Contains(o, fmt.Sprintf("%d complete records (the header said -1)", records)) {
			t.Fatalf("repair: exit %d, %q %q", code, o, e)
		}
		r2, err := edf.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		if h := r2.Header(); h.Records != records || h.RecordsInFile != records {
			t.Fatalf("repaired: header says %d records, file holds %d; want %d", h.Records, h.RecordsInFile, records)
		}
		r2.Close()
		t.Logf("killed after %d records", records)
	}
}

// TestRecordTCPSourceFails records from a bcikit stream server over TCP
// whose source fails after five chunks: the error names the source and
// the file keeps the samples received.
func TestRecordTCPSourceFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &stream.Server{WaitFor: 1, Backpressure: true, Logf: t.Logf}
	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(ctx, ln, &failingSource{n: 5, err: errors.New("amplifier unplugged")})
	}()
	out := filepath.Join(t.TempDir(), "tcp.bdf")
	code, _, e := runCLI(t, "record", "--source", "tcp://"+ln.Addr().String(), out)
	if code != 1 || !strings.Contains(e, "tcp://"+ln.Addr().String()) || !strings.Contains(e, "keeps the 1.500 s recorded") {
		t.Fatalf("exit %d, %q", code, e)
	}
	t.Logf("stderr: %s", e)
	r, err := edf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Header().Records != 2 || rec.NSamples != 200 {
		t.Fatalf("%d records, %d samples; want 2, 200", r.Header().Records, rec.NSamples)
	}
	for i := range 150 {
		if d := math.Abs(rec.Data[1][i] + float64(i)*1e-6); d > bdfHalfStep*(1+1e-9) {
			t.Fatalf("sample %d: %v", i, rec.Data[1][i])
		}
	}
	cancel()
	<-served
}

// TestRecordInterrupt stops "bcikit record" with SIGINT (Ctrl-C): it exits
// 0 with a closed file, whose header counts its records.
func TestRecordInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	in := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	src, err := format.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "int.bdf")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), recordChildEnv+"="+out)
	var o strings.Builder
	cmd.Stdout = &o
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := os.Stat(out); err == nil && st.Size() > 16640+2*31233 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	st, _ := os.Stat(out)
	t.Logf("interrupting at %d bytes", st.Size())
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("interrupted record: %v (%s)", err, o.String())
	}
	if !strings.Contains(o.String(), "channels at 160 Hz in") {
		t.Fatalf("stdout %q", o.String())
	}
	var secs float64
	if _, err := fmt.Sscanf(o.String()[strings.Index(o.String(), ": ")+2:], "%f s", &secs); err != nil {
		t.Fatalf("stdout %q: %v", o.String(), err)
	}
	samples := int(math.Round(secs * 160))
	r := checkRecorded(t, out, src, samples)
	if h := r.Header(); h.Records < 2 || h.Records != h.RecordsInFile || h.Records != (samples+159)/160 {
		t.Fatalf("interrupted recording of %d samples: header says %d records, file holds %d", samples, h.Records, h.RecordsInFile)
	}
	t.Logf("%s; annotations %v", strings.TrimSpace(o.String()), r.Info().Annotations[len(r.Info().Annotations)-1])
}
