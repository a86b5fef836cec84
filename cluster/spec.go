package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/eval"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The JetStream names bcikit uses. Tasks are published on TaskSubject
// followed by the version of their results and the run's hash; dead letters
// on DeadSubject followed by the version.
const (
	TaskStream    = "BCIKIT_TASKS"   // work-queue stream of tasks
	DeadStream    = "BCIKIT_DLQ"     // dead letters: tasks that failed for good, with the error
	ResultsBucket = "bcikit_results" // KV: one fold result per task key
	SpecsBucket   = "bcikit_runs"    // KV: run specifications, by spec key
	TaskSubject   = "bcikit.tasks"
	DeadSubject   = "bcikit.dlq"
	// WorkerConsumer is the durable consumer all workers pull from.
	WorkerConsumer = "workers"
)

// spec is what a worker needs to compute a run's tasks: the bench.Config
// without its callbacks, and the checksums of the data files.
type spec struct {
	Code       string           `json:"code"`
	Dataset    string           `json:"dataset"`
	Subjects   []int            `json:"subjects"`
	Pipelines  []string         `json:"pipelines"`
	Evaluation bench.Evaluation `json:"evaluation"`
	Folds      int              `json:"folds"`
	Seed       uint32           `json:"seed"`
	Splits     *eval.Splits     `json:"splits,omitempty"`
	// Files maps each subject to its files (relative to the data
	// directory) and their SHA-256, as the publisher's copy has them.
	Files map[int]map[string]string `json:"files,omitempty"`
}

func (s *spec) config() bench.Config {
	return bench.Config{Dataset: s.Dataset, Subjects: s.Subjects, Pipelines: s.Pipelines, Evaluation: s.Evaluation,
		Folds: s.Folds, Seed: s.Seed, Splits: s.Splits}
}

func hash16(parts ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, p := range parts {
		if err := enc.Encode(p); err != nil {
			panic("cluster: hashing: " + err.Error()) // plain data only
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// version identifies the results a run's tasks give: the code and what
// changes a fold's outcome (the dataset, the evaluation and its folds,
// and, for cross-subject evaluation, the subjects trained on). Results of
// one version are shared by every run that has it, whatever its other
// subjects and pipelines.
func (s *spec) version() string {
	subjects := []int(nil)
	if s.Evaluation == bench.CrossSubject {
		subjects = s.Subjects
	}
	return hash16(s.Code, s.Dataset, s.Evaluation, s.Folds, s.Seed, s.Splits, subjects)
}

// key is the spec's name in SpecsBucket.
func (s *spec) key() string { return "run." + hash16(s) }

// ResultKey is the results-bucket key of a task of a run version:
// version, dataset, subject, session, pipeline, fold. Characters a key
// cannot hold are written =XX (hex).
func ResultKey(version, dataset string, t bench.Task) string {
	return strings.Join([]string{escape(version), escape(dataset), strconv.Itoa(t.Subject), escape(t.Session), escape(t.Pipeline), strconv.Itoa(t.Fold)}, ".")
}

func escape(s string) string {
	if s == "" {
		return "="
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// taskMsg is a message of the task stream.
type taskMsg struct {
	Key  string     `json:"key"`
	Spec string     `json:"spec"`
	Code string     `json:"code"`
	Task bench.Task `json:"task"`
}

// ErrMessage reports a task message or stored result that is not what
// bcikit writes (another program's message on bcikit's subjects, or a
// corrupted value).
var ErrMessage = errors.New("not a bcikit message")

// decodeTask parses and checks a task message.
func decodeTask(b []byte) (taskMsg, error) {
	var tm taskMsg
	if err := json.Unmarshal(b, &tm); err != nil {
		return tm, fmt.Errorf("%w: %v", ErrMessage, err)
	}
	switch {
	case tm.Key == "" || tm.Spec == "" || tm.Code == "":
		return tm, fmt.Errorf("%w: a task needs a key, a run and a code version", ErrMessage)
	case tm.Task.Pipeline == "" || tm.Task.Fold < 0 || tm.Task.Subject < 0:
		return tm, fmt.Errorf("%w: task %s: no pipeline, or a negative fold or subject", ErrMessage, tm.Task)
	}
	if v, _, _ := strings.Cut(tm.Key, "."); ResultKey(v, keyDataset(tm.Key), tm.Task) != tm.Key {
		return tm, fmt.Errorf("%w: key %q is not the key of %s", ErrMessage, tm.Key, tm.Task)
	}
	return tm, nil
}

// keyDataset is the dataset of a result key, unescaped ("" if the key is
// not well formed).
func keyDataset(key string) string {
	parts := strings.Split(key, ".")
	if len(parts) < 2 {
		return ""
	}
	d, err := unescape(parts[1])
	if err != nil {
		return ""
	}
	return d
}

// unescape inverts escape.
func unescape(s string) (string, error) {
	if s == "=" {
		return "", nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			b.WriteByte(s[i])
			continue
		}
		if i+3 > len(s) {
			return "", fmt.Errorf("%w: truncated escape in %q", ErrMessage, s)
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("%w: bad escape in %q", ErrMessage, s)
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}

// decodeStored parses a stored result and checks it is want's.
func decodeStored(b []byte, want bench.Task) (bench.FoldResult, error) {
	var st stored
	if err := json.Unmarshal(b, &st); err != nil {
		return bench.FoldResult{}, fmt.Errorf("%w: %v", ErrMessage, err)
	}
	if st.Task != want {
		return bench.FoldResult{}, fmt.Errorf("%w: the result is for %s, not %s", ErrMessage, st.Task, want)
	}
	r := st.Result
	if !r.NoTrials && (r.Classes < 1 || r.Samples < 1 || r.Channels < 1 || r.NSessions < 1 ||
		!unit(r.Score) || !unit(r.Accuracy) || !unit(r.BalancedAccuracy) || !(r.Kappa >= -1 && r.Kappa <= 1) ||
		!(r.Seconds >= 0) || !(r.TrialSeconds >= 0)) {
		return bench.FoldResult{}, fmt.Errorf("%w: result of %s out of range: %+v", ErrMessage, want, r)
	}
	return r, nil
}

func unit(v float64) bool { return v >= 0 && v <= 1 }

// stored is a value of the results bucket.
type stored struct {
	Task   bench.Task       `json:"task"`
	Result bench.FoldResult `json:"result"`
}

// DeadLetter is a message of the dead-letter stream: a task that failed
// for good, the worker it failed on and why.
type DeadLetter struct {
	Key        string     `json:"key"`
	Task       bench.Task `json:"task"`
	Worker     string     `json:"worker"`
	Error      string     `json:"error"`
	Deliveries uint64     `json:"deliveries"`
	Time       time.Time  `json:"time"`
}

var codeVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" && dirty == "" {
			return bi.Main.Path + "@" + rev
		}
		if v := bi.Main.Version; v != "" && v != "(devel)" && dirty == "" {
			return bi.Main.Path + "@" + v
		}
	}
	// A development build: the executable's own hash, so that a rebuilt
	// binary never reuses results of another build.
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err == nil {
				return "exe:" + hex.EncodeToString(h.Sum(nil))[:16]
			}
		}
	}
	return "unknown"
})

// CodeVersion names the code that computes results: the module and its VCS
// revision or release, or for a development build the hash of the
// executable. A worker computes only tasks published by the same code
// version, and results are stored under it.
func CodeVersion() string { return codeVersion() }

// Limits are the JetStream settings of the task queue.
type Limits struct {
	// AckWait is how long a task may go without a heartbeat from its
	// worker before it is handed to another (default 15 s; workers
	// send heartbeats every third of it).
	AckWait time.Duration
	// MaxDeliver is how many times a task is handed out before it is a
	// dead letter (default 5).
	MaxDeliver int
	// Replicas is the number of copies of the streams and buckets in a
	// NATS cluster, when they do not exist yet (default 1: one server;
	// 3 for a 3-node cluster, so that a node's loss loses nothing).
	Replicas int
}

func (l Limits) withDefaults() Limits {
	if l.AckWait <= 0 {
		l.AckWait = 15 * time.Second
	}
	if l.MaxDeliver <= 0 {
		l.MaxDeliver = 5
	}
	return l
}

// retry runs a JetStream request with a 5-s timeout until it answers,
// for a minute at most: in a cluster, a stream just created answers only
// once its leader is elected, and a request sent meanwhile gets no answer
// at all.
func retry[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		v, err := f(rctx)
		cancel()
		if err == nil || ctx.Err() != nil || !(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
			errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse)) {
			return v, err
		}
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(wait):
		}
	}
}

// setup finds the streams and buckets, creating those missing with
// replicas copies each. An existing one is left as it is (its replicas,
// limits), so that a client with other settings never rewrites what an
// operator set up.
func setup(ctx context.Context, js jetstream.JetStream, replicas int) (results, specs jetstream.KeyValue, err error) {
	if replicas < 1 {
		replicas = 1
	}
	for _, sc := range []jetstream.StreamConfig{{
		Name: TaskStream, Subjects: []string{TaskSubject + ".>"}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute, Replicas: replicas,
		Description: "bcikit bench tasks: one message per (dataset, subject, session, pipeline, fold, version)",
	}, {
		Name: DeadStream, Subjects: []string{DeadSubject + ".>"}, Storage: jetstream.FileStorage, Replicas: replicas,
		MaxAge: 30 * 24 * time.Hour, Description: "bcikit tasks that failed for good, with the error",
	}} {
		_, err := retry(ctx, func(ctx context.Context) (jetstream.Stream, error) {
			s, err := js.Stream(ctx, sc.Name)
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				s, err = js.CreateStream(ctx, sc)
				if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
					s, err = js.Stream(ctx, sc.Name) // created by another client meanwhile
				}
			}
			return s, err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("cluster: stream %s: %w", sc.Name, err)
		}
	}
	kvs := make([]jetstream.KeyValue, 2)
	for i, kc := range []jetstream.KeyValueConfig{
		{Bucket: ResultsBucket, Storage: jetstream.FileStorage, History: 1, Replicas: replicas, Description: "bcikit fold results by task key"},
		{Bucket: SpecsBucket, Storage: jetstream.FileStorage, History: 1, Replicas: replicas, Description: "bcikit run specifications"},
	} {
		kv, err := retry(ctx, func(ctx context.Context) (jetstream.KeyValue, error) {
			kv, err := js.KeyValue(ctx, kc.Bucket)
			if errors.Is(err, jetstream.ErrBucketNotFound) {
				if kv, err = js.CreateKeyValue(ctx, kc); err != nil && !errors.Is(err, context.DeadlineExceeded) {
					kv, err = js.KeyValue(ctx, kc.Bucket) // created by another client meanwhile
				}
			}
			return kv, err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("cluster: bucket %s: %w", kc.Bucket, err)
		}
		kvs[i] = kv
	}
	return kvs[0], kvs[1], nil
}
