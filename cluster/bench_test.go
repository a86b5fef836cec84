package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/bcikit/bcikit/bench"
)

// BenchmarkQueue measures the queue's cost per task: tiny synthetic folds
// (3 channels, 16 training trials) through an embedded server, one
// in-process worker, results collected by Bench. It reports tasks/s.
func BenchmarkQueue(b *testing.B) {
	srv, err := StartServer(ServerConfig{Listen: "127.0.0.1:0", StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := Connect(ConnOptions{URL: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{Conn: nc, Concurrency: 4, Load: synthLoader}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// 10 tasks per subject: 2 sessions x 5 folds of mdm.
	n := max(1, (b.N+9)/10)
	subjects := make([]int, n)
	for i := range subjects {
		subjects[i] = i + 1
	}
	cfg := bench.Config{Dataset: "synthetic", Subjects: subjects, Pipelines: []string{"mdm"}, Evaluation: bench.WithinSession,
		Seed: uint32(time.Now().UnixNano())} // a fresh version: nothing stored yet
	sess := func(int) ([]string, error) { return []string{"a", "b"}, nil }
	none := func(int) ([]string, error) { return nil, nil }
	b.ResetTimer()
	start := time.Now()
	if _, err := Bench(ctx, nc, cfg, BenchOptions{Sessions: sess, Files: none}); err != nil {
		b.Fatal(err)
	}
	b.StopTimer() // not the worker's and server's shutdown
	b.ReportMetric(float64(10*n)/time.Since(start).Seconds(), "tasks/s")
}
