package bench

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// sameRows compares two result tables column by column, except Time
// (wall-clock seconds, never the same twice).
func sameRows(a, b []Result) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d rows vs %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Time, y.Time = 0, 0
		if x != y {
			return fmt.Errorf("row %d:\n %+v\n %+v", i, a[i], b[i])
		}
	}
	return nil
}

// The tasks of a run, computed one by one and collected, give Run's rows
// exactly (every column but the time, bit for bit, in the same order).
func TestTasksCollectEqualRun(t *testing.T) {
	ctx := context.Background()
	load := synthLoader(40)
	for _, ev := range []Evaluation{WithinSession, CrossSession, CrossSubject} {
		cfg := Config{Dataset: "synth", Subjects: []int{2, 1, 3}, Pipelines: []string{"mdm", "csp+lda", "fbcsp+svm"}, Evaluation: ev, Seed: 7}
		want, err := Run(ctx, cfg, load)
		if err != nil {
			t.Fatal(err)
		}
		sess := func(int) ([]string, error) { return []string{"1", "0", "2"}, nil } // "2": a session without trials
		ts, err := Tasks(cfg, sess)
		if err != nil {
			t.Fatal(err)
		}
		prep := map[int]*Prepared{}
		rs := make([]FoldResult, len(ts))
		// Run the tasks backwards: order must not matter.
		for i := len(ts) - 1; i >= 0; i-- {
			tk := ts[i]
			p := prep[tk.Subject]
			if p == nil {
				if p, err = Prepare(ctx, cfg, load, tk.Subject); err != nil {
					t.Fatal(err)
				}
				prep[tk.Subject] = p
			}
			if rs[i], err = p.Run(tk); err != nil {
				t.Fatalf("%s: %s: %v", ev, tk, err)
			}
		}
		got, err := Collect(cfg, ts, rs)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameRows(want, got); err != nil {
			t.Errorf("%s: %v", ev, err)
		}
		if ev == WithinSession && len(ts) != 3*3*3*5 {
			t.Errorf("%d within-session tasks, want %d", len(ts), 3*3*3*5)
		}
	}
}

func TestTasksErrors(t *testing.T) {
	sess := func(int) ([]string, error) { return []string{"0"}, nil }
	if _, err := Tasks(Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: CrossSession}, sess); !errors.Is(err, ErrEval) {
		t.Errorf("one session cross-session: %v", err)
	}
	if _, err := Tasks(Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: CrossSubject}, sess); !errors.Is(err, ErrEval) {
		t.Errorf("one subject cross-subject: %v", err)
	}
	if _, err := Tasks(Config{Subjects: []int{1}, Evaluation: WithinSession}, sess); !errors.Is(err, ErrEval) {
		t.Errorf("no pipeline: %v", err)
	}
	bad := func(int) ([]string, error) { return nil, errors.New("no files") }
	if _, err := Tasks(Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: WithinSession}, bad); err == nil {
		t.Error("sessions error not reported")
	}
	cfg := Config{Subjects: []int{1}, Pipelines: []string{"mdm"}, Evaluation: WithinSession}
	p, err := Prepare(context.Background(), cfg, synthLoader(40), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []Task{{Subject: 1, Session: "0", Pipeline: "csp+lda"}, {Subject: 2, Session: "0", Pipeline: "mdm"}, {Subject: 1, Session: "0", Pipeline: "mdm", Fold: 5}} {
		if _, err := p.Run(tk); !errors.Is(err, ErrEval) {
			t.Errorf("%s: %v", tk, err)
		}
	}
	if _, err := Prepare(context.Background(), cfg, synthLoader(40), 4); !errors.Is(err, ErrEval) {
		t.Errorf("subject not in the run: %v", err)
	}
	if _, err := Collect(cfg, []Task{{Subject: 1, Session: "0", Pipeline: "mdm", Fold: 1}}, []FoldResult{{}}); err == nil {
		t.Error("missing fold 0 not reported")
	}
}
