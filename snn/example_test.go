package snn_test

import (
	"fmt"

	"github.com/bcikit/bcikit/snn"
)

// Example runs a small CUBA network for 200 ms and summarises its
// spikes.
func Example() {
	net, err := snn.New(snn.CUBA(1000, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	spikes := net.MonitorSpikes()
	if err := net.Run(0.2); err != nil {
		fmt.Println(err)
		return
	}
	sum, err := snn.Stats(spikes, 0, net.N(), 0.2, net.DT())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net.N(), "neurons,", net.Steps(), "steps")
	fmt.Println(sum.Spikes > 0, sum.Rate > 0)
	// Output:
	// 1000 neurons, 2000 steps
	// true true
}

// ExampleNew builds a single conductance-based neuron and follows its
// membrane potential after an excitatory input.
func ExampleNew() {
	nrn := snn.Neuron{
		Synapse: snn.Conductance,
		TauM:    20e-3, TauE: 5e-3, TauI: 10e-3,
		El: -60e-3, Vt: -50e-3, Vr: -60e-3, Ee: 0, Ei: -80e-3,
		Refractory: 5e-3,
	}
	net, err := snn.New(snn.Config{
		DT:     0.1e-3,
		Groups: []snn.Group{{Name: "n", N: 1, Neuron: nrn, V0Min: -60e-3, V0Max: -60e-3}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	net.Ge()[0] = 0.2
	if err := net.Run(5e-3); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("v after 5 ms: %.2f mV\n", net.V()[0]*1e3)
	// Output:
	// v after 5 ms: -58.36 mV
}
