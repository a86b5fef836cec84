package record

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/stream"
)

// crashEnv names the file the child process records to.
const crashEnv = "BCIKIT_RECORD_CRASH_CHILD"

// crashRecord is the samples per record of the child's recording.
const crashRecord = 64 // 0.25 s at 256 Hz

// crashMarker reports whether the child puts a marker on stream sample i,
// and its code.
func crashMarker(i int64) (int, bool) { return int(i/97%5) + 1, i%97 == 13 }

// TestCrashChild is the child of TestKill: it records the synthetic
// stream to $BCIKIT_RECORD_CRASH_CHILD until it is killed, printing the
// number of samples handed to Write after every Write.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("the child of TestKill")
	}
	var pace time.Duration // per sample; 0 as fast as it goes
	if os.Getenv(crashEnv+"_PACED") != "" {
		pace = time.Second / 1024 // 4 times real time
	}
	if err := recordSynthetic(path, os.Stdout, 1<<62, pace); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

// recordSynthetic records the synthetic stream (chunks of 1 to 40
// samples, markers) to path until limit samples, printing "written N"
// after every Write, waiting pace per sample (if not 0).
func recordSynthetic(path string, out *os.File, limit int64, pace time.Duration) error {
	t0 := time.Now()
	w, err := Create(path, testHeader(256), Options{RecordDuration: 0.25})
	if err != nil {
		return err
	}
	var pos int64
	for k := 0; pos < limit; k++ {
		n := 1 + k*7919%40
		ch := chunk(4, pos, n)
		for i := pos; i < pos+int64(n); i++ {
			if code, ok := crashMarker(i); ok {
				ch.Markers = append(ch.Markers, stream.Marker{Sample: i, Code: code})
			}
		}
		if err := w.Write(ch); err != nil {
			return err
		}
		pos += int64(n)
		fmt.Fprintf(out, "written %d\n", pos)
		if pace > 0 {
			time.Sleep(time.Until(t0.Add(time.Duration(pos) * pace)))
		} else if k%4 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	return w.Close()
}

// TestKill records in a child process, kills it with SIGKILL at random
// moments, and reads the file back: every sample the child had handed to
// Write, but those of the record being filled (at most 0.25 s), is there
// and equal to the source's, with the markers as annotations; Repair then
// makes the header right.
func TestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	rng := rand.New(rand.NewPCG(4, 1))
	dir := t.TempDir()
	for run := range 6 {
		path := filepath.Join(dir, fmt.Sprintf("kill%d.bdf", run))
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan int64, 1024)
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if s, ok := strings.CutPrefix(sc.Text(), "written "); ok {
					n, _ := strconv.ParseInt(s, 10, 64)
					select {
					case lines <- n:
					default:
						<-lines
						lines <- n
					}
				}
			}
		}()
		// Kill at a random moment: sometimes before the first record.
		wait := time.Duration(rng.IntN(150)) * time.Millisecond
		if run == 0 {
			wait = 0
		}
		time.Sleep(wait)
		var reported int64
		drain := func() {
			for {
				select {
				case n := <-lines:
					reported = max(reported, n)
				default:
					return
				}
			}
		}
		drain() // what the child said before it was killed
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		<-done
		checkKilled(t, path, reported)
	}
}

// checkKilled checks the file of a killed child that had reported writing
// at least reported samples.
func checkKilled(t *testing.T, path string, reported int64) {
	t.Helper()
	minSamples := int(reported / crashRecord * crashRecord)
	r, err := edf.Open(path)
	if err != nil {
		if minSamples == 0 && (errors.Is(err, os.ErrNotExist) || errors.Is(err, edf.ErrTruncated)) {
			return // killed before its first record
		}
		t.Fatalf("%s (reported %d samples): %v", path, reported, err)
	}
	defer r.Close()
	rec, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Header().Records != -1 {
		t.Fatalf("killed recording's header says %d records, want -1", r.Header().Records)
	}
	if rec.NSamples < minSamples {
		t.Fatalf("%s: %d samples, but the child had written %d: more than a record lost", path, rec.NSamples, reported)
	}
	t.Logf("killed after writing %d samples: %d read back, %d annotations", reported, rec.NSamples, len(rec.Annotations))
	checkSamples(t, rec, 0, rec.NSamples)
	checkCrashMarkers(t, rec)
	st, _ := os.Stat(path)
	rep, err := Repair(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.HeaderRecords != -1 || rep.Records != rec.NSamples/crashRecord || int64(1536+rep.Records*3*(4*crashRecord+171))+rep.DroppedBytes != st.Size() {
		t.Fatalf("Repair of %d bytes: %+v", st.Size(), rep)
	}
	r2, err := edf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if h := r2.Header(); h.Records != rep.Records || h.RecordsInFile != rep.Records {
		t.Fatalf("after Repair: header %d records, file %d; want %d", h.Records, h.RecordsInFile, rep.Records)
	}
	if rep, err := Repair(path); err != nil || rep.Changed() {
		t.Fatalf("second Repair: %+v, %v; want no change", rep, err)
	}
}

// checkCrashMarkers checks that the annotations are the child's markers on
// the samples read back (those of the last record included).
func checkCrashMarkers(t *testing.T, rec *raw.Raw) {
	t.Helper()
	var want []raw.Annotation
	for i := int64(0); i < int64(rec.NSamples+crashRecord); i++ {
		if code, ok := crashMarker(i); ok {
			want = append(want, raw.Annotation{Onset: float64(i) / 256, Description: strconv.Itoa(code)})
		}
	}
	// A marker in the record being filled may have been written with the
	// record before it: it is outside the recording, which readers drop.
	checkAnnotations(t, rec.Annotations, raw.ClipAnnotations(want, &rec.Info))
}
