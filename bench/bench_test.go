package bench

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/decode"
)

// synthLoader gives each subject two sessions of separable two-class trials.
func synthLoader(nTrials int) Loader {
	return func(ctx context.Context, id int, bands bool) (*Subject, error) {
		rng := rand.New(rand.NewPCG(uint64(id), 1))
		s := &Subject{ID: id, Channels: 4, TrialSeconds: 2}
		for i := range nTrials {
			y := 1 + i%2
			tr := make([][]float64, 4)
			for c := range tr {
				sc := 1.0
				if c == y-1 {
					sc = 2.5
				}
				tr[c] = make([]float64, 100)
				for t := range tr[c] {
					tr[c][t] = sc * rng.NormFloat64()
				}
			}
			s.Data.Trials = append(s.Data.Trials, tr)
			s.Y = append(s.Y, y)
			s.Sessions = append(s.Sessions, []string{"0", "1"}[i*2/nTrials])
		}
		if bands {
			s.Bands.Bands = [][][][]float64{s.Data.Trials, s.Data.Trials}
		}
		return s, nil
	}
}

func TestRunEvaluations(t *testing.T) {
	for _, ev := range []Evaluation{WithinSession, CrossSession, CrossSubject} {
		var last int
		cfg := Config{Dataset: "synth", Subjects: []int{1, 2, 3}, Pipelines: []string{"csp+lda", "mdm", "fbcsp+svm"},
			Evaluation: ev, Seed: 42, Progress: func(d, tot int) { last = d }}
		rs, err := Run(context.Background(), cfg, synthLoader(40))
		if err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
		want := map[Evaluation]int{WithinSession: 3 * 2 * 3, CrossSession: 3 * 2 * 3, CrossSubject: 3 * 3}[ev]
		if len(rs) != want {
			t.Fatalf("%s: %d rows, want %d", ev, len(rs), want)
		}
		for _, r := range rs {
			if r.Score < 0.8 || r.Accuracy < 0.7 {
				t.Errorf("%s: %+v: low score on separable data", ev, r)
			}
		}
		if last == 0 {
			t.Errorf("%s: no progress reported", ev)
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, rs); err != nil || !strings.HasPrefix(b.String(), "score,time,samples,subject,session,channels,n_sessions,dataset,pipeline") {
			t.Errorf("CSV: %v %q", err, b.String()[:80])
		}
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := Run(context.Background(), Config{Subjects: []int{1}, Pipelines: []string{"nope"}, Evaluation: WithinSession}, synthLoader(40)); !errors.Is(err, decode.ErrUnknown) {
		t.Errorf("unknown pipeline: %v", err)
	}
	// Too few trials per class for 5 folds.
	if _, err := Run(context.Background(), Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: WithinSession}, synthLoader(8)); err == nil {
		t.Error("too few trials: no error")
	}
	one := func(ctx context.Context, id int, b bool) (*Subject, error) {
		s, _ := synthLoader(40)(ctx, id, b)
		for i := range s.Sessions {
			s.Sessions[i] = "0"
		}
		return s, nil
	}
	if _, err := Run(context.Background(), Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: CrossSession}, one); !errors.Is(err, ErrEval) {
		t.Errorf("one session cross-session: %v", err)
	}
	if _, err := Run(context.Background(), Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: "x"}, one); err == nil {
		t.Error("unknown evaluation: no error")
	}
	// A single class, and NaN samples (NaN features): clear errors for
	// every pipeline, never a panic.
	single := func(ctx context.Context, id int, b bool) (*Subject, error) {
		s, _ := synthLoader(40)(ctx, id, b)
		for i := range s.Y {
			s.Y[i] = 1
		}
		return s, nil
	}
	nan := func(ctx context.Context, id int, b bool) (*Subject, error) {
		s, _ := synthLoader(40)(ctx, id, b)
		s.Data.Trials[3][1][7] = math.NaN()
		return s, nil
	}
	for name, load := range map[string]Loader{"single class": single, "NaN": nan} {
		for _, p := range []string{"csp+lda", "ts+lr", "ts+svm", "mdm", "fgmdm", "acm+ts+svm", "fbcsp+svm"} {
			_, err := Run(context.Background(), Config{Subjects: []int{1}, Pipelines: []string{p}, Evaluation: WithinSession, Seed: 1}, load)
			t.Logf("%s, %s: %v", name, p, err)
			if err == nil || strings.Contains(err.Error(), "panic") {
				t.Errorf("%s, %s: %v", name, p, err)
			}
		}
	}
}
