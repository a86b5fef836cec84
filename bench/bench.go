package bench

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/eval"
)

// Evaluation is how trials are split into training and test sets.
type Evaluation string

// The evaluations of MOABB.
const (
	WithinSession Evaluation = "within-session" // 5-fold stratified CV inside each session
	CrossSession  Evaluation = "cross-session"  // train on the other sessions, test on each session
	CrossSubject  Evaluation = "cross-subject"  // leave one subject out
)

// ErrEval reports data that cannot be evaluated as asked (too few trials,
// one class, one session for cross-session, ...).
var ErrEval = errors.New("cannot evaluate")

// Subject is one subject's trials as a paradigm cut them.
type Subject struct {
	ID int
	// Sessions gives the session of each trial.
	Sessions []string
	// Data holds the trials (and, when a pipeline needs them, the
	// filter-bank trials).
	Data decode.Data
	// Bands holds filter-bank trials for pipelines with Input Bands.
	Bands decode.Data
	// Y is the label of each trial.
	Y []int
	// Channels is the number of channels of a trial.
	Channels int
	// TrialSeconds is a trial's duration (for the ITR).
	TrialSeconds float64
	// SFreq is the sampling rate of the trials and ClassFreqs the
	// stimulation frequency of each SSVEP class (pipelines such as cca
	// need them; see decode.Setup).
	SFreq      float64
	ClassFreqs map[int]float64
}

// Loader loads one subject; bands says whether filter-bank trials are
// needed too.
type Loader func(ctx context.Context, subject int, bands bool) (*Subject, error)

// Config is one benchmark run.
type Config struct {
	Dataset    string
	Subjects   []int
	Pipelines  []string
	Evaluation Evaluation
	// Folds is the number of folds of within-session CV (MOABB: 5).
	Folds int
	// Seed drives the fold shuffling (sklearn's random_state).
	Seed uint32
	// Splits, if not nil, gives the folds instead (within-session).
	Splits *eval.Splits
	// Workers bounds the subjects in memory at once and the folds run at
	// once; 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called after each finished fold with the
	// number done and the total so far (calls are serialised).
	Progress func(done, total int)
}

// Result is one row of the results table: MOABB's columns, then the
// extra metrics.
type Result struct {
	Score     float64 // ROC AUC for two classes, accuracy otherwise (MOABB)
	Time      float64 // mean training+scoring seconds per fold
	Samples   int     // training trials (MOABB: all trials of the session)
	Subject   int
	Session   string
	Channels  int
	NSessions int
	Dataset   string
	Pipeline  string
	// Extra metrics, means over the folds.
	Accuracy, BalancedAccuracy, Kappa float64
	ITR                               float64 // bits per minute at the mean accuracy
}

// Header is the CSV header: MOABB's columns first.
var Header = []string{"score", "time", "samples", "subject", "session", "channels", "n_sessions", "dataset", "pipeline",
	"accuracy", "balanced_accuracy", "kappa", "itr_bits_per_min"}

// WriteCSV writes results with Header.
func WriteCSV(w io.Writer, rs []Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	for _, r := range rs {
		if err := cw.Write([]string{f(r.Score), f(r.Time), strconv.Itoa(r.Samples), strconv.Itoa(r.Subject), r.Session,
			strconv.Itoa(r.Channels), strconv.Itoa(r.NSessions), r.Dataset, r.Pipeline,
			f(r.Accuracy), f(r.BalancedAccuracy), f(r.Kappa), f(r.ITR)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// block is a set of trials scored together: a session (within-session)
// or a test session against the others (cross-session).
type block struct {
	session string
	folds   []eval.Fold
	idx     []int // trials of the block, in the subject's order (folds index into it)
}

// Run evaluates every pipeline on every subject.
func Run(ctx context.Context, cfg Config, load Loader) ([]Result, error) {
	if len(cfg.Subjects) == 0 {
		return nil, fmt.Errorf("bench: %w: no subject", ErrEval)
	}
	needBands := false
	for _, name := range cfg.Pipelines {
		p, err := decode.New(name)
		if err != nil {
			return nil, err
		}
		needBands = needBands || p.Input() == decode.Bands
	}
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Evaluation == CrossSubject {
		return runCrossSubject(ctx, cfg, load, needBands, workers)
	}
	if cfg.Evaluation != WithinSession && cfg.Evaluation != CrossSession {
		return nil, fmt.Errorf("bench: unknown evaluation %q (within-session, cross-session, cross-subject)", cfg.Evaluation)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, workers) // folds running at once
	var (
		mu      sync.Mutex
		results []Result
		first   error
		done    int
		total   int
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	progress := func(add, addTotal int) {
		mu.Lock()
		defer mu.Unlock()
		done += add
		total += addTotal
		if cfg.Progress != nil {
			cfg.Progress(done, total)
		}
	}
	subjects := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(cfg.Subjects)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range subjects {
				if ctx.Err() != nil {
					continue
				}
				rs, err := runSubject(ctx, cfg, load, id, needBands, sem, progress)
				if err != nil {
					fail(fmt.Errorf("subject %d: %w", id, err))
					continue
				}
				mu.Lock()
				results = append(results, rs...)
				mu.Unlock()
			}
		}()
	}
	for _, id := range cfg.Subjects {
		subjects <- id
	}
	close(subjects)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sortResults(results, cfg.Pipelines)
	return results, nil
}

func sortResults(rs []Result, order []string) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Session != b.Session {
			return a.Session < b.Session
		}
		return slices.Index(order, a.Pipeline) < slices.Index(order, b.Pipeline)
	})
}

// sessions returns the distinct sessions in order of appearance.
func sessions(s *Subject) []string {
	var out []string
	for _, x := range s.Sessions {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func blocks(cfg Config, s *Subject) ([]block, error) {
	sess := sessions(s)
	var bs []block
	switch cfg.Evaluation {
	case WithinSession:
		for _, ss := range sess {
			var idx []int
			for i, x := range s.Sessions {
				if x == ss {
					idx = append(idx, i)
				}
			}
			y := make([]int, len(idx))
			for k, i := range idx {
				y[k] = s.Y[i]
			}
			var folds []eval.Fold
			if cfg.Splits != nil {
				sp, ok := cfg.Splits.Find(strconv.Itoa(s.ID), ss)
				if !ok {
					return nil, fmt.Errorf("%w: the splits file has no folds for subject %d session %q", ErrEval, s.ID, ss)
				}
				if sp.NSamples != len(idx) {
					return nil, fmt.Errorf("%w: the splits file says subject %d session %q has %d trials, the paradigm gives %d", ErrEval, s.ID, ss, sp.NSamples, len(idx))
				}
				folds = sp.Folds
			} else {
				var err error
				if folds, err = eval.StratifiedKFold(y, cfg.Folds, cfg.Seed); err != nil {
					return nil, fmt.Errorf("%w: session %q: %v", ErrEval, ss, err)
				}
			}
			bs = append(bs, block{session: ss, folds: folds, idx: idx})
		}
	case CrossSession:
		if len(sess) < 2 {
			return nil, fmt.Errorf("%w: cross-session evaluation needs two sessions or more, subject %d has %d", ErrEval, s.ID, len(sess))
		}
		all := make([]int, len(s.Y))
		for i := range all {
			all[i] = i
		}
		for _, ss := range sess {
			var f eval.Fold
			for i, x := range s.Sessions {
				if x == ss {
					f.Test = append(f.Test, i)
				} else {
					f.Train = append(f.Train, i)
				}
			}
			bs = append(bs, block{session: ss, folds: []eval.Fold{f}, idx: all})
		}
	}
	return bs, nil
}

func runSubject(ctx context.Context, cfg Config, load Loader, id int, needBands bool, sem chan struct{}, progress func(int, int)) ([]Result, error) {
	s, err := load(ctx, id, needBands)
	if err != nil {
		return nil, err
	}
	if err := precomputeCovs(s, cfg.Pipelines); err != nil {
		return nil, err
	}
	bs, err := blocks(cfg, s)
	if err != nil {
		return nil, err
	}
	nSess := len(sessions(s))
	type task struct {
		b, p, f int
	}
	var tasks []task
	for b := range bs {
		for p := range cfg.Pipelines {
			for f := range bs[b].folds {
				tasks = append(tasks, task{b, p, f})
			}
		}
	}
	progress(0, len(tasks))
	outs := make([]foldResult, len(tasks))
	var wg sync.WaitGroup
	errs := make([]error, len(tasks))
	for i, t := range tasks {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			bl := bs[t.b]
			outs[i], errs[i] = runFold(s, bl, bl.folds[t.f], cfg.Pipelines[t.p])
			progress(1, 0)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t := tasks[i]
			return nil, fmt.Errorf("pipeline %s, session %q, fold %d: %w", cfg.Pipelines[t.p], bs[t.b].session, t.f, err)
		}
	}
	var rs []Result
	for b, bl := range bs {
		for p, name := range cfg.Pipelines {
			var fr []foldResult
			for i, t := range tasks {
				if t.b == b && t.p == p {
					fr = append(fr, outs[i])
				}
			}
			r := aggregate(fr, s.TrialSeconds)
			r.Subject, r.Session, r.Channels, r.NSessions, r.Dataset, r.Pipeline = s.ID, bl.session, s.Channels, nSess, cfg.Dataset, name
			r.Samples = len(bl.idx)
			if cfg.Evaluation == CrossSession {
				r.Samples = len(bl.folds[0].Train)
			}
			rs = append(rs, r)
		}
	}
	return rs, nil
}

// precomputeCovs estimates, once per subject, the trial covariances that
// the pipelines start with, instead of once per fold and pipeline. A
// failure (NaN samples, say) is left for the pipeline to report in its
// fold.
func precomputeCovs(s *Subject, pipelines []string) error {
	for _, name := range pipelines {
		p, err := decode.New(name)
		if err != nil {
			return err
		}
		cu, ok := p.(decode.CovUser)
		if !ok {
			continue
		}
		k, ok := cu.CovKey()
		if !ok {
			continue
		}
		d := &s.Data
		if p.Input() == decode.Bands {
			d = &s.Bands
		}
		if nd, err := d.WithCovs(k); err == nil {
			*d = nd
		}
	}
	return nil
}

type foldResult struct {
	score, acc, bacc, kappa float64
	classes                 int
	seconds                 float64
}

func pick(d decode.Data, blockIdx, fold []int) decode.Data {
	idx := make([]int, len(fold))
	for k, i := range fold {
		idx[k] = blockIdx[i]
	}
	return d.Subset(idx)
}

func runFold(s *Subject, bl block, f eval.Fold, name string) (foldResult, error) {
	start := time.Now()
	p, err := decode.New(name)
	if err != nil {
		return foldResult{}, err
	}
	if err := decode.Configure(p, decode.Setup{SFreq: s.SFreq, ClassFreqs: s.ClassFreqs, TrialSeconds: s.TrialSeconds}); err != nil {
		return foldResult{}, err
	}
	d := s.Data
	if p.Input() == decode.Bands {
		d = s.Bands
	}
	labels := func(fold []int) []int {
		y := make([]int, len(fold))
		for k, i := range fold {
			y[k] = s.Y[bl.idx[i]]
		}
		return y
	}
	yTrain, yTest := labels(f.Train), labels(f.Test)
	if err := p.Fit(pick(d, bl.idx, f.Train), yTrain); err != nil {
		return foldResult{}, err
	}
	test := pick(d, bl.idx, f.Test)
	classes := slices.Compact(slices.Sorted(slices.Values(yTrain)))
	// Predictions and, for two classes, scores in one pass.
	pred, sc, err := decode.PredictScore(p, test, len(classes) == 2)
	if err != nil {
		return foldResult{}, err
	}
	var r foldResult
	r.classes = len(classes)
	if r.acc, err = eval.Accuracy(yTest, pred); err != nil {
		return r, err
	}
	r.bacc, _ = eval.BalancedAccuracy(yTest, pred)
	r.kappa, _ = eval.CohenKappa(yTest, pred)
	r.score = r.acc
	if len(classes) == 2 {
		if sc == nil {
			return r, fmt.Errorf("pipeline %s gave no two-class score", name)
		}
		if r.score, err = eval.ROCAUC(yTest, sc); err != nil {
			return r, err
		}
	}
	r.seconds = time.Since(start).Seconds()
	return r, nil
}

func aggregate(fr []foldResult, trialSeconds float64) Result {
	var r Result
	n := float64(len(fr))
	for _, f := range fr {
		r.Score += f.score / n
		r.Accuracy += f.acc / n
		r.BalancedAccuracy += f.bacc / n
		r.Kappa += f.kappa / n
		r.Time += f.seconds / n
	}
	if len(fr) > 0 && trialSeconds > 0 {
		if _, bpm, err := eval.ITR(fr[0].classes, r.Accuracy, trialSeconds); err == nil && !math.IsNaN(bpm) {
			r.ITR = bpm
		}
	}
	return r
}

// runCrossSubject trains on all subjects but one and tests on that one.
// It needs every subject's trials at once.
func runCrossSubject(ctx context.Context, cfg Config, load Loader, needBands bool, workers int) ([]Result, error) {
	if len(cfg.Subjects) < 2 {
		return nil, fmt.Errorf("bench: %w: cross-subject evaluation needs two subjects or more", ErrEval)
	}
	all, ids, err := loadAll(ctx, cfg, load, needBands)
	if err != nil {
		return nil, err
	}
	folds, err := eval.LeaveOneGroupOut(ids)
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(ids))
	for i := range idx {
		idx[i] = i
	}
	var (
		rs []Result
		mu sync.Mutex
		wg sync.WaitGroup
	)
	errs := make([]error, len(folds)*len(cfg.Pipelines))
	sem := make(chan struct{}, workers)
	doneN, total := 0, len(errs)
	for fi, f := range folds {
		for pi, name := range cfg.Pipelines {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				fr, err := runFold(all, block{idx: idx}, f, name)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs[fi*len(cfg.Pipelines)+pi] = fmt.Errorf("pipeline %s, test subject %d: %w", name, ids[f.Test[0]], err)
					return
				}
				r := aggregate([]foldResult{fr}, all.TrialSeconds)
				r.Subject, r.Session, r.Channels, r.NSessions = ids[f.Test[0]], "all", all.Channels, 1
				r.Dataset, r.Pipeline, r.Samples = cfg.Dataset, name, len(f.Train)
				rs = append(rs, r)
				doneN++
				if cfg.Progress != nil {
					cfg.Progress(doneN, total)
				}
			}()
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sortResults(rs, cfg.Pipelines)
	return rs, nil
}
