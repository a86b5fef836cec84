package lsl

import (
	"context"
	"math"
	"net"
	"testing"
	"time"
)

// unicastConfig asks only 127.0.0.1 (a known peer), on ports unlikely to
// collide with a real LSL setup, so that tests outside a network namespace
// never send multicast or broadcast.
func unicastConfig(t testing.TB) *Config {
	c := DefaultConfig()
	c.MulticastAddresses = nil
	c.KnownPeers = []string{"127.0.0.1"}
	c.BasePort = 26572
	c.PortRange = 16
	c.MulticastPort = 26571
	c.IPv6 = false
	c.TimeProbeInterval = 5 * time.Millisecond
	c.TimeUpdateInterval = 200 * time.Millisecond
	return &c
}

func newTestOutlet(t testing.TB, cfg *Config, info StreamInfo) *Outlet {
	t.Helper()
	o, err := NewOutlet(info, OutletOptions{Config: cfg, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func eegInfo(name string, nch int, rate float64, f ChannelFormat) StreamInfo {
	info := StreamInfo{Name: name, Type: "EEG", ChannelCount: nch, NominalSrate: rate, Format: f, SourceID: "src-" + name}
	for i := range nch {
		info.Channels = append(info.Channels, Channel{Label: "C" + string(rune('a'+i%26)) + string(rune('0'+i/26)), Unit: "microvolts", Type: "EEG"})
	}
	return info
}

func TestOutletInletUnicast(t *testing.T) {
	cfg := unicastConfig(t)
	for _, f := range []ChannelFormat{Float32, Double64, Int16, Int32, Int8, Int64} {
		t.Run(f.String(), func(t *testing.T) {
			o := newTestOutlet(t, cfg, eegInfo("uni-"+f.String(), 5, 100, f))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			found, err := Resolve(ctx, "name='uni-"+f.String()+"'", ResolveOptions{Config: cfg, Minimum: 1, Timeout: 5 * time.Second, Interval: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if found[0].UID != o.Info().UID || found[0].V4Address != "127.0.0.1" {
				t.Fatalf("found %+v", found[0])
			}
			in, err := OpenInlet(ctx, found[0], InletOptions{Config: cfg, NoRecover: true})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			if got := in.Info().Channels; len(got) != 5 || got[4].Label != o.Info().Channels[4].Label || got[0].Unit != "microvolts" {
				t.Fatalf("channels %+v", got)
			}
			if err := o.WaitForConsumers(ctx, 1); err != nil {
				t.Fatal(err)
			}
			data := make([][]float64, 5)
			for k := range data {
				for s := range 10 {
					data[k] = append(data[k], float64(k*10+s-20))
				}
			}
			t0 := LocalClock()
			if err := o.PushChunk(data, t0); err != nil {
				t.Fatal(err)
			}
			var ts []float64
			got := make([][]float64, 5)
			for len(ts) < 10 {
				c, err := in.Pull(ctx)
				if err != nil {
					t.Fatal(err)
				}
				ts = append(ts, c.Timestamps...)
				for k := range got {
					got[k] = append(got[k], c.Data[k]...)
				}
			}
			for s := range 10 {
				want := t0 - float64(9-s)/100
				if math.Abs(ts[s]-want) > 1e-9 {
					t.Errorf("timestamp %d: %v, want %v", s, ts[s], want)
				}
				for k := range 5 {
					w := data[k][s]
					if f == Int8 || f == Int16 || f == Int32 || f == Int64 || f == Float32 || f == Double64 {
						if got[k][s] != w {
							t.Errorf("channel %d sample %d: %v, want %v", k, s, got[k][s], w)
						}
					}
				}
			}
			off, rtt, err := in.TimeCorrection(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(off) > 1e-3 || rtt < 0 || rtt > 0.1 {
				t.Errorf("time correction %v s (rtt %v s) between two ends of one process's clock", off, rtt)
			}
		})
	}
}

// TestIPv6Unicast runs discovery, streaming and time correction over IPv6
// only (lsl_api.cfg IPv6 = force), with ::1 as the known peer.
func TestIPv6Unicast(t *testing.T) {
	if l, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	} else {
		l.Close()
	}
	cfg := unicastConfig(t)
	cfg.IPv4, cfg.IPv6 = false, true
	cfg.KnownPeers = []string{"::1"}
	cfg.SessionID = "ipv6"
	o := newTestOutlet(t, cfg, eegInfo("six", 2, 100, Double64))
	if i := o.Info(); i.V4DataPort != 0 || i.V6DataPort == 0 || i.V6ServicePort == 0 {
		t.Fatalf("ports %+v", i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	found, err := Resolve(ctx, "name='six'", ResolveOptions{Config: cfg, Minimum: 1})
	if err != nil {
		t.Fatal(err)
	}
	if found[0].V6Address != "::1" || found[0].V4Address != "" {
		t.Fatalf("addresses %q %q", found[0].V4Address, found[0].V6Address)
	}
	in, err := OpenInlet(ctx, found[0], InletOptions{Config: cfg, NoRecover: true})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	o.WaitForConsumers(ctx, 1)
	o.PushSample([]float64{1.25, -3.5}, 42)
	c, err := in.Pull(ctx)
	if err != nil || c.Len() != 1 || c.Data[1][0] != -3.5 || c.Timestamps[0] != 42 {
		t.Fatalf("%v %+v", err, c)
	}
	if off, _, err := in.TimeCorrection(ctx); err != nil || math.Abs(off) > 1e-3 {
		t.Fatalf("time correction %v, %v", off, err)
	}
}
