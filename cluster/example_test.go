package cluster_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/cluster"
	"github.com/bcikit/bcikit/decode"
)

// synthetic gives a subject two sessions of 20 separable trials; the bcikit
// CLI's loader cuts real recordings with the dataset's paradigm instead.
func synthetic(cfg bench.Config, dataDir string) (bench.Loader, error) {
	return func(ctx context.Context, id int, bands bool) (*bench.Subject, error) {
		rng := rand.New(rand.NewPCG(uint64(id), 1))
		s := &bench.Subject{ID: id, Channels: 3, TrialSeconds: 1, SFreq: 100}
		for i := range 40 {
			y := 1 + i%2
			tr := make([][]float64, 3)
			for c := range tr {
				tr[c] = make([]float64, 100)
				for t := range tr[c] {
					tr[c][t] = rng.NormFloat64() * (1 + 2*float64(c+1-y)*float64(c+1-y))
				}
			}
			s.Data = decode.Data{Trials: append(s.Data.Trials, tr)}
			s.Y = append(s.Y, y)
			s.Sessions = append(s.Sessions, []string{"a", "b"}[i/20])
		}
		return s, nil
	}, nil
}

// An embedded server on a free loopback port, a worker, and a run of 2
// sessions x 2 pipelines x 5 folds published to it and collected.
func Example() {
	store, _ := os.MkdirTemp("", "bcikit-cluster")
	defer os.RemoveAll(store)
	srv, err := cluster.StartServer(cluster.ServerConfig{Listen: "127.0.0.1:0", StoreDir: store})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	nc, err := cluster.Connect(cluster.ConnOptions{URL: srv.URL()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nc.Close()

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	w := &cluster.Worker{Conn: nc, Load: synthetic, Concurrency: 2}
	go w.Run(ctx)

	cfg := bench.Config{Dataset: "synthetic", Subjects: []int{1}, Pipelines: []string{"mdm", "csp+lda"}, Evaluation: bench.WithinSession, Seed: 1}
	rs, err := cluster.Bench(ctx, nc, cfg, cluster.BenchOptions{
		Sessions: func(int) ([]string, error) { return []string{"a", "b"}, nil },
		Files:    func(int) ([]string, error) { return nil, nil }, // no files to check
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs {
		fmt.Printf("subject %d session %s %-7s %d trials\n", r.Subject, r.Session, r.Pipeline, r.Samples)
	}
	// Output:
	// subject 1 session a mdm     20 trials
	// subject 1 session a csp+lda 20 trials
	// subject 1 session b mdm     20 trials
	// subject 1 session b csp+lda 20 trials
}
