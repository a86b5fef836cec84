package online_test

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/online"
)

// TestSharedModel runs decoders of one model on several goroutines, as a
// server decoding many streams with one model does (run with -race).
func TestSharedModel(t *testing.T) {
	for _, pipeline := range []string{"csp+lda", "mdm", "ts+lr", "ts+svm", "fgmdm", "acm+ts+svm", "cca"} {
		t.Run(pipeline, func(t *testing.T) {
			m := synthModel(pipeline, 4, 100)
			var wg sync.WaitGroup
			results := make([][]int, 4)
			for g := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dec, err := online.NewDecoder(m, m.Channels, m.SFreq, online.Config{Step: 0.2})
					if err != nil {
						t.Error(err)
						return
					}
					chunk := make([][]float64, 4)
					for c := range chunk {
						chunk[c] = make([]float64, 20)
					}
					rng := rand.New(rand.NewPCG(3, 3)) // the same stream for every goroutine
					for k := range 30 {
						for c := range chunk {
							for i := range chunk[c] {
								chunk[c][i] = 1e-6 * rng.NormFloat64()
							}
						}
						out, err := dec.Push(int64(20*k), chunk, time.Now(), nil)
						if err != nil {
							t.Error(err)
							return
						}
						for _, d := range out {
							results[g] = append(results[g], d.Predicted)
						}
					}
				}()
			}
			wg.Wait()
			for g := range results {
				if len(results[g]) == 0 || len(results[g]) != len(results[0]) {
					t.Fatalf("goroutine %d: %d decisions", g, len(results[g]))
				}
				for i := range results[g] {
					if results[g][i] != results[0][i] {
						t.Fatalf("goroutine %d decision %d: %d, goroutine 0: %d", g, i, results[g][i], results[0][i])
					}
				}
			}
		})
	}
}
