package eval

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkStratifiedKFold(b *testing.B) {
	y := make([]int, 90)
	for i := range y {
		y[i] = i % 2
	}
	for b.Loop() {
		if _, err := StratifiedKFold(y, 5, 42); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPermutationExact is MOABB's exact test: 13 subjects, 6
// pipelines (8192 sign flips).
func BenchmarkPermutationExact(b *testing.B) { benchPerm(b, 13) }

// BenchmarkPermutationRandom is MOABB's random test: 19 subjects, 6
// pipelines (10000 sign flips).
func BenchmarkPermutationRandom(b *testing.B) { benchPerm(b, 19) }

func benchPerm(b *testing.B, nSub int) {
	rng := rand.New(rand.NewPCG(3, 4))
	scores := make([][]float64, nSub)
	for s := range scores {
		for range 6 {
			scores[s] = append(scores[s], float64(rng.IntN(40))/40)
		}
	}
	for b.Loop() {
		if _, err := PermutationPValues(scores, 1); err != nil {
			b.Fatal(err)
		}
	}
}
