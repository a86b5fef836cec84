package lsl_test

import (
	"context"
	"fmt"
	"time"

	"github.com/bcikit/bcikit/lsl"
)

// An outlet publishes a stream; an inlet finds it by type and receives a
// chunk. The configuration asks only 127.0.0.1 (as a known peer), so the
// example sends no multicast.
func Example() {
	cfg := lsl.DefaultConfig()
	cfg.MulticastAddresses = nil
	cfg.KnownPeers = []string{"127.0.0.1"}
	cfg.IPv6 = false

	info := lsl.StreamInfo{Name: "ExampleAmp", Type: "EEG", ChannelCount: 2, NominalSrate: 250, Format: lsl.Float32,
		Channels: []lsl.Channel{{Label: "C3", Unit: "microvolts", Type: "EEG"}, {Label: "C4", Unit: "microvolts", Type: "EEG"}}}
	out, err := lsl.NewOutlet(info, lsl.OutletOptions{Config: &cfg})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer out.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	found, err := lsl.Resolve(ctx, "type='EEG' and name='ExampleAmp'", lsl.ResolveOptions{Config: &cfg, Minimum: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := lsl.OpenInlet(ctx, found[0], lsl.InletOptions{Config: &cfg})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer in.Close()
	out.WaitForConsumers(ctx, 1)
	out.PushChunk([][]float64{{1, 2, 3}, {-1, -2, -3}}, 0)
	c, err := in.Pull(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Info().Channels[1].Label, c.Len(), c.Data[1])
	// Output: C4 3 [-1 -2 -3]
}
