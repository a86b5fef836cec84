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
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/dataset"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrData reports data a worker does not have as the run wants it: a
// missing file or one whose checksum differs from the publisher's copy.
// Such a task is handed to other workers, and is a dead letter once every
// delivery failed.
var ErrData = errors.New("data not on this worker")

// retryable marks an error another worker (or a later try) may not have.
type retryable struct{ err error }

func (r retryable) Error() string { return r.err.Error() }
func (r retryable) Unwrap() error { return r.err }

func isRetryable(err error) bool {
	var r retryable
	return errors.As(err, &r)
}

// LoaderFunc gives the subject loader of a run, reading the files from
// dataDir (the CLI cuts trials with the dataset's paradigms, as a local
// bench run does).
type LoaderFunc func(cfg bench.Config, dataDir string) (bench.Loader, error)

// Worker computes tasks from the task stream and stores their results.
type Worker struct {
	// Conn is the connection to the server.
	Conn *nats.Conn
	// Name names the worker in dead letters and logs (default
	// host:pid).
	Name string
	// Concurrency is the number of tasks run at once (default
	// GOMAXPROCS).
	Concurrency int
	// Load gives the loader of a run's subjects.
	Load LoaderFunc
	// Limits set the queue's ack wait and deliveries (the worker
	// creates the consumer with them).
	Limits Limits
	// DataDir is where the files are (default dataset.Dir()); it must
	// be where Load reads them.
	DataDir string
	// Log receives a line per task started and finished (nil: none).
	Log io.Writer

	mu    sync.Mutex
	cache map[string]*prepEntry
	specs map[string]*spec
	tick  int
}

type prepEntry struct {
	done     chan struct{}
	p        *bench.Prepared
	version  string // the run's version and dataset, for checking task keys
	dataset  string
	err      error
	used     int
	inFlight int
}

func (w *Worker) logf(format string, args ...any) {
	if w.Log != nil {
		fmt.Fprintf(w.Log, "worker %s: "+format+"\n", append([]any{w.Name}, args...)...)
	}
}

// Run takes tasks until ctx is cancelled: a cancelled task goes back to
// the queue at once. It returns nil after a cancellation.
func (w *Worker) Run(ctx context.Context) error {
	if w.Conn == nil || w.Load == nil {
		return fmt.Errorf("cluster: %w: a worker needs a connection and a loader", ErrConfig)
	}
	if w.Name == "" {
		host, _ := os.Hostname()
		w.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if w.Concurrency <= 0 {
		w.Concurrency = runtime.GOMAXPROCS(0)
	}
	if w.DataDir == "" {
		w.DataDir = dataset.Dir()
	}
	w.Limits = w.Limits.withDefaults()
	w.cache, w.specs = map[string]*prepEntry{}, map[string]*spec{}
	js, err := jetstream.New(w.Conn)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	results, specs, err := setup(ctx, js, w.Limits.Replicas)
	if err != nil {
		return err
	}
	cons, err := retry(ctx, func(ctx context.Context) (jetstream.Consumer, error) {
		return js.CreateOrUpdateConsumer(ctx, TaskStream, jetstream.ConsumerConfig{
			Durable: WorkerConsumer, AckPolicy: jetstream.AckExplicitPolicy,
			AckWait: w.Limits.AckWait, MaxDeliver: w.Limits.MaxDeliver, MaxAckPending: -1,
			Description: "bcikit workers",
		})
	})
	if err != nil {
		return fmt.Errorf("cluster: consumer %s: %w", WorkerConsumer, err)
	}
	w.logf("ready, %d task(s) at once, code %s, data in %s", w.Concurrency, CodeVersion(), w.DataDir)
	var wg sync.WaitGroup
	for range w.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				msg, err := cons.Next(jetstream.FetchMaxWait(2 * time.Second))
				if err != nil {
					if !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
						// Server away (restarting): try again shortly.
						select {
						case <-ctx.Done():
						case <-time.After(250 * time.Millisecond):
						}
					}
					continue
				}
				w.handle(ctx, js, results, specs, msg)
			}
		}()
	}
	wg.Wait()
	// The naks of tasks given back reach the server before Run returns.
	if w.Conn.IsConnected() {
		_ = w.Conn.FlushTimeout(5 * time.Second)
	}
	return nil
}

// handle runs one task message to its end: a stored result and an ack, a
// retry, or a dead letter.
func (w *Worker) handle(ctx context.Context, js jetstream.JetStream, results, specs jetstream.KeyValue, msg jetstream.Msg) {
	tm, err := decodeTask(msg.Data())
	if err != nil {
		w.logf("dropping a message on %s: %v", msg.Subject(), err)
		_ = msg.TermWithReason(err.Error())
		return
	}
	if ctx.Err() != nil {
		_ = msg.Nak() // shutting down: back to the queue for another worker
		return
	}
	// Already done (a duplicate, or a redelivery after a lost ack).
	if _, err := results.Get(ctx, tm.Key); err == nil {
		_ = msg.Ack()
		return
	}
	delivered := uint64(1)
	if md, err := msg.Metadata(); err == nil {
		delivered = md.NumDelivered
	}
	w.logf("start %s (%s, delivery %d)", tm.Key, tm.Task, delivered)
	// Heartbeats while the task runs, so the server waits for it.
	hbCtx, stopHB := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(w.Limits.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	fr, err := w.compute(ctx, specs, tm)
	stopHB()
	// A result computed is stored even if the worker is stopping.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err == nil {
		var b []byte
		if b, err = json.Marshal(stored{Task: tm.Task, Result: fr}); err == nil {
			// Create, not Put: the first result of a task is the one kept,
			// however many times it ran.
			if _, err = results.Create(sctx, tm.Key, b); errors.Is(err, jetstream.ErrKeyExists) {
				err = nil
			}
			if err != nil {
				err = retryable{fmt.Errorf("storing the result: %w", err)}
			}
		}
	}
	if err == nil {
		// A lost ack only brings the task back, to be found done.
		_ = msg.Ack()
		w.logf("done %s", tm.Key)
		return
	}
	if ctx.Err() != nil {
		_ = msg.Nak() // shutting down: back to the queue for another worker
		return
	}
	w.logf("failed %s: %v", tm.Key, err)
	if isRetryable(err) && delivered < uint64(w.Limits.MaxDeliver) {
		_ = msg.NakWithDelay(time.Second)
		return
	}
	dl := DeadLetter{Key: tm.Key, Task: tm.Task, Worker: w.Name, Error: err.Error(), Deliveries: delivered, Time: time.Now().UTC()}
	b, _ := json.Marshal(dl)
	version, _, _ := cutKey(tm.Key)
	if _, perr := js.Publish(sctx, DeadSubject+"."+version, b); perr != nil {
		w.logf("cannot publish the dead letter of %s: %v", tm.Key, perr)
		_ = msg.NakWithDelay(time.Second)
		return
	}
	_ = msg.TermWithReason(err.Error())
}

// cutKey splits a result key's version from the rest.
func cutKey(key string) (version, rest string, ok bool) {
	for i := 0; i < len(key); i++ {
		if key[i] == '.' {
			return key[:i], key[i+1:], true
		}
	}
	return key, "", false
}

// compute runs a task, loading (once per worker and run) its subject.
func (w *Worker) compute(ctx context.Context, specs jetstream.KeyValue, tm taskMsg) (bench.FoldResult, error) {
	if tm.Code != CodeVersion() {
		return bench.FoldResult{}, retryable{fmt.Errorf("worker %s runs code %s, the task was published by code %s (run the same bcikit build everywhere)", w.Name, CodeVersion(), tm.Code)}
	}
	e, release, err := w.prepared(ctx, specs, tm)
	if err != nil {
		return bench.FoldResult{}, err
	}
	defer release()
	// The key must be the one the run gives the task, or the result would
	// be stored where another run reads it.
	if want := ResultKey(e.version, e.dataset, tm.Task); want != tm.Key {
		return bench.FoldResult{}, fmt.Errorf("worker %s: %w: task key %s, run %s gives %s", w.Name, ErrMessage, tm.Key, tm.Spec, want)
	}
	p := e.p
	if testHookRun != nil {
		testHookRun()
	}
	fr, err := p.Run(tm.Task)
	if err != nil {
		return bench.FoldResult{}, fmt.Errorf("worker %s: %w", w.Name, err)
	}
	return fr, nil
}

// testHookRun, set by tests, runs before each task's computation.
var testHookRun func()

// cacheSize is the number of prepared subjects a worker keeps.
func (w *Worker) cacheSize() int { return w.Concurrency + 1 }

func (w *Worker) prepared(ctx context.Context, specs jetstream.KeyValue, tm taskMsg) (*prepEntry, func(), error) {
	sp, err := w.spec(ctx, specs, tm.Spec)
	if err != nil {
		return nil, nil, err
	}
	// One entry per subject, or one for the whole run when every task
	// trains on all subjects.
	ck := fmt.Sprintf("%s/%d", tm.Spec, tm.Task.Subject)
	if sp.Evaluation == bench.CrossSubject {
		ck = tm.Spec + "/all"
	}
	w.mu.Lock()
	e := w.cache[ck]
	owner := e == nil
	if owner {
		e = &prepEntry{done: make(chan struct{}), version: sp.version(), dataset: sp.Dataset}
		w.cache[ck] = e
	}
	w.tick++
	e.used = w.tick
	e.inFlight++
	w.mu.Unlock()
	release := func() {
		w.mu.Lock()
		e.inFlight--
		w.mu.Unlock()
	}
	if owner {
		e.p, e.err = w.prepare(ctx, sp, tm)
		close(e.done)
		w.mu.Lock()
		if e.err != nil {
			delete(w.cache, ck) // try again on the next delivery
		}
		w.evict()
		w.mu.Unlock()
	} else {
		select {
		case <-e.done:
		case <-ctx.Done():
			release()
			return nil, nil, ctx.Err()
		}
	}
	if e.err != nil {
		release()
		return nil, nil, e.err
	}
	return e, release, nil
}

// evict drops the least recently used prepared subjects not in use beyond
// the cache size (w.mu held).
func (w *Worker) evict() {
	if len(w.cache) <= w.cacheSize() {
		return
	}
	type kv struct {
		k string
		e *prepEntry
	}
	var idle []kv
	for k, e := range w.cache {
		select {
		case <-e.done:
			if e.inFlight == 0 {
				idle = append(idle, kv{k, e})
			}
		default:
		}
	}
	sort.Slice(idle, func(i, j int) bool { return idle[i].e.used < idle[j].e.used })
	for _, x := range idle {
		if len(w.cache) <= w.cacheSize() {
			break
		}
		delete(w.cache, x.k)
	}
}

// spec returns a run's description, read once from the bucket.
func (w *Worker) spec(ctx context.Context, specs jetstream.KeyValue, key string) (*spec, error) {
	w.mu.Lock()
	sp := w.specs[key]
	w.mu.Unlock()
	if sp != nil {
		return sp, nil
	}
	e, err := specs.Get(ctx, key)
	if err != nil {
		return nil, retryable{fmt.Errorf("worker %s: run %s: %w", w.Name, key, err)}
	}
	sp = &spec{}
	if err := json.Unmarshal(e.Value(), sp); err != nil {
		return nil, fmt.Errorf("worker %s: run %s: %w: %v", w.Name, key, ErrMessage, err)
	}
	w.mu.Lock()
	if len(w.specs) > 64 {
		clear(w.specs)
	}
	w.specs[key] = sp
	w.mu.Unlock()
	return sp, nil
}

// prepare checks the files and loads the subject of a task (for
// cross-subject evaluation, every subject).
func (w *Worker) prepare(ctx context.Context, sp *spec, tm taskMsg) (*bench.Prepared, error) {
	cfg := sp.config()
	subjects := []int{tm.Task.Subject}
	if cfg.Evaluation == bench.CrossSubject {
		subjects = cfg.Subjects
	}
	for _, s := range subjects {
		if err := w.verify(sp.Files[s]); err != nil {
			return nil, retryable{err}
		}
	}
	load, err := w.Load(cfg, w.DataDir)
	if err != nil {
		return nil, fmt.Errorf("worker %s: %w", w.Name, err)
	}
	p, err := bench.Prepare(ctx, cfg, load, tm.Task.Subject)
	if err != nil {
		if errors.Is(err, dataset.ErrMissing) || errors.Is(err, os.ErrNotExist) {
			err = retryable{err}
		}
		return nil, fmt.Errorf("worker %s: %w", w.Name, err)
	}
	return p, nil
}

// verify checks that the worker's copy of each file has the publisher's
// SHA-256.
func (w *Worker) verify(files map[string]string) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, rel := range names {
		p, err := dataset.PathIn(w.DataDir, rel)
		if err != nil {
			return fmt.Errorf("worker %s: %w: %w", w.Name, ErrData, err)
		}
		sum, err := sha256File(p)
		if err != nil {
			return fmt.Errorf("worker %s: %w: %w", w.Name, ErrData, err)
		}
		if sum != files[rel] {
			return fmt.Errorf("worker %s: %w: %s: SHA-256 %s, the run's copy has %s (%w)", w.Name, ErrData, p, sum, files[rel], dataset.ErrChecksum)
		}
	}
	return nil
}

func sha256File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
