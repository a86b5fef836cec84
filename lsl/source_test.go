package lsl

import (
	"context"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/stream"
)

func TestSpecQuery(t *testing.T) {
	for in, want := range map[string]string{
		"BioSemi":                        "name='BioSemi'",
		"type=EEG":                       "type='EEG'",
		"source_id=amp 1":                "source_id='amp 1'",
		"type='EEG' and channel_count>8": "type='EEG' and channel_count>8",
	} {
		got, err := SpecQuery(in)
		if err != nil || got != want {
			t.Errorf("SpecQuery(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "name=(", "type='EEG' and"} {
		if _, err := SpecQuery(bad); err == nil {
			t.Errorf("SpecQuery(%q): no error", bad)
		}
	}
}

// TestSourceMarkersLineUp publishes a 1000 Hz EEG stream and a marker
// stream whose events are stamped with the timestamps of given EEG samples,
// each from its own outlet, and checks that the Source puts every marker on
// its sample (0 ms error, within the 1 ms asked) with samples in volts.
func TestSourceMarkersLineUp(t *testing.T) {
	cfg := unicastConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info := eegInfo("align-eeg", 4, 1000, Float32)
	eeg := newTestOutlet(t, cfg, info)
	mk := newTestOutlet(t, cfg, StreamInfo{Name: "align-mk", Type: "Markers", ChannelCount: 1, Format: String})
	src, err := OpenSource(ctx, "name='align-eeg'", SourceOptions{Inlet: InletOptions{Config: cfg}, Markers: []string{"name='align-mk'"}, MarkerDelay: 500 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	h := src.Header()
	if h.SFreq != 1000 || len(h.Channels) != 4 || h.Units[0] != "V" || h.Types[0] != "eeg" || h.Channels[1] != info.Channels[1].Label {
		t.Fatalf("header %+v", h)
	}
	eeg.WaitForConsumers(ctx, 1)
	mk.WaitForConsumers(ctx, 1)
	t0 := LocalClock()
	marked := map[int64]string{137: "left", 530: "right", 531: "7", 999: "left"}
	go func() {
		for c := range 10 { // 10 chunks of 100 samples, at 10× real time
			data := make([][]float64, 4)
			for k := range data {
				for s := range 100 {
					data[k] = append(data[k], float64(c*100+s)+float64(k)/10)
				}
			}
			last := t0 + float64(c*100+99)/1000
			for s, label := range marked {
				if s/100 == int64(c) {
					mk.PushStrings([]string{label}, t0+float64(s)/1000)
				}
			}
			eeg.PushChunk(data, last)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	got := map[int64]stream.Marker{}
	var next int64
	for next < 1000 {
		c, err := src.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := stream.CheckChunk(&c, 4, -1); err != nil {
			t.Fatal(err)
		}
		if c.Start != next {
			t.Fatalf("chunk starts at %d, want %d", c.Start, next)
		}
		for s := range c.Len() {
			if w := float64(c.Start+int64(s)) * 1e-6; math.Abs(c.Data[0][s]-w) > 1e-12 {
				t.Fatalf("sample %d: %v V, want %v", c.Start+int64(s), c.Data[0][s], w)
			}
		}
		for _, m := range c.Markers {
			got[m.Sample] = m
		}
		next += int64(c.Len())
	}
	if len(got) != len(marked) {
		t.Fatalf("markers %+v, want at %v", got, marked)
	}
	for s, label := range marked {
		if got[s].Label != label {
			t.Errorf("sample %d: marker %+v, want %q", s, got[s], label)
		}
	}
	if got[531].Code != 7 || got[137].Code != got[999].Code || got[137].Code == got[530].Code {
		t.Errorf("codes: %+v", got)
	}
}

type sliceSource struct {
	h      stream.Header
	chunks []stream.Chunk
}

func (s *sliceSource) Header() stream.Header { return s.h }
func (s *sliceSource) Close() error          { return nil }
func (s *sliceSource) Next(ctx context.Context) (stream.Chunk, error) {
	if len(s.chunks) == 0 {
		<-ctx.Done()
		return stream.Chunk{}, ctx.Err()
	}
	c := s.chunks[0]
	s.chunks = s.chunks[1:]
	return c, nil
}

// TestPublish sends a stream.Source through Publish and reads it back with
// a Source: channel names, volts and markers survive the trip.
func TestPublish(t *testing.T) {
	cfg := unicastConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h := stream.Header{Channels: []string{"Cz", "STI"}, Units: []string{"V", "NA"}, Types: []string{"eeg", "stim"}, SFreq: 250, Name: "pub"}
	now := time.Now()
	src := &sliceSource{h: h}
	for c := range 4 {
		ch := stream.Chunk{Start: int64(c * 25), Data: [][]float64{make([]float64, 25), make([]float64, 25)}, Time: now.Add(time.Duration(c*25+24) * 4 * time.Millisecond)}
		for s := range 25 {
			ch.Data[0][s] = float64(c*25+s) * 1e-6
			ch.Data[1][s] = float64(s % 3)
		}
		if c == 2 {
			ch.Markers = []stream.Marker{{Sample: 60, Code: 3, Label: "go"}}
		}
		src.chunks = append(src.chunks, ch)
	}
	pubErr := make(chan error, 1)
	go func() {
		pubErr <- Publish(ctx, src, PublishOptions{Markers: true, WaitFor: 1, Outlet: OutletOptions{Config: cfg}})
	}()
	rd, err := OpenSource(ctx, "name='pub'", SourceOptions{Inlet: InletOptions{Config: cfg}, Markers: []string{"name='pub-Markers'"}, MarkerDelay: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if g := rd.Header(); g.Channels[0] != "Cz" || g.Units[0] != "V" || g.Types[1] != "stim" || g.Units[1] != "NA" {
		t.Fatalf("header %+v", g)
	}
	var n int64
	var markers []stream.Marker
	for n < 100 {
		c, err := rd.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for s := range c.Len() {
			i := c.Start + int64(s)
			if math.Abs(c.Data[0][s]-float64(i)*1e-6) > 1e-12 || c.Data[1][s] != float64(i%25%3) {
				t.Fatalf("sample %d: %v %v", i, c.Data[0][s], c.Data[1][s])
			}
		}
		markers = append(markers, c.Markers...)
		n = c.Start + int64(c.Len())
	}
	if len(markers) != 1 || markers[0].Sample != 60 || markers[0].Label != "go" {
		t.Fatalf("markers %+v", markers)
	}
	cancel()
	<-pubErr
}

// TestSourceWithoutTimeService reads an outlet whose service port does not
// answer (UDP filtered): the Source starts after 3 s without a time
// correction and delivers the samples.
func TestSourceWithoutTimeService(t *testing.T) {
	cfg := unicastConfig(t)
	cfg.SessionID = "no-time-service"
	info := StreamInfo{Name: "notime", Type: "EEG", ChannelCount: 1, NominalSrate: 10, Format: Float32, Version: 110, UID: "u-nt", SessionID: cfg.SessionID}
	feed := []byte("LSL/110 200 OK\r\nUID: u-nt\r\nByte-Order: 1234\r\nData-Protocol-Version: 110\r\n\r\n")
	for _, off := range []int{4, 2} {
		v, _ := testPattern(Float32, 1, off)
		feed = appendSample(feed, Float32, testPatternTime, v, nil)
	}
	feed = appendSample(feed, Float32, 100, []float64{1}, nil)
	feed = appendSample(feed, Float32, Deduced, []float64{2}, nil)
	fakeOutlet(t, &info, feed, true)
	// a discovery responder on the last port of the range, answering with info
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: cfg.BasePort + cfg.PortRange - 1})
	if err != nil {
		t.Skipf("port in use: %v", err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFromUDP(buf)
			if err != nil {
				return
			}
			f := strings.Fields(strings.Split(string(buf[:n]), "\r\n")[2])
			port, _ := strconv.Atoi(f[0])
			pc.WriteToUDP([]byte(f[1]+"\r\n"+string(info.ShortInfo())), &net.UDPAddr{IP: from.IP, Port: port})
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var mu sync.Mutex
	var logs []string
	logf := func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, fmt.Sprintf(f, a...))
	}
	src, err := OpenSource(ctx, "name='notime'", SourceOptions{Inlet: InletOptions{Config: cfg, NoRecover: true}, Logf: logf})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	c, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 || c.Data[0][1] != 2e-6 {
		t.Fatalf("chunk %+v", c)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logs) == 0 || !strings.Contains(strings.Join(logs, "\n"), "no time correction yet") {
		t.Fatalf("logs %q", logs)
	}
}
