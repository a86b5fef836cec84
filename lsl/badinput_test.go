package lsl

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestResolveIgnoresMalformedReplies answers a resolve with garbage, a
// wrong query id and broken infos before a good reply: only the good one is
// returned and nothing crashes.
func TestResolveIgnoresMalformedReplies(t *testing.T) {
	cfg := unicastConfig(t)
	cfg.SessionID = "malformed-replies" // no other outlet answers
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: cfg.BasePort + cfg.PortRange - 1})
	if err != nil {
		t.Skipf("port in use: %v", err)
	}
	defer pc.Close()
	good := StreamInfo{Name: "good", Type: "EEG", ChannelCount: 2, NominalSrate: 10, Format: Float32, Version: 110, UID: "uid-good", V4DataPort: 1, V4ServicePort: 1}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFromUDP(buf)
			if err != nil {
				return
			}
			lines := strings.Split(string(buf[:n]), "\r\n")
			f := strings.Fields(lines[2])
			port, _ := strconv.Atoi(f[0])
			to := &net.UDPAddr{IP: from.IP, Port: port}
			id := f[1]
			for _, r := range []string{
				"garbage",
				"",
				"\r\n\r\n",
				"12\r\n" + string(good.ShortInfo()), // another query id
				id + "\r\n<info><name>x</name>",     // cut
				id + "\r\n" + strings.Replace(string(good.ShortInfo()), "float32", "float128", 1), // bad format
				id + "\r\n" + strings.Replace(string(good.ShortInfo()), "<uid>uid-good", "<uid>", 1),
				id + "\r\n" + strings.Replace(string(good.ShortInfo()), ">2<", ">-2<", 1),
				id + "\r\n" + strings.Repeat("<a>", 100),
				id + "\r\n" + string(good.ShortInfo()),
			} {
				pc.WriteToUDP([]byte(r), to)
			}
		}
	}()
	var logs bytes.Buffer
	found, err := Resolve(context.Background(), "", ResolveOptions{Config: cfg, Timeout: 700 * time.Millisecond, Interval: 200 * time.Millisecond,
		Logf: func(f string, a ...any) { logs.WriteString(strconv.Quote(f) + "\n") }})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].UID != "uid-good" || found[0].V4Address != "127.0.0.1" {
		t.Fatalf("found %+v", found)
	}
	if logs.Len() == 0 {
		t.Errorf("malformed replies not reported")
	}
}

// TestOutletClosesMidSample: the outlet's connection ends inside a sample;
// a NoRecover inlet reports ErrLost, a recovering one waits and resumes
// when the outlet comes back, and reports ErrFormatChanged when it comes
// back with another format.
func TestOutletClosesMidSample(t *testing.T) {
	cfg := unicastConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	info := StreamInfo{Name: "flaky", Type: "EEG", ChannelCount: 2, NominalSrate: 100, Format: Float32, SourceID: "flaky-amp"}
	o, err := NewOutlet(info, OutletOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	found, err := Resolve(ctx, "source_id='flaky-amp'", ResolveOptions{Config: cfg, Minimum: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, err := OpenInlet(ctx, found[0], InletOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	o.WaitForConsumers(ctx, 1)
	o.PushChunk([][]float64{{1, 2}, {3, 4}}, 10)
	c, err := in.Pull(ctx)
	if err != nil || c.Len() != 2 {
		t.Fatalf("%v %v", c, err)
	}
	// Cut the connection in the middle of a sample: write half a sample to
	// the consumer directly, then close.
	o.mu.Lock()
	for cons := range o.cons {
		cons.push([]byte{2, 0, 0, 0}, 1)
	}
	o.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	o.Close()
	// The same stream comes back (same source id, new uid): the inlet finds
	// it again.
	o2, err := NewOutlet(info, OutletOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if err := o2.WaitForConsumers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	o2.PushChunk([][]float64{{5}, {6}}, 20)
	c, err = in.Pull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 || c.Data[0][0] != 5 || !c.Reconnected {
		t.Fatalf("after reconnection: %+v", c)
	}
	if in.Info().UID != o2.Info().UID {
		t.Fatalf("inlet info uid %s, want %s", in.Info().UID, o2.Info().UID)
	}
	// It comes back with three channels: a clear error, no samples mixed.
	o2.Close()
	info.ChannelCount = 3
	o3, err := NewOutlet(info, OutletOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer o3.Close()
	_, err = in.Pull(ctx)
	if !errors.Is(err, ErrFormatChanged) {
		t.Fatalf("error %v, want ErrFormatChanged", err)
	}
}

// TestOutletRejectsBadRequests: garbage, long lines and endless headers
// end the connection without disturbing the outlet.
func TestOutletRejectsBadRequests(t *testing.T) {
	cfg := unicastConfig(t)
	o := newTestOutlet(t, cfg, StreamInfo{Name: "robust", ChannelCount: 1, NominalSrate: 10, Format: Float32})
	for _, req := range []string{
		"GET / HTTP/1.1\r\n\r\n",
		strings.Repeat("A", 20000) + "\r\n",
		"LSL:streamfeed/110 " + o.Info().UID + "\r\n" + strings.Repeat("X-Pad: 1\r\n", 200),
		"LSL:streamfeed/abc\r\n\r\n",
		"LSL:streamfeed\r\n100 100\r\n",
		"LSL:streamfeed/110 " + o.Info().UID + "\r\nValue-Size: 8\r\n\r\n",
	} {
		c := dialOutlet(t, o)
		c.Write([]byte(req))
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		b, _ := bufio.NewReader(c).ReadString('\n')
		if strings.Contains(b, "200 OK") {
			t.Errorf("%.40q: accepted", req)
		}
		c.Close()
	}
	if o.Consumers() != 0 {
		t.Fatalf("%d consumers", o.Consumers())
	}
	// still serves
	c := dialOutlet(t, o)
	c.Write([]byte(liblslRequest(o.Info().UID, 4)))
	b, _ := bufio.NewReader(c).ReadString('\n')
	if b != "LSL/110 200 OK\r\n" {
		t.Fatalf("after bad requests: %q", b)
	}
}

// TestResolveSession: a resolve finds only the streams of its session
// (lab.SessionID), as liblsl's resolver asks.
func TestResolveSession(t *testing.T) {
	cfg := unicastConfig(t)
	other := *cfg
	other.SessionID = "exp-2"
	a := newTestOutlet(t, cfg, StreamInfo{Name: "sess", Type: "EEG", ChannelCount: 1, NominalSrate: 10, Format: Float32})
	b := newTestOutlet(t, &other, StreamInfo{Name: "sess", Type: "EEG", ChannelCount: 1, NominalSrate: 10, Format: Float32})
	ctx := context.Background()
	for _, c := range []struct {
		cfg *Config
		uid string
	}{{cfg, a.Info().UID}, {&other, b.Info().UID}} {
		found, err := Resolve(ctx, "name='sess' or type='nothing'", ResolveOptions{Config: c.cfg, Timeout: 600 * time.Millisecond, Interval: 200 * time.Millisecond})
		if err != nil || len(found) != 1 || found[0].UID != c.uid {
			t.Fatalf("session %s: %v %+v", c.cfg.SessionID, err, found)
		}
	}
}
