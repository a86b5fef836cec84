package bench

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/eval"
)

// AllSessions is the session of a cross-subject task: the test subject's
// trials of every session (the Session of its Result row).
const AllSessions = "all"

// Task is one unit of a run that can be computed apart from the others,
// on another goroutine or another machine: one fold of one pipeline on one
// block of trials (a session for within-session evaluation, a test session
// for cross-session, a test subject for cross-subject). A run's results
// are the same whether its tasks run in Run or one by one through Prepare
// and Collect.
type Task struct {
	Subject  int    `json:"subject"`
	Session  string `json:"session"`
	Pipeline string `json:"pipeline"`
	Fold     int    `json:"fold"`
}

// String names the task for messages.
func (t Task) String() string {
	return fmt.Sprintf("subject %d, session %q, pipeline %s, fold %d", t.Subject, t.Session, t.Pipeline, t.Fold)
}

// FoldResult is the outcome of a Task: the fold's scores and what Collect
// needs of its block to write the Result row.
type FoldResult struct {
	Score            float64 `json:"score"`
	Accuracy         float64 `json:"accuracy"`
	BalancedAccuracy float64 `json:"balanced_accuracy"`
	Kappa            float64 `json:"kappa"`
	// Classes is the number of classes in the training set.
	Classes int `json:"classes"`
	// Seconds is the fold's training and scoring time.
	Seconds float64 `json:"seconds"`
	// Samples, Channels and NSessions are the Result columns of the
	// block; TrialSeconds is the trial duration (for the ITR).
	Samples      int     `json:"samples"`
	Channels     int     `json:"channels"`
	NSessions    int     `json:"n_sessions"`
	TrialSeconds float64 `json:"trial_seconds"`
	// NoTrials says the task's session gave no trial (its recordings
	// hold no event of the paradigm's classes): a local run has no row
	// for it, and Collect skips it.
	NoTrials bool `json:"no_trials,omitempty"`
}

// normalize fills cfg's defaults as Run does.
func normalize(cfg Config) (Config, bool, error) {
	if len(cfg.Subjects) == 0 {
		return cfg, false, fmt.Errorf("bench: %w: no subject", ErrEval)
	}
	if len(cfg.Pipelines) == 0 {
		return cfg, false, fmt.Errorf("bench: %w: no pipeline", ErrEval)
	}
	needBands := false
	for _, name := range cfg.Pipelines {
		p, err := decode.New(name)
		if err != nil {
			return cfg, false, err
		}
		needBands = needBands || p.Input() == decode.Bands
	}
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	switch cfg.Evaluation {
	case WithinSession, CrossSession:
	case CrossSubject:
		if len(cfg.Subjects) < 2 {
			return cfg, false, fmt.Errorf("bench: %w: cross-subject evaluation needs two subjects or more", ErrEval)
		}
	default:
		return cfg, false, fmt.Errorf("bench: unknown evaluation %q (within-session, cross-session, cross-subject)", cfg.Evaluation)
	}
	return cfg, needBands, nil
}

// Tasks lists the tasks of a run in the order of its result rows (subject,
// session, pipeline, fold). sessions gives the sessions a subject's
// recordings are in (dataset.Recordings names them); it is not called for
// cross-subject evaluation, whose tasks have the session AllSessions. A
// session that turns out to hold no trial gives tasks whose FoldResult
// says NoTrials.
func Tasks(cfg Config, sessions func(subject int) ([]string, error)) ([]Task, error) {
	cfg, _, err := normalize(cfg)
	if err != nil {
		return nil, err
	}
	var ts []Task
	if cfg.Evaluation == CrossSubject {
		for _, id := range cfg.Subjects {
			for _, p := range cfg.Pipelines {
				ts = append(ts, Task{Subject: id, Session: AllSessions, Pipeline: p})
			}
		}
		return ts, nil
	}
	for _, id := range cfg.Subjects {
		ss, err := sessions(id)
		if err != nil {
			return nil, fmt.Errorf("bench: subject %d: %w", id, err)
		}
		ss = slices.Clone(ss)
		slices.Sort(ss)
		ss = slices.Compact(ss)
		if len(ss) == 0 {
			return nil, fmt.Errorf("bench: %w: subject %d has no session", ErrEval, id)
		}
		if cfg.Evaluation == CrossSession && len(ss) < 2 {
			return nil, fmt.Errorf("%w: cross-session evaluation needs two sessions or more, subject %d has %d", ErrEval, id, len(ss))
		}
		for _, s := range ss {
			folds := 1
			if cfg.Evaluation == WithinSession {
				folds = cfg.Folds
				if cfg.Splits != nil {
					sp, ok := cfg.Splits.Find(strconv.Itoa(id), s)
					if !ok {
						return nil, fmt.Errorf("%w: the splits file has no folds for subject %d session %q", ErrEval, id, s)
					}
					folds = len(sp.Folds)
				}
			}
			for _, p := range cfg.Pipelines {
				for f := range folds {
					ts = append(ts, Task{Subject: id, Session: s, Pipeline: p, Fold: f})
				}
			}
		}
	}
	return ts, nil
}

// Prepared is a subject loaded for the tasks of a run (for cross-subject
// evaluation, every subject): trials cut, covariances estimated and folds
// drawn once, as Run does. Its Run method may be called from many
// goroutines at once.
type Prepared struct {
	cfg    Config
	s      *Subject
	blocks []block
	nSess  int
	// cross-subject
	ids   []int
	folds map[int]eval.Fold // by test subject
}

// Prepare loads subject with load for the tasks of cfg (all of cfg's
// subjects for cross-subject evaluation, whatever subject is).
func Prepare(ctx context.Context, cfg Config, load Loader, subject int) (*Prepared, error) {
	cfg, needBands, err := normalize(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Evaluation == CrossSubject {
		all, ids, err := loadAll(ctx, cfg, load, needBands)
		if err != nil {
			return nil, err
		}
		folds, err := eval.LeaveOneGroupOut(ids)
		if err != nil {
			return nil, err
		}
		p := &Prepared{cfg: cfg, s: all, ids: ids, folds: map[int]eval.Fold{}}
		for _, f := range folds {
			p.folds[ids[f.Test[0]]] = f
		}
		return p, nil
	}
	if !slices.Contains(cfg.Subjects, subject) {
		return nil, fmt.Errorf("bench: %w: subject %d is not one of the run's subjects", ErrEval, subject)
	}
	s, err := load(ctx, subject, needBands)
	if err != nil {
		return nil, fmt.Errorf("subject %d: %w", subject, err)
	}
	if err := precomputeCovs(s, cfg.Pipelines); err != nil {
		return nil, err
	}
	bs, err := blocks(cfg, s)
	if err != nil {
		return nil, fmt.Errorf("subject %d: %w", subject, err)
	}
	return &Prepared{cfg: cfg, s: s, blocks: bs, nSess: len(sessions(s))}, nil
}

// Run computes task t, which must be one of the subject's tasks.
func (p *Prepared) Run(t Task) (FoldResult, error) {
	if !slices.Contains(p.cfg.Pipelines, t.Pipeline) {
		return FoldResult{}, fmt.Errorf("bench: %w: %s: pipeline %s is not one of the run's", ErrEval, t, t.Pipeline)
	}
	if p.cfg.Evaluation == CrossSubject {
		f, ok := p.folds[t.Subject]
		if !ok || t.Fold != 0 || t.Session != AllSessions {
			return FoldResult{}, fmt.Errorf("bench: %w: %s is not a task of this cross-subject run", ErrEval, t)
		}
		idx := make([]int, len(p.ids))
		for i := range idx {
			idx[i] = i
		}
		fr, err := runFold(p.s, block{idx: idx}, f, t.Pipeline)
		if err != nil {
			return FoldResult{}, fmt.Errorf("pipeline %s, test subject %d: %w", t.Pipeline, t.Subject, err)
		}
		return p.out(fr, len(f.Train), 1), nil
	}
	if t.Subject != p.s.ID {
		return FoldResult{}, fmt.Errorf("bench: %w: %s: prepared for subject %d", ErrEval, t, p.s.ID)
	}
	for _, bl := range p.blocks {
		if bl.session != t.Session {
			continue
		}
		if t.Fold < 0 || t.Fold >= len(bl.folds) {
			return FoldResult{}, fmt.Errorf("bench: %w: %s: session %q has %d folds", ErrEval, t, t.Session, len(bl.folds))
		}
		fr, err := runFold(p.s, bl, bl.folds[t.Fold], t.Pipeline)
		if err != nil {
			return FoldResult{}, fmt.Errorf("pipeline %s, session %q, fold %d: %w", t.Pipeline, t.Session, t.Fold, err)
		}
		samples := len(bl.idx)
		if p.cfg.Evaluation == CrossSession {
			samples = len(bl.folds[0].Train)
		}
		return p.out(fr, samples, p.nSess), nil
	}
	return FoldResult{NoTrials: true}, nil
}

func (p *Prepared) out(fr foldResult, samples, nSess int) FoldResult {
	return FoldResult{
		Score: fr.score, Accuracy: fr.acc, BalancedAccuracy: fr.bacc, Kappa: fr.kappa,
		Classes: fr.classes, Seconds: fr.seconds,
		Samples: samples, Channels: p.s.Channels, NSessions: nSess, TrialSeconds: p.s.TrialSeconds,
	}
}

// Collect turns the results of a run's tasks (rs[i] is the result of
// ts[i]) into its result rows, in Run's order: the folds of each block
// and pipeline averaged as Run averages them.
func Collect(cfg Config, ts []Task, rs []FoldResult) ([]Result, error) {
	if len(ts) != len(rs) {
		return nil, fmt.Errorf("bench: %d tasks but %d results", len(ts), len(rs))
	}
	type key struct {
		subject           int
		session, pipeline string
	}
	type group struct {
		folds []int // indices into ts, by fold
	}
	groups := map[key]*group{}
	var order []key
	for i, t := range ts {
		if rs[i].NoTrials {
			continue
		}
		k := key{t.Subject, t.Session, t.Pipeline}
		g := groups[k]
		if g == nil {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		g.folds = append(g.folds, i)
	}
	var out []Result
	for _, k := range order {
		g := groups[k]
		sort.SliceStable(g.folds, func(a, b int) bool { return ts[g.folds[a]].Fold < ts[g.folds[b]].Fold })
		fr := make([]foldResult, len(g.folds))
		for j, i := range g.folds {
			if ts[i].Fold != j {
				return nil, fmt.Errorf("bench: %s: fold %d is missing or repeated", ts[i], j)
			}
			r := rs[i]
			fr[j] = foldResult{score: r.Score, acc: r.Accuracy, bacc: r.BalancedAccuracy, kappa: r.Kappa, classes: r.Classes, seconds: r.Seconds}
		}
		first := rs[g.folds[0]]
		r := aggregate(fr, first.TrialSeconds)
		r.Subject, r.Session, r.Channels, r.NSessions, r.Dataset, r.Pipeline = k.subject, k.session, first.Channels, first.NSessions, cfg.Dataset, k.pipeline
		r.Samples = first.Samples
		out = append(out, r)
	}
	sortResults(out, cfg.Pipelines)
	return out, nil
}

// loadAll loads every subject of cfg into one Subject for cross-subject
// evaluation, with each trial's subject in ids.
func loadAll(ctx context.Context, cfg Config, load Loader, needBands bool) (*Subject, []int, error) {
	all := &Subject{}
	var ids []int
	for _, id := range cfg.Subjects {
		s, err := load(ctx, id, needBands)
		if err != nil {
			return nil, nil, fmt.Errorf("subject %d: %w", id, err)
		}
		if all.Channels != 0 && s.Channels != all.Channels {
			return nil, nil, fmt.Errorf("bench: %w: subject %d has %d channels, others %d", ErrEval, id, s.Channels, all.Channels)
		}
		if all.SFreq != 0 && s.SFreq != all.SFreq {
			return nil, nil, fmt.Errorf("bench: %w: subject %d is sampled at %g Hz, others at %g Hz", ErrEval, id, s.SFreq, all.SFreq)
		}
		all.Channels, all.TrialSeconds, all.SFreq, all.ClassFreqs = s.Channels, s.TrialSeconds, s.SFreq, s.ClassFreqs
		all.Y = append(all.Y, s.Y...)
		all.Data.Trials = append(all.Data.Trials, s.Data.Trials...)
		if needBands {
			if all.Bands.Bands == nil {
				all.Bands.Bands = make([][][][]float64, len(s.Bands.Bands))
			}
			for b := range s.Bands.Bands {
				all.Bands.Bands[b] = append(all.Bands.Bands[b], s.Bands.Bands[b]...)
			}
		}
		for range s.Y {
			ids = append(ids, id)
		}
		all.Sessions = append(all.Sessions, s.Sessions...)
	}
	return all, ids, nil
}
