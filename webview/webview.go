package webview

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bcikit/bcikit/spectral"
	"gonum.org/v1/gonum/stat"
)

//go:embed assets
var assets embed.FS

// Options tune the view; zero values take the defaults.
type Options struct {
	// Title is shown on the page.
	Title string
	// Seconds of signal the traces show (default 5).
	Seconds float64
	// FrameRate is the number of frames a second sent to pages (default 10).
	FrameRate float64
	// Points is the number of points a trace is decimated to (default 400).
	Points int
	// PSDMaxFreq is the highest frequency of the spectrum shown (default 60 Hz).
	PSDMaxFreq float64
}

func (o *Options) defaults() {
	if o.Seconds <= 0 {
		o.Seconds = 5
	}
	if o.FrameRate <= 0 {
		o.FrameRate = 10
	}
	if o.Points <= 0 {
		o.Points = 400
	}
	if o.PSDMaxFreq <= 0 {
		o.PSDMaxFreq = 60
	}
}

// Decision is one output of the decoder, as the page shows it.
type Decision struct {
	// Sample is the index of the last sample of the decoded window.
	Sample int64 `json:"sample"`
	// Class is the predicted label and Name its class name.
	Class int    `json:"class"`
	Name  string `json:"name,omitempty"`
	// Probabilities maps class names to probabilities or scores, when the
	// pipeline gives them.
	Probabilities map[string]float64 `json:"probabilities,omitempty"`
	// Latency is the time from the arrival of the window's last sample to
	// the decision.
	Latency time.Duration `json:"-"`
}

// Server is the live view. Its methods are safe for concurrent use.
type Server struct {
	opt   Options
	token string
	files http.Handler

	mu        sync.Mutex
	channels  []string
	sfreq     float64
	ring      [][]float64 // [channel][Seconds*sfreq], circular
	pos       int         // next write position in ring
	filled    int
	total     int64
	decisions []Decision
	latencies []float64 // ms, the last 1000
	psd       *psdFrame
	lastPSD   time.Time

	// acks counts the frames pages reported drawn, and the last sample
	// count they showed.
	acks       int
	ackSamples int64

	clientsMu sync.Mutex
	clients   map[chan []byte]struct{}
	seq       int64
}

// New returns a server with a fresh random token.
func New(opt Options) (*Server, error) {
	opt.defaults()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("webview: token: %w", err)
	}
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		return nil, err
	}
	return &Server{opt: opt, token: hex.EncodeToString(b), files: http.FileServer(http.FS(sub)), clients: map[chan []byte]struct{}{}}, nil
}

// Token returns the token every request must carry.
func (s *Server) Token() string { return s.token }

// URL returns the address of the page for a server listening on addr
// (host:port).
func (s *Server) URL(addr string) string { return "http://" + addr + "/?token=" + s.token }

// SetStream (re)starts the view for a stream of these channels at sfreq Hz.
func (s *Server) SetStream(channels []string, sfreq float64) error {
	if len(channels) == 0 || !(sfreq > 0) || math.IsInf(sfreq, 0) {
		return fmt.Errorf("webview: stream of %d channels at %v Hz", len(channels), sfreq)
	}
	n := int(math.Ceil(s.opt.Seconds * sfreq))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels, s.sfreq = slices.Clone(channels), sfreq
	s.ring = make([][]float64, len(channels))
	for i := range s.ring {
		s.ring[i] = make([]float64, n)
	}
	s.pos, s.filled, s.total = 0, 0, 0
	s.decisions, s.latencies, s.psd = nil, nil, nil
	return nil
}

// Samples appends a chunk, data[channel][sample] in SI units, with as many
// channels as SetStream gave.
func (s *Server) Samples(data [][]float64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(data) != len(s.ring) {
		return fmt.Errorf("webview: chunk of %d channels for a stream of %d", len(data), len(s.ring))
	}
	if len(data) == 0 {
		return nil
	}
	n := len(data[0])
	size := len(s.ring[0])
	for c, row := range data {
		if len(row) != n {
			return fmt.Errorf("webview: chunk channel %d has %d samples, channel 0 %d", c, len(row), n)
		}
		src := row
		if len(src) > size {
			src = src[len(src)-size:]
		}
		p := (s.pos + n - len(src)) % size
		k := copy(s.ring[c][p:], src)
		copy(s.ring[c], src[k:])
	}
	s.pos = (s.pos + n) % size
	s.filled = min(size, s.filled+n)
	s.total += int64(n)
	return nil
}

// Decide records a decision of the decoder.
func (s *Server) Decide(d Decision) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decisions = append(s.decisions, d)
	if len(s.decisions) > 20 {
		s.decisions = s.decisions[len(s.decisions)-20:]
	}
	s.latencies = append(s.latencies, float64(d.Latency)/float64(time.Millisecond))
	if len(s.latencies) > 1000 {
		s.latencies = s.latencies[len(s.latencies)-1000:]
	}
}

// ServeHTTP serves the page, its assets and the event stream to requests
// that carry the token.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="bcikit"`)
		http.Error(w, "401 unauthorized: add ?token=… from the URL bcikit printed", http.StatusUnauthorized)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case "/events":
		s.serveEvents(w, r)
	case "/ack":
		s.ack(r)
		w.WriteHeader(http.StatusNoContent)
	case "/frame.json":
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.frame())
	default:
		s.files.ServeHTTP(w, r)
	}
}

// cookieName carries the token for the page's own requests (its style
// sheet, script and event stream), set when the page is opened with
// ?token=….
const cookieName = "bcikit_token"

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	ok := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1 }
	if q := r.URL.Query().Get("token"); q != "" {
		if !ok(q) {
			return false
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return ok(strings.TrimPrefix(h, "Bearer "))
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return ok(c.Value)
	}
	return false
}

// serveEvents streams frames as server-sent events until the page goes.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan []byte, 4)
	s.clientsMu.Lock()
	s.clients[ch] = struct{}{}
	s.clientsMu.Unlock()
	defer func() {
		s.clientsMu.Lock()
		delete(s.clients, ch)
		s.clientsMu.Unlock()
	}()
	fmt.Fprintf(w, "retry: 1000\n\ndata: %s\n\n", s.frame())
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case b := <-ch:
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// Run sends a frame to every page FrameRate times a second until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	t := time.NewTicker(time.Duration(float64(time.Second) / s.opt.FrameRate))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			s.broadcast()
		}
	}
}

// ack records a page's report that it drew a frame (it sends one a
// second): how a test or an operator knows the page is live.
func (s *Server) ack(r *http.Request) {
	n, err := strconv.ParseInt(r.URL.Query().Get("samples"), 10, 64)
	if err != nil || n < 0 {
		return
	}
	s.mu.Lock()
	s.acks++
	s.ackSamples = max(s.ackSamples, n)
	s.mu.Unlock()
}

// Drawn returns how many frames pages reported drawn and the largest
// sample count they showed.
func (s *Server) Drawn() (frames int, samples int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acks, s.ackSamples
}

// Clients returns the number of pages connected to the event stream.
func (s *Server) Clients() int {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	return len(s.clients)
}

func (s *Server) broadcast() {
	s.clientsMu.Lock()
	n := len(s.clients)
	s.clientsMu.Unlock()
	if n == 0 {
		return
	}
	b := s.frame()
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	for ch := range s.clients {
		select {
		case ch <- b:
		default: // this page is behind: it misses a frame
		}
	}
}

// frame is the JSON document a page draws.
type frameJSON struct {
	Seq       int64       `json:"seq"`
	Title     string      `json:"title"`
	Channels  []string    `json:"channels"`
	SFreq     float64     `json:"sfreq"`
	Samples   int64       `json:"samples"`
	Seconds   float64     `json:"seconds"`
	Traces    [][]float32 `json:"traces"`
	PSD       *psdFrame   `json:"psd,omitempty"`
	Decisions []decJSON   `json:"decisions"`
	Latency   latJSON     `json:"latency_ms"`
}

type psdFrame struct {
	Freqs []float32   `json:"freqs"`
	Power [][]float32 `json:"log10_power"` // log10 V²/Hz per channel
}

type decJSON struct {
	Decision
	LatencyMs float64 `json:"latency_ms"`
}

type latJSON struct {
	Last float64 `json:"last"`
	P50  float64 `json:"p50"`
	P99  float64 `json:"p99"`
	N    int     `json:"n"`
}

func (s *Server) frame() []byte {
	s.mu.Lock()
	s.seq++
	f := frameJSON{Seq: s.seq, Title: s.opt.Title, Channels: s.channels, SFreq: s.sfreq, Samples: s.total, Seconds: s.opt.Seconds}
	f.Traces = s.traces()
	if s.filled > 0 && time.Since(s.lastPSD) >= time.Second {
		s.psd = s.spectrum()
		s.lastPSD = time.Now()
	}
	f.PSD = s.psd
	for _, d := range s.decisions {
		f.Decisions = append(f.Decisions, decJSON{d, float64(d.Latency) / float64(time.Millisecond)})
	}
	if n := len(s.latencies); n > 0 {
		l := slices.Clone(s.latencies)
		sort.Float64s(l)
		f.Latency = latJSON{Last: s.latencies[n-1], P50: stat.Quantile(0.5, stat.Empirical, l, nil),
			P99: stat.Quantile(0.99, stat.Empirical, l, nil), N: n}
	}
	s.mu.Unlock()
	b, err := json.Marshal(f)
	if err != nil { // NaN in the data: send the frame without traces
		f.Traces, f.PSD = nil, nil
		b, _ = json.Marshal(f)
	}
	return b
}

// ordered copies the last k samples of channel c, oldest first.
func (s *Server) ordered(dst []float64, c int) []float64 {
	size := len(s.ring[c])
	dst = dst[:0]
	start := (s.pos - s.filled + size) % size
	for i := range s.filled {
		dst = append(dst, s.ring[c][(start+i)%size])
	}
	return dst
}

// traces decimates the ring to Points points per channel, keeping the
// extreme of each bin so that spikes stay visible.
func (s *Server) traces() [][]float32 {
	if s.filled == 0 {
		return nil
	}
	out := make([][]float32, len(s.ring))
	buf := make([]float64, 0, s.filled)
	size := len(s.ring[0])
	for c := range s.ring {
		buf = s.ordered(buf, c)
		bins := min(s.opt.Points, size)
		row := make([]float32, 0, bins)
		per := float64(size) / float64(bins)
		// Align to the full window: empty history reads as missing.
		offset := size - s.filled
		for b := range bins {
			lo, hi := int(float64(b)*per)-offset, int(float64(b+1)*per)-offset
			lo, hi = max(lo, 0), min(hi, len(buf))
			if hi <= lo {
				continue
			}
			v := buf[lo]
			for _, x := range buf[lo:hi] {
				if math.Abs(x) > math.Abs(v) {
					v = x
				}
			}
			row = append(row, float32(v))
		}
		out[c] = row
	}
	return out
}

// spectrum is the Welch PSD of the last 2 s (or what there is) up to
// PSDMaxFreq, as log10 V²/Hz.
func (s *Server) spectrum() *psdFrame {
	n := min(s.filled, int(2*s.sfreq))
	if n < 16 {
		return nil
	}
	x := make([][]float64, len(s.ring))
	buf := make([]float64, 0, s.filled)
	for c := range s.ring {
		buf = s.ordered(buf, c)
		x[c] = slices.Clone(buf[len(buf)-n:])
	}
	opt := spectral.Defaults()
	opt.NPerSeg = min(n, int(s.sfreq))
	p, err := spectral.Welch(x, s.sfreq, opt)
	if err != nil {
		return nil
	}
	f := &psdFrame{}
	var keep int
	for i, fr := range p.Freqs {
		if fr > s.opt.PSDMaxFreq {
			break
		}
		f.Freqs = append(f.Freqs, float32(fr))
		keep = i + 1
	}
	for _, row := range p.Power {
		r := make([]float32, keep)
		for i := range r {
			r[i] = float32(math.Log10(math.Max(row[i], 1e-30)))
		}
		f.Power = append(f.Power, r)
	}
	return f
}
