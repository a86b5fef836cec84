package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/chart"
	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/eval"
	"github.com/bcikit/bcikit/internal/atomicfile"
	"github.com/bcikit/bcikit/paradigm"
	"gonum.org/v1/gonum/stat"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "Evaluate decoding pipelines on the subjects of a dataset, MOABB-style: a results CSV, a per-subject score plot and a summary table.",
		usage:   "[--dataset NAME] [--subjects 1-109] [--pipelines csp+lda,ts+lr,...] [--eval within-session|cross-session|cross-subject] [--out results.csv] [--plot results.png] [--splits FILE] [--seed N] [--folds K] [--workers N] [--quiet] [--nats URL [--nats-user U --nats-password P | --nats-token T | --nats-nkey FILE] [--nats-tls-ca FILE]]",
		run:     runBench,
	})
}

// defaultDataset is what bench and train use without --dataset, when its
// files are present.
const defaultDataset = "eegmmidb-imagery-lr"

// defaultPipelines are what bench runs when --pipelines is not given.
var defaultPipelines = map[dataset.Kind][]string{
	dataset.Imagery: {"csp+lda", "ts+lr", "mdm"},
	dataset.SSVEP:   {"fb+mdm", "fb+ts+lr", "cca"},
}

func runBench(args []string, stdout io.Writer) error {
	fs := newFlags(commands["bench"], stdout)
	dsName := fs.String("dataset", "", "dataset name (default: eegmmidb-imagery-lr if present under $BCIKIT_DATA, else the first dataset present; see --list)")
	subjects := fs.String("subjects", "", "subjects as ranges, e.g. 1-109 or 1,3,5-8 (default: every subject present)")
	pipelines := fs.String("pipelines", "", "comma-separated pipelines (default: csp+lda,ts+lr,mdm for imagery, fb+mdm,fb+ts+lr,cca for SSVEP)")
	evalName := fs.String("eval", "within-session", "evaluation: within-session, cross-session or cross-subject")
	out := fs.String("out", "", "write the results table as CSV (MOABB's columns, then accuracy, balanced_accuracy, kappa, itr_bits_per_min)")
	plot := fs.String("plot", "", "draw the per-subject scores per pipeline (.png, .svg or .pdf)")
	splitsFile := fs.String("splits", "", "use the folds of this splits JSON file (within-session) instead of drawing them")
	seed := fs.Uint("seed", 42, "random seed of the stratified folds (sklearn's random_state)")
	folds := fs.Int("folds", 5, "folds of within-session cross-validation")
	workers := fs.Int("workers", 0, "subjects in memory and folds running at once (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	list := fs.Bool("list", false, "list the datasets and pipelines, with the subjects present, and exit")
	nf := addNATSFlags(fs, "run the folds on the workers of this NATS JetStream server (bcikit cluster, bcikit worker) instead of in-process; a run started again resumes")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *list {
		return listDatasets(stdout)
	}
	d, err := pickDataset(*dsName)
	if err != nil {
		return err
	}
	ids, err := pickSubjects(d, *subjects)
	if err != nil {
		return err
	}
	names, err := pickPipelines(d, *pipelines)
	if err != nil {
		return err
	}
	ev := bench.Evaluation(*evalName)
	switch ev {
	case bench.WithinSession, bench.CrossSession, bench.CrossSubject:
	default:
		return fmt.Errorf("%w: unknown evaluation %q (within-session, cross-session, cross-subject)", errUsage, *evalName)
	}
	if *folds < 2 {
		return fmt.Errorf("%w: --folds %d: need 2 or more", errUsage, *folds)
	}
	if *seed > math.MaxUint32 {
		return fmt.Errorf("%w: --seed %d: at most %d", errUsage, *seed, uint32(math.MaxUint32))
	}
	if *plot != "" {
		if err := checkPlotExt(*plot); err != nil {
			return err
		}
	}
	cfg := bench.Config{
		Dataset: d.Name, Subjects: ids, Pipelines: names, Evaluation: ev,
		Folds: *folds, Seed: uint32(*seed), Workers: *workers,
	}
	if *splitsFile != "" {
		if ev != bench.WithinSession {
			return fmt.Errorf("%w: --splits gives within-session folds; it cannot be used with --eval %s", errUsage, ev)
		}
		f, err := os.Open(*splitsFile)
		if err != nil {
			return err
		}
		cfg.Splits, err = eval.ReadSplits(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *splitsFile, err)
		}
	}
	load, err := subjectLoader(d, needsTrials(names))
	if err != nil {
		return err
	}
	var bar *progressBar
	if !*quiet {
		bar = newProgressBar(stderr, fmt.Sprintf("%s, %d subject(s), %s", d.Name, len(ids), strings.Join(names, ",")))
		cfg.Progress = bar.update
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	var rs []bench.Result
	if *nf.url != "" {
		rs, err = benchNATS(ctx, nf, cfg, *quiet)
	} else {
		rs, err = bench.Run(ctx, cfg, load)
	}
	if bar != nil {
		bar.finish(err == nil)
	}
	if err != nil {
		return err
	}
	if *out != "" {
		if err := atomicfile.Write(*out, func(w io.Writer) error { return bench.WriteCSV(w, rs) }); err != nil {
			return err
		}
	}
	if *plot != "" {
		var pts []chart.SubjectScore
		for _, r := range subjectMeans(rs) {
			pts = append(pts, r)
		}
		metric := "ROC AUC"
		if len(d.Classes) > 2 {
			metric = "accuracy"
		}
		if err := chart.Scores(*plot, pts, names, 1/float64(len(d.Classes)), fmt.Sprintf("%s, %s", d.Name, ev), metric); err != nil {
			return err
		}
	}
	printSummary(stdout, d, rs, names, time.Since(start))
	return nil
}

// checkPlotExt rejects a plot path chart cannot write, before the work.
func checkPlotExt(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg", ".pdf":
		return nil
	}
	return fmt.Errorf("%w: --plot %s: the extension must be .png, .svg or .pdf", errUsage, path)
}

// pickDataset returns the named dataset, or by default the first
// registered one with a subject present.
func pickDataset(name string) (*dataset.Dataset, error) {
	if name != "" {
		d, err := dataset.Get(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		return d, nil
	}
	// EEGMMIDB left/right imagery first (the classic benchmark), then
	// the registered datasets in name order.
	if d, err := dataset.Get(defaultDataset); err == nil && len(d.Available()) > 0 {
		return d, nil
	}
	for _, d := range dataset.All() {
		if len(d.Available()) > 0 {
			return d, nil
		}
	}
	return nil, fmt.Errorf("no dataset has data in %s (set %s, or fetch one with \"bcikit download --dataset NAME --subjects 1-3\"; datasets: %s)",
		dataset.Dir(), dataset.EnvVar, strings.Join(dataset.Names(), ", "))
}

// pickSubjects parses the --subjects ranges and keeps those present; an
// absent subject is reported on stderr, and none present is an error.
func pickSubjects(d *dataset.Dataset, spec string) ([]int, error) {
	avail := d.Available()
	if spec == "" {
		if len(avail) == 0 {
			return nil, fmt.Errorf("%s: no subject's files are in %s (fetch them with \"bcikit download --dataset %s --subjects 1-3\")", d.Name, d.Root(), d.Name)
		}
		return avail, nil
	}
	want, err := parseRanges(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: --subjects: %v", errUsage, err)
	}
	var ids, missing []int
	for _, s := range want {
		if !d.HasSubject(s) {
			return nil, fmt.Errorf("%w: --subjects: %s has no subject %d (subjects %d-%d)", errUsage, d.Name, s, slices.Min(d.Subjects), slices.Max(d.Subjects))
		}
		if slices.Contains(avail, s) {
			ids = append(ids, s)
		} else {
			missing = append(missing, s)
		}
	}
	if len(ids) == 0 {
		_, err := d.Recordings(want[0])
		return nil, fmt.Errorf("%s: none of the subjects %s is present: %v", d.Name, spec, err)
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "bcikit bench: %s: skipping %d subject(s) whose files are not in %s: %s (\"bcikit download\" fetches them)\n",
			d.Name, len(missing), d.Root(), dataset.Ranges(missing))
	}
	return ids, nil
}

// pickPipelines checks the --pipelines list (or gives the default for the
// dataset's kind).
func pickPipelines(d *dataset.Dataset, spec string) ([]string, error) {
	var names []string
	if spec == "" {
		names = slices.Clone(defaultPipelines[d.Kind])
	} else {
		for _, n := range strings.Split(spec, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if slices.Contains(names, n) {
				return nil, fmt.Errorf("%w: --pipelines: %s given twice", errUsage, n)
			}
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: --pipelines: no pipeline (pipelines: %s)", errUsage, strings.Join(decode.Names(), ", "))
	}
	for _, n := range names {
		if _, err := decode.New(n); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if err := checkPipeline(d, n); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	return names, nil
}

// needsTrials reports whether a pipeline reads the main paradigm's trials
// (not only the filter bank).
func needsTrials(names []string) bool {
	for _, n := range names {
		if p, err := decode.New(n); err == nil && p.Input() == decode.Trials {
			return true
		}
	}
	return false
}

// subjectLoader cuts a subject's trials with the dataset's default
// paradigm (when trials says a pipeline reads them) and, when a pipeline
// needs them, its filter-bank paradigm.
func subjectLoader(d *dataset.Dataset, trials bool) (bench.Loader, error) {
	main, err := paradigm.For(d, "")
	if err != nil {
		return nil, err
	}
	fb, err := paradigm.For(d, filterBankName(d))
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, subject int, bands bool) (*bench.Subject, error) {
		var tr *paradigm.Trials
		var err error
		if trials || !bands {
			tr, err = main.Subject(ctx, d, subject)
		} else {
			// Only the filter bank is read: its labels and sessions
			// stand for the trials.
			tr, err = fb.Subject(ctx, d, subject)
		}
		if err != nil {
			return nil, err
		}
		s := &bench.Subject{
			ID: subject, Sessions: tr.Sessions, Y: tr.Y, Channels: len(tr.Channels),
			Data: decode.Data{Trials: tr.X}, SFreq: tr.SFreq,
			TrialSeconds: trialSeconds(tr.X, tr.SFreq), ClassFreqs: classFreqs(d),
		}
		if !trials && bands {
			s.Data = decode.Data{}
			s.Bands = decode.Data{Bands: tr.Bands}
		} else if bands {
			tb, err := fb.Subject(ctx, d, subject)
			if err != nil {
				return nil, err
			}
			if !slices.Equal(tb.Y, tr.Y) || !slices.Equal(tb.Sessions, tr.Sessions) {
				return nil, fmt.Errorf("subject %d: the filter-bank paradigm cut other trials than the main one (%d vs %d)", subject, len(tb.Y), len(tr.Y))
			}
			s.Bands = decode.Data{Bands: tb.Bands}
		}
		return s, nil
	}, nil
}

// filterBankName is the filter-bank paradigm of d's kind: the motor
// imagery bands, or the SSVEP extended signal.
func filterBankName(d *dataset.Dataset) string {
	if d.Kind == dataset.SSVEP {
		return "ssvep-fb"
	}
	return "imagery-fb"
}

// checkPipeline rejects pipelines that cannot run on d's kind of data.
func checkPipeline(d *dataset.Dataset, name string) error {
	switch name {
	case "cca", "fb+mdm", "fb+ts+lr":
		if d.Kind != dataset.SSVEP {
			return fmt.Errorf("%s is an SSVEP pipeline (it needs each class's stimulation frequency); %s is not an SSVEP dataset but %s (SSVEP datasets: %s)",
				name, d.Name, d.Kind, strings.Join(datasetsOfKind(dataset.SSVEP), ", "))
		}
	}
	return nil
}

func datasetsOfKind(k dataset.Kind) []string {
	var n []string
	for _, d := range dataset.All() {
		if d.Kind == k {
			n = append(n, d.Name)
		}
	}
	return n
}

// trialSeconds is the duration of the trials (for the ITR).
func trialSeconds(x [][][]float64, sfreq float64) float64 {
	if len(x) == 0 || len(x[0]) == 0 || sfreq <= 0 {
		return 0
	}
	return float64(len(x[0][0])-1) / sfreq
}

// classFreqs maps the SSVEP classes of d to their frequencies.
func classFreqs(d *dataset.Dataset) map[int]float64 {
	m := map[int]float64{}
	for _, c := range d.Classes {
		if c.Freq > 0 {
			m[c.Code] = c.Freq
		}
	}
	return m
}

// subjectMeans averages each pipeline's session scores per subject.
func subjectMeans(rs []bench.Result) []chart.SubjectScore {
	type key struct {
		p string
		s int
	}
	sum := map[key]float64{}
	n := map[key]int{}
	var order []key
	for _, r := range rs {
		k := key{r.Pipeline, r.Subject}
		if n[k] == 0 {
			order = append(order, k)
		}
		sum[k] += r.Score
		n[k]++
	}
	out := make([]chart.SubjectScore, len(order))
	for i, k := range order {
		out[i] = chart.SubjectScore{Pipeline: k.p, Subject: k.s, Score: sum[k] / float64(n[k])}
	}
	return out
}

// printSummary prints per-pipeline means and, with two subjects or more,
// MOABB's pipeline-versus-pipeline statistics.
func printSummary(w io.Writer, d *dataset.Dataset, rs []bench.Result, names []string, took time.Duration) {
	metric := "score = ROC AUC"
	if len(d.Classes) > 2 {
		metric = "score = accuracy"
	}
	nSub := len(subjectSet(rs))
	fmt.Fprintf(w, "%s: %d subject(s), %d result row(s), %s (%s)\n\n", d.Name, nSub, len(rs), took.Round(time.Millisecond), metric)
	fmt.Fprintf(w, "%-12s %7s %7s %7s %7s %7s %9s %9s\n", "pipeline", "score", "std", "acc", "bacc", "kappa", "itr b/min", "fit+score")
	for _, name := range names {
		var sc, acc, bacc, kap, itr, tm []float64
		for _, r := range rs {
			if r.Pipeline == name {
				sc = append(sc, r.Score)
				acc = append(acc, r.Accuracy)
				bacc = append(bacc, r.BalancedAccuracy)
				kap = append(kap, r.Kappa)
				itr = append(itr, r.ITR)
				tm = append(tm, r.Time)
			}
		}
		m, s := meanStd(sc)
		fmt.Fprintf(w, "%-12s %7.4f %7.4f %7.4f %7.4f %7.4f %9.2f %8.3fs\n", name, m, s, mean(acc), mean(bacc), mean(kap), mean(itr), mean(tm))
	}
	if nSub < 2 || len(names) < 2 {
		return
	}
	var scores []eval.Score
	for _, r := range rs {
		scores = append(scores, eval.Score{Dataset: r.Dataset, Subject: r.Subject, Session: r.Session, Pipeline: r.Pipeline, Score: r.Score})
	}
	stats, err := eval.DatasetStatistics(scores, 20, 42)
	if err != nil || len(stats) == 0 {
		fmt.Fprintf(w, "\n(no pipeline statistics: %v)\n", err)
		return
	}
	st := stats[0]
	fmt.Fprintf(w, "\nRow beats column: one-sided p-value (%s test over %d subjects) / standardised mean difference\n", st.Test, st.NSub)
	fmt.Fprintf(w, "%-12s", "")
	for _, p := range st.Pipelines {
		fmt.Fprintf(w, " %16s", p)
	}
	fmt.Fprintln(w)
	for i, p := range st.Pipelines {
		fmt.Fprintf(w, "%-12s", p)
		for j := range st.Pipelines {
			if i == j {
				fmt.Fprintf(w, " %16s", "-")
				continue
			}
			fmt.Fprintf(w, " %16s", fmt.Sprintf("%.3g / %+.2f", st.P[i][j], st.SMD[i][j]))
		}
		fmt.Fprintln(w)
	}
}

func subjectSet(rs []bench.Result) map[int]bool {
	m := map[int]bool{}
	for _, r := range rs {
		m[r.Subject] = true
	}
	return m
}

func mean(v []float64) float64 {
	m, _ := meanStd(v)
	return m
}

// meanStd returns the mean and the sample standard deviation (0 for one
// value, NaN for none).
func meanStd(v []float64) (float64, float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	m, sd := stat.MeanStdDev(v, nil)
	if len(v) < 2 {
		sd = 0
	}
	return m, sd
}

// parseRanges parses "1-3,5,7-9" into sorted distinct integers.
func parseRanges(spec string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			return nil, fmt.Errorf("%q is not a number or range", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
				return nil, fmt.Errorf("%q is not a number or range", part)
			}
		}
		if a > b {
			return nil, fmt.Errorf("range %q runs backwards", part)
		}
		if b-a > 100000 {
			return nil, fmt.Errorf("range %q is too long", part)
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// listDatasets prints the registered datasets with the subjects present,
// and the pipelines.
func listDatasets(w io.Writer) error {
	fmt.Fprintf(w, "Datasets (data directory %s):\n", dataset.Dir())
	for _, d := range dataset.All() {
		av := d.Available()
		present := "none present"
		if len(av) > 0 {
			present = "present: " + dataset.Ranges(av)
		}
		fmt.Fprintf(w, "  %-22s %s; subjects %s, %s\n", d.Name, d.Title, dataset.Ranges(d.Subjects), present)
	}
	fmt.Fprintln(w, "\nPipelines:")
	for _, n := range decode.Names() {
		fmt.Fprintf(w, "  %-12s %s\n", n, decode.Summary(n))
	}
	return nil
}

// progressBar draws "[=====>    ] 12/40 folds  30%  ETA 8s" on a terminal,
// and a line every 10% elsewhere (logs, CI).
type progressBar struct {
	w        io.Writer
	label    string
	start    time.Time
	tty      bool
	lastTen  int
	lastDraw time.Time
	drawn    bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	b := &progressBar{w: w, label: label, start: time.Now(), lastTen: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	return b
}

// update is bench.Config.Progress: done folds of total known so far.
func (b *progressBar) update(done, total int) {
	if total == 0 {
		return
	}
	frac := float64(done) / float64(total)
	el := time.Since(b.start)
	eta := ""
	if done > 0 && done < total {
		eta = fmt.Sprintf("  ETA %s", (time.Duration(float64(el) / frac * (1 - frac))).Round(time.Second))
	}
	if b.tty {
		if done < total && time.Since(b.lastDraw) < 100*time.Millisecond {
			return
		}
		b.lastDraw = time.Now()
		const width = 30
		n := int(frac * width)
		bar := strings.Repeat("=", n)
		if n < width {
			bar += ">" + strings.Repeat(" ", width-n-1)
		}
		fmt.Fprintf(b.w, "\r%s [%s] %d/%d folds %3.0f%%%s   ", b.label, bar, done, total, 100*frac, eta)
		b.drawn = true
		return
	}
	if ten := int(frac * 10); ten > b.lastTen {
		b.lastTen = ten
		fmt.Fprintf(b.w, "bench: %s: %d/%d folds (%.0f%%) after %s%s\n", b.label, done, total, 100*frac, el.Round(time.Second), eta)
	}
}

func (b *progressBar) finish(ok bool) {
	if b.tty && b.drawn {
		fmt.Fprintln(b.w)
	}
}
