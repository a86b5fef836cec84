package online

import "testing"

func TestSmoother(t *testing.T) {
	s := NewSmoother(3)
	steps := []struct {
		pred  int
		score float64
		maj   int
		mean  float64
	}{
		{1, 0.5, 1, 0.5},
		{2, 1.5, 2, 1},       // tie 1:1 → the most recent
		{2, 1.0, 2, 1},       // 2,2 vs 1
		{1, -1.0, 2, 0.5},    // last three 2,2,1
		{1, 3.0, 1, 1},       // 2,1,1
		{3, 0.0, 1, 2.0 / 3}, // 1,1,3
		{2, 0.0, 2, 1},       // 1,3,2: three-way tie → most recent
	}
	for i, st := range steps {
		maj, mean := s.Add(st.pred, st.score)
		if maj != st.maj || mean != st.mean {
			t.Fatalf("step %d: (%d, %v), want (%d, %v)", i, maj, mean, st.maj, st.mean)
		}
	}
	s.Reset()
	if maj, mean := s.Add(7, 2); maj != 7 || mean != 2 {
		t.Errorf("after Reset: %d %v", maj, mean)
	}
}
