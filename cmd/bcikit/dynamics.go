package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/nn/dynamics"
	"github.com/bcikit/bcikit/nn/models"
	"github.com/bcikit/bcikit/paradigm"
)

func init() {
	register(&command{
		name: "cost",
		summary: "Print what one decision of each neural pipeline costs on a subject's trials: multiply-adds of the dense computations " +
			"and, for the spiking decoder, synaptic events (spikes × synapses reached) and spikes; snn, akorn and ctm are trained on the trials first ($BCIKIT_NN applies).",
		usage: "[--pipelines snn,akorn,ctm,eegnet] [--dataset NAME] [--subject N] [--json]",
		run:   runCost,
	})
}

// costRow is one pipeline's line of "bcikit cost" (and its --json form).
type costRow struct {
	Pipeline string  `json:"pipeline"`
	Params   int     `json:"params"`
	MACs     float64 `json:"macs_per_decision"`
	Events   float64 `json:"synaptic_events_per_decision"`
	Spikes   float64 `json:"spikes_per_decision"`
}

func runCost(args []string, stdout io.Writer) error {
	fs := newFlags(commands["cost"], stdout)
	pipes := fs.String("pipelines", "snn,akorn,ctm,eegnet", "comma-separated neural pipelines: "+strings.Join(append(dynamics.Names(), models.Names()...), ", "))
	dsName := fs.String("dataset", "", "dataset whose trials are measured (default: as bench)")
	subject := fs.Int("subject", 0, "subject whose trials are measured (default: the first present)")
	asJSON := fs.Bool("json", false, "print the rows as a JSON array")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	var names []string
	for _, n := range strings.Split(*pipes, ",") {
		n = strings.TrimSpace(n)
		if !dynamics.Known(n) && !models.Known(n) {
			return fmt.Errorf("%w: --pipelines: %q is not a neural pipeline (%s)", errUsage, n, strings.Join(append(dynamics.Names(), models.Names()...), ", "))
		}
		names = append(names, n)
	}
	d, err := pickDataset(*dsName)
	if err != nil {
		return err
	}
	av := d.Available()
	if len(av) == 0 {
		return fmt.Errorf("%s: no subject present under %s", d.Name, dataset.Dir())
	}
	s := *subject
	if s == 0 {
		s = av[0]
	} else if !slices.Contains(av, s) {
		return fmt.Errorf("%w: --subject %d is not present (%s)", errUsage, s, dataset.Ranges(av))
	}
	par, err := paradigm.For(d, "")
	if err != nil {
		return err
	}
	tr, err := par.Subject(context.Background(), d, s)
	if err != nil {
		return err
	}
	x := decode.Data{Trials: tr.X}
	chans, times := len(tr.X[0]), len(tr.X[0][0])
	classes := slices.Clone(tr.Y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	var rows []costRow
	for _, n := range names {
		row := costRow{Pipeline: n}
		if dynamics.Known(n) {
			p := decode.NewDynamics(n)
			if err := p.Fit(x, tr.Y); err != nil {
				return err
			}
			c, err := p.Cost(x)
			if err != nil {
				return err
			}
			row.Params, row.MACs, row.Events, row.Spikes = p.Net().NumParams(), c.MACs, c.Events, c.Spikes
		} else {
			// Dense networks: the count does not depend on the weights.
			net, err := models.Build(n, chans, times, len(classes), 1)
			if err != nil {
				return err
			}
			flat := make([]float32, 0, len(tr.X)*chans*times)
			for _, t := range tr.X {
				for _, r := range t {
					for _, v := range r {
						flat = append(flat, float32(v))
					}
				}
			}
			c, err := dynamics.Measure(net, flat, len(tr.X))
			if err != nil {
				return err
			}
			row.Params, row.MACs = net.NumParams(), c.MACs
		}
		rows = append(rows, row)
	}
	if *asJSON {
		e := json.NewEncoder(stdout)
		e.SetIndent("", " ")
		return e.Encode(rows)
	}
	fmt.Fprintf(stdout, "%s, subject %d: %d trials of %d channels × %d samples\n", d.Name, s, len(tr.X), chans, times)
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "pipeline\tparams\tMACs/decision\tsynaptic events/decision\tspikes/decision\t")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%.4g\t%.4g\t%.4g\t\n", r.Pipeline, r.Params, r.MACs, r.Events, r.Spikes)
	}
	return w.Flush()
}
