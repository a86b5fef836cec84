package cluster

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/bench"
)

// validKey is what a NATS KV key may hold: tokens of [-/_=a-zA-Z0-9]
// separated by single dots.
var validKey = regexp.MustCompile(`^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$`)

// Any task gives a valid KV key, and the key gives its parts back.
func FuzzResultKey(f *testing.F) {
	f.Add("0123abcd", "ssvep-exo", 1, "2012.07.06-19.02.16", "fb+ts+lr", 4)
	f.Add("v", "", -3, "", "=", 0)
	f.Add("", "a.b", 0, "é\x00]", "x y", -1)
	f.Fuzz(func(t *testing.T, version, dataset string, subject int, session, pipeline string, fold int) {
		k := ResultKey(version, dataset, bench.Task{Subject: subject, Session: session, Pipeline: pipeline, Fold: fold})
		if !validKey.MatchString(k) {
			t.Fatalf("key %q is not a valid KV key", k)
		}
		parts := strings.Split(k, ".")
		if len(parts) != 6 {
			t.Fatalf("key %q has %d parts", k, len(parts))
		}
		for i, want := range map[int]string{0: version, 1: dataset, 3: session, 4: pipeline} {
			got, err := unescape(parts[i])
			if err != nil || got != want {
				t.Errorf("part %d of %q: %q, %v; want %q", i, k, got, err, want)
			}
		}
	})
}

// Task messages from the network: never a panic, and a message accepted is
// one bcikit could have written.
func FuzzDecodeTask(f *testing.F) {
	good, _ := json.Marshal(taskMsg{Key: ResultKey("v1", "ssvep-exo", bench.Task{Subject: 1, Session: "s", Pipeline: "cca", Fold: 2}),
		Spec: "run.x", Code: "exe:1", Task: bench.Task{Subject: 1, Session: "s", Pipeline: "cca", Fold: 2}})
	f.Add(good)
	f.Add([]byte(`{"key":"v.d.1.s.cca.2","spec":"r","code":"c","task":{"subject":1,"session":"s","pipeline":"mdm","fold":2}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"key":"=zz.d.1.s.p.0","spec":"r","code":"c","task":{"pipeline":"p"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, err := decodeTask(b)
		if err != nil {
			if !errors.Is(err, ErrMessage) {
				t.Fatalf("error %v does not wrap ErrMessage", err)
			}
			return
		}
		v, _, _ := strings.Cut(tm.Key, ".")
		uv, err := unescape(v)
		if err != nil || ResultKey(uv, keyDataset(tm.Key), tm.Task) != tm.Key || !validKey.MatchString(tm.Key) {
			t.Fatalf("accepted %q: key %q is not its task's", b, tm.Key)
		}
	})
}

// Stored results read back by Bench: never a panic, never a value out of
// range taken.
func FuzzDecodeStored(f *testing.F) {
	task := bench.Task{Subject: 1, Session: "s", Pipeline: "cca"}
	good, _ := json.Marshal(stored{Task: task, Result: bench.FoldResult{Score: 0.9, Accuracy: 0.8, BalancedAccuracy: 0.8, Kappa: 0.6,
		Classes: 4, Seconds: 0.1, Samples: 32, Channels: 8, NSessions: 2, TrialSeconds: 3}})
	f.Add(good)
	f.Add([]byte(`{"task":{"subject":1,"session":"s","pipeline":"cca","fold":0},"result":{"no_trials":true}}`))
	f.Add([]byte(`{"task":{"subject":1,"session":"s","pipeline":"cca","fold":0},"result":{"score":2}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeStored(b, task)
		if err != nil {
			if !errors.Is(err, ErrMessage) {
				t.Fatalf("error %v does not wrap ErrMessage", err)
			}
			return
		}
		if !r.NoTrials && (r.Score < 0 || r.Score > 1 || r.Classes < 1 || r.Samples < 1) {
			t.Fatalf("accepted %+v", r)
		}
	})
}
