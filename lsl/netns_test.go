package lsl

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// netnsEnv marks a test process running inside the private network
// namespace that inNetns made for it.
const netnsEnv = "BCIKIT_LSL_NETNS"

// inNetns runs the calling test inside a private network namespace, so that
// its multicast and broadcast packets never leave it: outside, it re-runs
// the test binary for this one test under unshare(1) and reports its result;
// inside (netnsEnv set), it brings lo up with multicast on, routes
// 224.0.0.0/4 to it and returns true. When namespaces cannot be made it
// skips the test, unless BCIKIT_REQUIRE_NETNS=1 (set by CI), which makes
// that a failure.
func inNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(netnsEnv) == "1" {
		for _, args := range [][]string{{"link", "set", "lo", "up", "multicast", "on"}, {"route", "add", "224.0.0.0/4", "dev", "lo"}} {
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
		return true
	}
	skip := func(why string) {
		if os.Getenv("BCIKIT_REQUIRE_NETNS") == "1" {
			t.Fatalf("BCIKIT_REQUIRE_NETNS=1 but %s", why)
		}
		t.Skipf("no private network namespace (%s): multicast tests skipped; run as root or with unprivileged user namespaces", why)
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		skip("unshare(1) not found: install util-linux")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		skip("ip(8) not found: install iproute2")
	}
	args := []string{"-n"}
	if os.Geteuid() != 0 {
		args = append(args, "-r") // a user namespace, mapping us to root in it
	}
	if out, err := exec.Command(unshare, append(args, "true")...).CombinedOutput(); err != nil {
		skip("unshare " + strings.Join(args, " ") + ": " + strings.TrimSpace(string(out)))
	}
	args = append(args, os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a private network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("the test failed in its network namespace: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("the test did not pass in its network namespace")
	}
	return false
}

// TestMulticastDiscovery resolves outlets the way liblsl programs do by
// default (site scope: multicast to 224.0.0.183, 239.255.172.215, ...,
// broadcast, on port 16571) inside a private network namespace, then
// streams from one of them.
func TestMulticastDiscovery(t *testing.T) {
	if !inNetns(t) {
		return
	}
	cfg := DefaultConfig() // liblsl's defaults: site scope, no known peers
	cfg.IPv6 = false
	eeg := newTestOutlet(t, &cfg, eegInfo("BioSemi", 8, 512, Float32))
	mk := newTestOutlet(t, &cfg, StreamInfo{Name: "Cues", Type: "Markers", ChannelCount: 1, Format: String})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	all, err := Resolve(ctx, "", ResolveOptions{Config: &cfg, Timeout: 1500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("resolved %d streams, want 2: %+v", len(all), all)
	}
	for _, q := range []struct {
		query, uid string
	}{{"type='EEG'", eeg.Info().UID}, {"name='Cues'", mk.Info().UID}, {"starts-with(name,'Bio') and count(desc/channels/channel)=8", eeg.Info().UID}} {
		found, err := Resolve(ctx, q.query, ResolveOptions{Config: &cfg, Minimum: 1, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
		if len(found) != 1 || found[0].UID != q.uid {
			t.Fatalf("%s: found %+v", q.query, found)
		}
	}
	// Only multicast: the machine address and broadcast are left out.
	mcfg := cfg
	mcfg.MulticastAddresses = nil
	for _, a := range cfg.MulticastAddresses {
		if a.IsMulticast() {
			mcfg.MulticastAddresses = append(mcfg.MulticastAddresses, a)
		}
	}
	found, err := Resolve(ctx, "type='Markers'", ResolveOptions{Config: &mcfg, Minimum: 1, Timeout: 5 * time.Second})
	if err != nil || found[0].UID != mk.Info().UID {
		t.Fatalf("multicast only: %v %+v", err, found)
	}
	in, err := OpenInlet(ctx, found[0], InletOptions{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := mk.WaitForConsumers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := mk.PushStrings([]string{"left hand"}, 12.5); err != nil {
		t.Fatal(err)
	}
	c, err := in.Pull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 || c.Strings[0][0] != "left hand" || c.Timestamps[0] != 12.5 {
		t.Fatalf("got %+v", c)
	}
	// A Source (what bcikit serve and record use) over multicast discovery,
	// with the marker stream merged in.
	src, err := OpenSource(ctx, "type='EEG'", SourceOptions{Inlet: InletOptions{Config: &cfg}, Markers: []string{"type='Markers'"}, MarkerDelay: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := eeg.WaitForConsumers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := mk.WaitForConsumers(ctx, 2); err != nil {
		t.Fatal(err)
	}
	now := LocalClock()
	mk.PushStrings([]string{"7"}, now-1.0/512) // on the first sample
	data := make([][]float64, 8)
	for k := range data {
		data[k] = []float64{float64(k), float64(k) + 0.5}
	}
	eeg.PushChunk(data, now)
	ch, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Len() != 2 || ch.Data[3][1] != 3.5e-6 || len(ch.Markers) != 1 || ch.Markers[0].Sample != 0 || ch.Markers[0].Code != 7 {
		t.Fatalf("source chunk %+v", ch)
	}
}
