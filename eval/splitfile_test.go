package eval

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSplitsRoundTrip(t *testing.T) {
	y := []int{1, 2, 1, 2, 2, 1, 1, 2, 1, 2}
	folds, err := StratifiedKFold(y, 5, 42)
	if err != nil {
		t.Fatal(err)
	}
	in := &Splits{Version: SplitsVersion, Splits: []Split{
		{Subject: "1", Session: "0", NSamples: len(y), Folds: folds},
		{Subject: "2", NSamples: 3, Folds: []Fold{{Train: []int{0, 2}, Test: []int{1}}}},
	}}
	var buf bytes.Buffer
	if err := WriteSplits(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadSplits(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: %+v, want %+v", out, in)
	}
	if sp, ok := out.Find("2", ""); !ok || sp.NSamples != 3 {
		t.Fatalf("Find: %+v %v", sp, ok)
	}
	if _, ok := out.Find("3", ""); ok {
		t.Fatal("Find of a missing subject")
	}
}

func TestSplitsErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"syntax":        `{"version": 1, "splits": [`,
		"version":       `{"version": 2, "splits": []}`,
		"unknown field": `{"version": 1, "splits": [], "extra": 1}`,
		"n_samples":     `{"version": 1, "splits": [{"n_samples": 0, "folds": [{"train": [0], "test": [1]}]}]}`,
		"no folds":      `{"version": 1, "splits": [{"n_samples": 2, "folds": []}]}`,
		"empty test":    `{"version": 1, "splits": [{"n_samples": 2, "folds": [{"train": [0, 1], "test": []}]}]}`,
		"range":         `{"version": 1, "splits": [{"n_samples": 2, "folds": [{"train": [0], "test": [2]}]}]}`,
		"negative":      `{"version": 1, "splits": [{"n_samples": 2, "folds": [{"train": [-1], "test": [1]}]}]}`,
		"overlap":       `{"version": 1, "splits": [{"n_samples": 3, "folds": [{"train": [0, 1], "test": [1]}]}]}`,
		"repeat":        `{"version": 1, "splits": [{"n_samples": 3, "folds": [{"train": [0, 0], "test": [1]}]}]}`,
		"twice":         `{"version": 1, "splits": [{"subject": "1", "n_samples": 2, "folds": [{"train": [0], "test": [1]}]}, {"subject": "1", "n_samples": 2, "folds": [{"train": [0], "test": [1]}]}]}`,
		"float index":   `{"version": 1, "splits": [{"n_samples": 2000, "folds": [{"train": [0], "test": [1e3]}]}]}`,
	} {
		if _, err := ReadSplits(strings.NewReader(doc)); !errors.Is(err, ErrSplitFile) {
			t.Errorf("%s: err %v, want ErrSplitFile", name, err)
		}
	}
	// A huge n_samples is only a bound: nothing is allocated from it.
	huge := `{"version": 1, "splits": [{"n_samples": 9223372036854775807, "folds": [{"train": [0], "test": [1]}]}]}`
	if _, err := ReadSplits(strings.NewReader(huge)); err != nil {
		t.Errorf("huge n_samples: %v", err)
	}
}

func FuzzReadSplits(f *testing.F) {
	f.Add([]byte(`{"version": 1, "splits": [{"subject": "1", "session": "0", "n_samples": 4, "folds": [{"train": [0, 1], "test": [2, 3]}, {"train": [2, 3], "test": [0, 1]}]}]}`))
	f.Add([]byte(`{"version": 1, "splits": [{"n_samples": 2, "folds": [{"train": [0], "test": [2]}]}]}`))
	f.Add([]byte(`{"version": 1, "splits": []}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadSplits(bytes.NewReader(b))
		if err != nil {
			return
		}
		// A document that reads must write and read back the same.
		var buf bytes.Buffer
		if err := WriteSplits(&buf, s); err != nil {
			t.Fatalf("write of a checked document: %v", err)
		}
		back, err := ReadSplits(&buf)
		if err != nil || !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip: %v", err)
		}
		for _, sp := range s.Splits {
			for _, fold := range sp.Folds {
				for _, i := range append(fold.Train, fold.Test...) {
					if i < 0 || i >= sp.NSamples {
						t.Fatalf("index %d outside [0, %d)", i, sp.NSamples)
					}
				}
			}
		}
	})
}
