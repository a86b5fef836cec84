package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/internal/atomicfile"
	"github.com/bcikit/bcikit/paradigm"
	"github.com/bcikit/bcikit/raw"
)

func init() {
	register(&command{
		name:    "train",
		summary: "Train a decoding pipeline on all trials of the given subjects of a dataset and save it as a model file (docs/model-format.md).",
		usage:   "--pipeline NAME [--dataset NAME] [--subjects 1-3] --out model.json",
		run:     runTrain,
	})
	register(&command{
		name:    "predict",
		summary: "Decode the trials of a recording with a trained model: one line per trial with the predicted class (and the true one when the recording has its events).",
		usage:   "--model model.json FILE [--events FILE-eve.fif] [--json]",
		run:     runPredict,
	})
	register(&command{
		name:    "download",
		summary: "Fetch subjects of a dataset from its public source into the data directory, checking checksums and resuming interrupted transfers.",
		usage:   "--dataset NAME [--subjects 1-3] [--dir DIR]",
		run:     runDownload,
	})
}

// modelParadigm is the paradigm section of a model file: how predict cuts
// the trials the pipeline reads.
type modelParadigm struct {
	paradigm.Paradigm
	// Dataset names the registered dataset whose file conventions
	// (channel names, event codes) the training recordings followed.
	Dataset string `json:"dataset"`
}

func runTrain(args []string, stdout io.Writer) error {
	fs := newFlags(commands["train"], stdout)
	dsName := fs.String("dataset", "", "dataset name (default: the first registered dataset with data under $BCIKIT_DATA)")
	subjects := fs.String("subjects", "", "subjects whose trials train the model, e.g. 1 or 1-10 (default: every subject present)")
	pipeline := fs.String("pipeline", "", "pipeline to train (required; bcikit bench --list shows them)")
	out := fs.String("out", "", "model file to write (required)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *pipeline == "" || *out == "" {
		return fmt.Errorf("%w: --pipeline and --out are required", errUsage)
	}
	d, err := pickDataset(*dsName)
	if err != nil {
		return err
	}
	names, err := pickPipelines(d, *pipeline)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		return fmt.Errorf("%w: --pipeline takes one pipeline", errUsage)
	}
	ids, err := pickSubjects(d, *subjects)
	if err != nil {
		return err
	}
	p, _ := decode.New(names[0])
	pname := ""
	if p.Input() == decode.Bands {
		pname = filterBankName(d)
	}
	par, err := paradigm.For(d, pname)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var x decode.Data
	var y []int
	var channels []string
	sfreq := 0.0
	for _, id := range ids {
		fmt.Fprintf(stderr, "bcikit train: reading subject %d of %s\n", id, d.Name)
		tr, err := par.Subject(ctx, d, id)
		if err != nil {
			return fmt.Errorf("subject %d: %w", id, err)
		}
		if channels == nil {
			channels, sfreq = tr.Channels, tr.SFreq
		} else if !slices.Equal(channels, tr.Channels) || sfreq != tr.SFreq {
			return fmt.Errorf("subject %d has other channels or another rate (%g Hz) than subject %d (%g Hz): one model needs one montage", id, tr.SFreq, ids[0], sfreq)
		}
		x = appendData(x, tr, p.Input())
		y = append(y, tr.Y...)
	}
	if err := decode.Configure(p, decode.Setup{SFreq: sfreq, ClassFreqs: classFreqs(d), TrialSeconds: trialSeconds(firstTrials(x), sfreq)}); err != nil {
		return err
	}
	if err := p.Fit(x, y); err != nil {
		return fmt.Errorf("training %s: %w", names[0], err)
	}
	pj, err := json.Marshal(modelParadigm{Paradigm: par, Dataset: d.Name})
	if err != nil {
		return err
	}
	classes := slices.Compact(slices.Sorted(slices.Values(y)))
	cn := map[string]string{}
	for _, c := range classes {
		if cl, ok := d.Class(c); ok {
			cn[strconv.Itoa(c)] = cl.Name
		}
	}
	m := &decode.Model{
		Pipeline: names[0], Channels: channels, SFreq: sfreq, Classes: classes, ClassNames: cn,
		Paradigm: pj, State: p,
		TrainedOn: map[string]any{"dataset": d.Name, "subjects": ids, "trials": len(y)},
	}
	if err := atomicfile.Write(*out, func(w io.Writer) error { return decode.WriteModel(w, m) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained %s on %d trials (%d channels, %g Hz) of %s subject(s) %s; wrote %s\n",
		names[0], len(y), len(channels), sfreq, d.Name, dataset.Ranges(ids), *out)
	return nil
}

// appendData adds a subject's trials to x in the form the pipeline reads.
func appendData(x decode.Data, tr *paradigm.Trials, in decode.Input) decode.Data {
	if in == decode.Bands {
		if x.Bands == nil {
			x.Bands = make([][][][]float64, len(tr.Bands))
		}
		for b := range tr.Bands {
			x.Bands[b] = append(x.Bands[b], tr.Bands[b]...)
		}
		return x
	}
	x.Trials = append(x.Trials, tr.X...)
	return x
}

func firstTrials(x decode.Data) [][][]float64 {
	if x.Trials != nil || len(x.Bands) == 0 {
		return x.Trials
	}
	return x.Bands[0]
}

// prediction is one line of predict's output.
type prediction struct {
	Trial     int     `json:"trial"`
	Onset     float64 `json:"onset_s"`
	Predicted int     `json:"predicted"`
	Name      string  `json:"predicted_name,omitempty"`
	True      *int    `json:"true,omitempty"`
}

func runPredict(args []string, stdout io.Writer) error {
	fs := newFlags(commands["predict"], stdout)
	modelFile := fs.String("model", "", "model file written by bcikit train (required)")
	eventsFile := fs.String("events", "", "MNE events file (*-eve.fif) with the trial onsets (default: the recording's annotations, or FILE's -eve.fif sibling)")
	asJSON := fs.Bool("json", false, "print the predictions as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *modelFile == "" {
		return fmt.Errorf("%w: --model is required", errUsage)
	}
	m, mp, err := loadModel(*modelFile)
	if err != nil {
		return err
	}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, events, err := readForModel(in, *eventsFile, mp.Dataset)
	if err != nil {
		return err
	}
	// Extra channels (EOG, stim, others) are fine; the model's must all
	// be there, at its rate.
	have := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		have[i] = c.Name
	}
	if missing := missingChannels(m.Channels, have); len(missing) > 0 {
		return fmt.Errorf("%s: %w", in, m.CheckInput(have, r.SFreq))
	}
	if err := r.Pick(m.Channels...); err != nil {
		return err
	}
	if err := m.CheckInput(channelNames(r), r.SFreq); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(events) == 0 {
		return fmt.Errorf("%s: no events of the model's classes (%s): predict decodes the trials that start at the recording's cues; give --events FILE-eve.fif", in, classList(m))
	}
	tr, err := mp.Paradigm.Cut(r, events)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var x decode.Data
	x = appendData(x, tr, m.State.Input())
	if x.Len() == 0 {
		return fmt.Errorf("%s: no complete trial could be cut", in)
	}
	if err := decode.Configure(m.State, decode.Setup{SFreq: m.SFreq, ClassFreqs: datasetFreqs(mp.Dataset), TrialSeconds: trialSeconds(firstTrials(x), tr.SFreq)}); err != nil {
		return err
	}
	pred, err := m.State.Predict(x)
	if err != nil {
		return err
	}
	preds := make([]prediction, len(pred))
	ok, known := 0, 0
	for i, p := range pred {
		preds[i] = prediction{Trial: i, Predicted: p, Name: m.ClassNames[strconv.Itoa(p)]}
		if i < len(tr.Onsets) {
			preds[i].Onset = tr.Onsets[i]
		}
		if i < len(tr.Y) && slices.Contains(m.Classes, tr.Y[i]) {
			t := tr.Y[i]
			preds[i].True = &t
			known++
			if t == p {
				ok++
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(map[string]any{"model": *modelFile, "file": in, "pipeline": m.Pipeline, "predictions": preds})
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "trial\tonset_s\tpredicted\tname\ttrue\t")
	for _, p := range preds {
		t := "-"
		if p.True != nil {
			t = strconv.Itoa(*p.True)
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%d\t%s\t%s\t\n", p.Trial, p.Onset, p.Predicted, p.Name, t)
	}
	tw.Flush()
	if known > 0 {
		fmt.Fprintf(stdout, "accuracy %.4f (%d of %d trials)\n", float64(ok)/float64(known), ok, known)
	}
	return nil
}

// readModel reads a model file.
func readModel(path string) (*decode.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := decode.ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// loadModel reads a model file and its paradigm section (how predict and
// pseudo-online cut trials).
func loadModel(path string) (*decode.Model, modelParadigm, error) {
	var mp modelParadigm
	m, err := readModel(path)
	if err != nil {
		return nil, mp, err
	}
	if len(m.Paradigm) == 0 {
		return nil, mp, fmt.Errorf("%s: %w: no paradigm section (how to cut trials)", path, decode.ErrModel)
	}
	if err := json.Unmarshal(m.Paradigm, &mp); err != nil {
		return nil, mp, fmt.Errorf("%s: %w: paradigm: %v", path, decode.ErrModel, err)
	}
	return m, mp, nil
}

// readForModel reads a recording with the conventions of the dataset the
// model was trained on (channel names, event codes), or, for a dataset
// bcikit does not know, as a plain recording with an events file.
func readForModel(path, eventsFile, dsName string) (*raw.Raw, []raw.Event, error) {
	d, err := dataset.Get(dsName)
	if err != nil {
		return nil, nil, fmt.Errorf("the model was trained on dataset %q, which this bcikit does not know: %w", dsName, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, err
	}
	d.Dir = filepath.Dir(abs)
	rec := dataset.Recording{File: filepath.Base(abs)}
	if eventsFile == "" {
		if base, ok := strings.CutSuffix(abs, "_raw.fif"); ok {
			if _, err := os.Stat(base + "-eve.fif"); err == nil {
				eventsFile = base + "-eve.fif"
			}
		}
	}
	if eventsFile != "" {
		ea, err := filepath.Abs(eventsFile)
		if err != nil {
			return nil, nil, err
		}
		rel, err := filepath.Rel(d.Dir, ea)
		if err != nil {
			return nil, nil, err
		}
		rec.Events = filepath.ToSlash(rel)
	}
	return d.Read(rec)
}

func missingChannels(want, have []string) []string {
	var m []string
	for _, c := range want {
		if !slices.Contains(have, c) {
			m = append(m, c)
		}
	}
	return m
}

func channelNames(r *raw.Raw) []string {
	n := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		n[i] = c.Name
	}
	return n
}

func classList(m *decode.Model) string {
	var s []string
	for _, c := range m.Classes {
		s = append(s, fmt.Sprintf("%d %s", c, m.ClassNames[strconv.Itoa(c)]))
	}
	return strings.Join(s, ", ")
}

// datasetFreqs gives the SSVEP class frequencies of the named dataset (nil
// when it is unknown).
func datasetFreqs(dsName string) map[int]float64 {
	d, err := dataset.Get(dsName)
	if err != nil {
		return nil
	}
	return classFreqs(d)
}

func runDownload(args []string, stdout io.Writer) error {
	fs := newFlags(commands["download"], stdout)
	dsName := fs.String("dataset", "", "dataset name (required; bcikit bench --list shows them)")
	subjects := fs.String("subjects", "", "subjects to fetch, e.g. 1-10 (default: all)")
	dir := fs.String("dir", "", "data directory (default $"+dataset.EnvVar+")")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *dsName == "" {
		return fmt.Errorf("%w: --dataset is required (datasets: %s)", errUsage, strings.Join(dataset.Names(), ", "))
	}
	var ids []int
	if *subjects != "" {
		var err error
		if ids, err = parseRanges(*subjects); err != nil {
			return fmt.Errorf("%w: --subjects: %v", errUsage, err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := dataset.Download(ctx, *dsName, ids, *dir, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: downloaded into %s\n", *dsName, dirOrDefault(*dir))
	return nil
}

func dirOrDefault(d string) string {
	if d == "" {
		return dataset.Dir()
	}
	return d
}
