package online

import "fmt"

// Smoother smooths a sequence of decisions over the last K: the majority
// class of the last K predictions (a tie goes to the tied class predicted
// most recently) and the mean of the last K scores. It allocates nothing
// after NewSmoother. A Smoother is not safe for concurrent use.
type Smoother struct {
	pred   []int
	score  []float64
	n, pos int
	counts map[int]int
}

// NewSmoother returns a smoother over the last k decisions. It panics when
// k is not positive.
func NewSmoother(k int) *Smoother {
	if k <= 0 {
		panic(fmt.Sprintf("online: NewSmoother(%d): k must be positive", k))
	}
	return &Smoother{pred: make([]int, k), score: make([]float64, k), counts: make(map[int]int, 4)}
}

// K returns the number of decisions smoothed over.
func (s *Smoother) K() int { return len(s.pred) }

// Reset forgets the past decisions.
func (s *Smoother) Reset() {
	s.n, s.pos = 0, 0
	clear(s.counts)
}

// Add adds a decision (its predicted class and score; pass 0 when there is
// no score) and returns the majority class and the mean score of the last K
// decisions, this one included (fewer at the start).
func (s *Smoother) Add(pred int, score float64) (majority int, mean float64) {
	k := len(s.pred)
	if s.n == k {
		old := s.pred[s.pos]
		if s.counts[old]--; s.counts[old] == 0 {
			delete(s.counts, old)
		}
	} else {
		s.n++
	}
	s.pred[s.pos], s.score[s.pos] = pred, score
	s.counts[pred]++
	s.pos = (s.pos + 1) % k
	// Walk from the newest back: the first class reaching the top count
	// is the most recently predicted among the tied ones.
	top := 0
	for _, c := range s.counts {
		top = max(top, c)
	}
	sum := 0.0
	majority = pred
	found := false
	for i := range s.n {
		j := (s.pos - 1 - i + 2*k) % k
		sum += s.score[j]
		if !found && s.counts[s.pred[j]] == top {
			majority, found = s.pred[j], true
		}
	}
	return majority, sum / float64(s.n)
}
