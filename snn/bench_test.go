package snn

import "testing"

// BenchmarkCUBA runs one simulated second of the CUBA benchmark (4000
// neurons, about 320 000 synapses), spikes recorded; building the network
// is not timed.
func BenchmarkCUBA(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		net, err := New(CUBA(4000, 1))
		if err != nil {
			b.Fatal(err)
		}
		net.MonitorSpikes()
		b.StartTimer()
		if err := net.Run(1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCUBAWorkers1 is BenchmarkCUBA on one goroutine.
func BenchmarkCUBAWorkers1(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		cfg := CUBA(4000, 1)
		cfg.Workers = 1
		net, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := net.Run(1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild draws the CUBA network's connectivity.
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		if _, err := New(CUBA(4000, 1)); err != nil {
			b.Fatal(err)
		}
	}
}
