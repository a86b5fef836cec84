package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/dataset"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrTaskFailed reports a task that failed for good on the workers (its
// dead letter, with the worker's error).
var ErrTaskFailed = errors.New("task failed")

// BenchOptions are the settings of a distributed run besides its
// bench.Config.
type BenchOptions struct {
	// Sessions lists a subject's sessions; nil means the sessions of
	// the subject's recordings in the dataset registry.
	Sessions func(subject int) ([]string, error)
	// Files lists a subject's files, relative to DataDir, whose SHA-256
	// workers check before using them; nil means the files of the
	// subject's recordings in the dataset registry.
	Files func(subject int) ([]string, error)
	// DataDir is the publisher's data directory (default dataset.Dir()).
	DataDir string
	// Log receives notes (tasks already done, tasks published; nil:
	// none).
	Log io.Writer
	// Replicas is the number of copies of the streams and buckets when
	// Bench creates them (see Limits.Replicas).
	Replicas int
	// Stall, if not zero, is how long Bench waits without a result
	// before it writes a note that no worker seems to be running.
	Stall time.Duration
}

// Bench runs cfg on the workers: it publishes the tasks that have no
// stored result yet (so that running it again resumes), waits for every
// result, calling cfg.Progress as they arrive, and returns the rows a
// local bench.Run gives (every column but Time, the workers' fold time,
// identical, in the same order). A task that fails for good ends the wait
// with ErrTaskFailed and the worker's error; cancelling ctx stops the wait
// and leaves the tasks to the workers (a later Bench collects them).
func Bench(ctx context.Context, nc *nats.Conn, cfg bench.Config, o BenchOptions) ([]bench.Result, error) {
	if o.DataDir == "" {
		o.DataDir = dataset.Dir()
	}
	d, derr := dataset.Get(cfg.Dataset)
	if o.Sessions == nil || o.Files == nil {
		if derr != nil {
			return nil, fmt.Errorf("cluster: %w", derr)
		}
		d.Dir = o.DataDir
	}
	if o.Sessions == nil {
		o.Sessions = func(s int) ([]string, error) {
			recs, err := d.Recordings(s)
			if err != nil {
				return nil, err
			}
			var out []string
			for _, r := range recs {
				out = append(out, r.Session)
			}
			return out, nil
		}
	}
	if o.Files == nil {
		o.Files = func(s int) ([]string, error) {
			recs, err := d.Recordings(s)
			if err != nil {
				return nil, err
			}
			var out []string
			for _, r := range recs {
				out = append(out, r.File)
				if r.Events != "" {
					out = append(out, r.Events)
				}
			}
			return out, nil
		}
	}
	tasks, err := bench.Tasks(cfg, o.Sessions)
	if err != nil {
		return nil, err
	}
	sp := &spec{Code: CodeVersion(), Dataset: cfg.Dataset, Subjects: cfg.Subjects, Pipelines: cfg.Pipelines,
		Evaluation: cfg.Evaluation, Folds: cfg.Folds, Seed: cfg.Seed, Splits: cfg.Splits, Files: map[int]map[string]string{}}
	if sp.Folds == 0 {
		sp.Folds = 5
	}
	for _, s := range cfg.Subjects {
		files, err := o.Files(s)
		if err != nil {
			return nil, fmt.Errorf("cluster: subject %d: %w", s, err)
		}
		sums := map[string]string{}
		for _, rel := range files {
			p, err := dataset.PathIn(o.DataDir, rel)
			if err != nil {
				return nil, fmt.Errorf("cluster: subject %d: %w", s, err)
			}
			if sums[rel], err = sha256File(p); err != nil {
				return nil, fmt.Errorf("cluster: subject %d: %w", s, err)
			}
		}
		sp.Files[s] = sums
	}
	version, specKey := sp.version(), sp.key()
	subject := TaskSubject + "." + version + "." + strings.TrimPrefix(specKey, "run.")
	keys := make([]string, len(tasks))
	index := make(map[string]int, len(tasks))
	for i, t := range tasks {
		keys[i] = ResultKey(version, cfg.Dataset, t)
		index[keys[i]] = i
	}

	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	results, specs, err := setup(ctx, js, o.Replicas)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(sp)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if _, err := retry(ctx, func(ctx context.Context) (uint64, error) { return specs.Put(ctx, specKey, b) }); err != nil {
		return nil, fmt.Errorf("cluster: storing the run: %w", err)
	}

	// Dead letters of this version from now on.
	dead, err := js.OrderedConsumer(ctx, DeadStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{DeadSubject + "." + version}, DeliverPolicy: jetstream.DeliverNewPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	deadMsgs, err := dead.Messages()
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	defer deadMsgs.Stop()
	deadCh := make(chan DeadLetter, 16)
	go func() {
		for {
			m, err := deadMsgs.Next()
			if err != nil {
				return
			}
			_ = m.Ack()
			var dl DeadLetter
			if json.Unmarshal(m.Data(), &dl) == nil {
				select {
				case deadCh <- dl:
				case <-ctx.Done():
					return
				}
			}
		}
	}()

	// Tasks handed out MaxDeliver times without an answer (their workers
	// died each time): the server's advisory, since no worker could
	// write a dead letter.
	exceeded := make(chan *nats.Msg, 16)
	advisories, err := nc.ChanSubscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES."+TaskStream+".>", exceeded)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	defer advisories.Unsubscribe()
	taskStream, err := js.Stream(ctx, TaskStream)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}

	// Results of this version: those stored already, then new ones.
	watch, err := results.Watch(ctx, version+".>")
	if err != nil {
		return nil, fmt.Errorf("cluster: watching results: %w", err)
	}
	defer func() { watch.Stop() }()
	// After a reconnection (a server restart) the watch is started again
	// rather than left to notice, seconds later, that it missed messages;
	// the results it reads again are taken once.
	reconnects := nc.Stats().Reconnects
	check := time.NewTicker(time.Second)
	defer check.Stop()
	frs := make([]bench.FoldResult, len(tasks))
	have := make([]bool, len(tasks))
	done := 0
	take := func(e jetstream.KeyValueEntry) error {
		i, ok := index[e.Key()]
		if !ok || have[i] || e.Operation() != jetstream.KeyValuePut {
			return nil
		}
		fr, err := decodeStored(e.Value(), tasks[i])
		if err != nil {
			return fmt.Errorf("cluster: result %s: %w", e.Key(), err)
		}
		frs[i], have[i] = fr, true
		done++
		return nil
	}
	published := false
	publish := func() error {
		published = true
		var todo []int
		for i := range tasks {
			if !have[i] {
				todo = append(todo, i)
			}
		}
		logf(o.Log, "%d of %d task(s) already done (version %s); publishing %d", done, len(tasks), version, len(todo))
		// Tasks an earlier, interrupted start of this very run left in
		// the queue are dropped and published again, so that none is
		// queued twice (a worker busy with one stores its result all the
		// same). Other runs' tasks, even of the same version, are on
		// other subjects and stay.
		if err := taskStream.Purge(ctx, jetstream.WithPurgeSubject(subject)); err != nil {
			return fmt.Errorf("cluster: clearing the queue of version %s: %w", version, err)
		}
		nonce := fmt.Sprintf("%x", time.Now().UnixNano())
		for n, i := range todo {
			b, err := json.Marshal(taskMsg{Key: keys[i], Spec: specKey, Code: sp.Code, Task: tasks[i]})
			if err != nil {
				return err
			}
			if _, err := js.PublishAsync(subject, b, jetstream.WithMsgID(keys[i]+"@"+nonce)); err != nil {
				return fmt.Errorf("cluster: publishing: %w", err)
			}
			if n%256 == 255 || n == len(todo)-1 {
				select {
				case <-js.PublishAsyncComplete():
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(30 * time.Second):
					return errors.New("cluster: publishing tasks: no answer from JetStream in 30 s")
				}
			}
		}
		return nil
	}
	progress := func() {
		if cfg.Progress != nil {
			cfg.Progress(done, len(tasks))
		}
	}
	stall := time.NewTimer(time.Hour)
	defer stall.Stop()
	resetStall := func() {
		if o.Stall > 0 {
			stall.Reset(o.Stall)
		}
	}
	resetStall()
	for done < len(tasks) || !published {
		select {
		case e, ok := <-watch.Updates():
			if !ok {
				return nil, fmt.Errorf("cluster: the results watch ended: %w", ctx.Err())
			}
			if e == nil { // the stored results have all been read
				if !published {
					if err := publish(); err != nil {
						return nil, err
					}
					progress()
				}
				continue
			}
			before := done
			if err := take(e); err != nil {
				return nil, err
			}
			if published && done > before {
				progress()
				resetStall()
			}
		case dl := <-deadCh:
			if _, ok := index[dl.Key]; ok && !have[index[dl.Key]] {
				return nil, fmt.Errorf("cluster: %w: %s on worker %s after %d deliveries: %s", ErrTaskFailed, dl.Task, dl.Worker, dl.Deliveries, dl.Error)
			}
		case m := <-exceeded:
			var adv struct {
				StreamSeq  uint64 `json:"stream_seq"`
				Deliveries uint64 `json:"deliveries"`
			}
			if json.Unmarshal(m.Data, &adv) != nil {
				continue
			}
			raw, err := taskStream.GetMsg(ctx, adv.StreamSeq)
			if err != nil {
				continue
			}
			tm, err := decodeTask(raw.Data)
			if err != nil {
				continue
			}
			if i, ok := index[tm.Key]; ok && !have[i] {
				return nil, fmt.Errorf("cluster: %w: %s was handed out %d times and no worker finished it (each worker running it died or lost its connection)", ErrTaskFailed, tm.Task, adv.Deliveries)
			}
		case <-check.C:
			if n := nc.Stats().Reconnects; n != reconnects && nc.IsConnected() {
				if w, err := results.Watch(ctx, version+".>"); err == nil {
					watch.Stop()
					watch, reconnects = w, n
				}
			}
		case <-stall.C:
			logf(o.Log, "no result for %s: is a worker running (bcikit worker --nats URL)? %d of %d task(s) done", o.Stall, done, len(tasks))
			resetStall()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return bench.Collect(cfg, tasks, frs)
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "bench: "+format+"\n", args...)
	}
}

// Status is the state of the task queue.
type Status struct {
	// Pending are tasks not yet handed out, InFlight those handed out
	// and not yet acknowledged, Redelivered those handed out more than
	// once.
	Pending, InFlight, Redelivered int
	// Results is the number of stored results, DeadLetters of dead
	// letters.
	Results, DeadLetters uint64
}

// QueueStatus reads the queue's state (for scripts and the worker's log).
func QueueStatus(ctx context.Context, nc *nats.Conn) (Status, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return Status{}, err
	}
	var st Status
	if c, err := js.Consumer(ctx, TaskStream, WorkerConsumer); err == nil {
		ci, err := c.Info(ctx)
		if err != nil {
			return st, err
		}
		st.Pending, st.InFlight, st.Redelivered = int(ci.NumPending), ci.NumAckPending, ci.NumRedelivered
	}
	if kv, err := js.KeyValue(ctx, ResultsBucket); err == nil {
		s, err := kv.Status(ctx)
		if err != nil {
			return st, err
		}
		st.Results = s.Values()
	}
	if s, err := js.Stream(ctx, DeadStream); err == nil {
		st.DeadLetters = s.CachedInfo().State.Msgs
	}
	return st, nil
}
