package webview

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// feed pushes a 10 Hz sine on every channel at 250 Hz, chunk by chunk,
// with a decision every chunk, until ctx ends.
func feed(ctx context.Context, s *Server, channels int) {
	const sfreq, chunk = 250.0, 25
	var n int64
	for ctx.Err() == nil {
		data := make([][]float64, channels)
		for c := range data {
			data[c] = make([]float64, chunk)
			for i := range data[c] {
				data[c][i] = 20e-6 * math.Sin(2*math.Pi*10*float64(n+int64(i))/sfreq+float64(c))
			}
		}
		s.Samples(data)
		n += chunk
		s.Decide(Decision{Sample: n - 1, Class: 2, Name: "left_hand", Probabilities: map[string]float64{"left_hand": 0.7, "right_hand": 0.3}, Latency: 1500 * time.Microsecond})
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func newTestServer(t *testing.T) (*Server, *httptest.Server, context.CancelFunc) {
	t.Helper()
	s, err := New(Options{Title: "test stream", FrameRate: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetStream([]string{"C3", "Cz", "C4"}, 250); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go s.Run(ctx)
	go feed(ctx, s, 3)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { cancel(); hs.Close() })
	return s, hs, cancel
}

func TestTokenRequired(t *testing.T) {
	s, hs, _ := newTestServer(t)
	for _, path := range []string{"/", "/app.js", "/events", "/frame.json", "/?token=wrong"} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s without the token: %d", path, resp.StatusCode)
		}
	}
	for _, path := range []string{"/?token=" + s.Token(), "/app.js?token=" + s.Token()} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", hs.URL+"/frame.json", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("bearer token: %d", resp.StatusCode)
	}
}

// TestEventsAdvance reads the event stream and checks that frames come,
// that the sample count grows, and what a frame holds.
func TestEventsAdvance(t *testing.T) {
	s, hs, _ := newTestServer(t)
	resp, err := http.Get(hs.URL + "/events?token=" + s.Token())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var first, last frameJSON
	frames := 0
	deadline := time.Now().Add(5 * time.Second)
	for sc.Scan() && time.Now().Before(deadline) {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		var f frameJSON
		if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &f); err != nil {
			t.Fatal(err)
		}
		if frames == 0 {
			first = f
		}
		last = f
		frames++
		if frames >= 15 && last.PSD != nil {
			break
		}
	}
	if frames < 15 || last.Samples <= first.Samples {
		t.Fatalf("%d frames, samples %d → %d", frames, first.Samples, last.Samples)
	}
	if len(last.Traces) != 3 || len(last.Traces[0]) == 0 || last.Channels[2] != "C4" {
		t.Errorf("traces %d×%d", len(last.Traces), len(last.Traces[0]))
	}
	if last.PSD == nil || len(last.PSD.Freqs) == 0 {
		t.Fatal("no spectrum")
	}
	// The 10 Hz sine is the spectrum's peak.
	best := 0
	for i, v := range last.PSD.Power[0] {
		if v > last.PSD.Power[0][best] {
			best = i
		}
	}
	if f := last.PSD.Freqs[best]; math.Abs(float64(f)-10) > 1 {
		t.Errorf("spectrum peak at %v Hz, want 10", f)
	}
	if len(last.Decisions) == 0 || last.Decisions[0].Name != "left_hand" || math.Abs(last.Latency.P99-1.5) > 1e-9 {
		t.Errorf("decisions %+v latency %+v", last.Decisions, last.Latency)
	}
}

func TestBadInput(t *testing.T) {
	s, _ := New(Options{})
	if err := s.SetStream(nil, 100); err == nil {
		t.Error("no channels accepted")
	}
	if err := s.SetStream([]string{"a"}, math.NaN()); err == nil {
		t.Error("NaN rate accepted")
	}
	s.SetStream([]string{"a", "b"}, 100)
	if err := s.Samples([][]float64{{1}}); err == nil {
		t.Error("wrong channel count accepted")
	}
	if err := s.Samples([][]float64{{1, 2}, {3}}); err == nil {
		t.Error("ragged chunk accepted")
	}
	// NaN samples must not break the frame.
	s.Samples([][]float64{{math.NaN()}, {1}})
	var f frameJSON
	if err := json.Unmarshal(s.frame(), &f); err != nil {
		t.Errorf("frame with NaN: %v", err)
	}
	// A chunk longer than the window keeps its last samples.
	long := [][]float64{make([]float64, 2000), make([]float64, 2000)}
	long[0][1999] = 7
	s.Samples(long)
	if got := s.ordered(nil, 0); got[len(got)-1] != 7 {
		t.Errorf("last sample %v", got[len(got)-1])
	}
}

// TestBrowser opens the page in headless Chromium, checks that the page
// reports drawing frames whose sample count advances, and saves a
// screenshot. .ci/run installs
// chromium and sets BCIKIT_REQUIRE_BROWSER=1; elsewhere the test is
// skipped when no browser is installed.
func TestBrowser(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("BCIKIT_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium on PATH (BCIKIT_REQUIRE_BROWSER=1)")
		}
		t.Skip("no chromium on PATH")
	}
	s, hs, _ := newTestServer(t)
	dir := t.TempDir()
	url := s.URL(strings.TrimPrefix(hs.URL, "http://"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	browser := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir="+filepath.Join(dir, "profile"), url)
	if err := browser.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { browser.Process.Kill(); browser.Wait() }()
	// The page reports the sample count it drew once a second: it must
	// grow.
	var first int64
	for ctx.Err() == nil {
		n, samples := s.Drawn()
		if n == 1 && first == 0 {
			first = samples
		}
		if n >= 3 && samples > first && first > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n, samples := s.Drawn(); n < 3 || samples <= first || first == 0 {
		t.Fatalf("the page drew %d frame(s), samples %d then %d", n, first, samples)
	}
	browser.Process.Kill()
	browser.Wait()
	shot := filepath.Join(dir, "live.png")
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir="+filepath.Join(dir, "profile2"), "--timeout=3000", "--window-size=1400,900",
		"--screenshot="+shot, url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 5000 {
		t.Fatalf("screenshot: %v", err)
	}
	if d := os.Getenv("BCIKIT_SCREENSHOT_DIR"); d != "" {
		b, _ := os.ReadFile(shot)
		os.WriteFile(filepath.Join(d, "webview.png"), b, 0o644)
	}
}
