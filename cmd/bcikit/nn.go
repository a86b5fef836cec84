package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/bcikit/bcikit/nn"
	"github.com/bcikit/bcikit/nn/models"
)

func init() {
	register(&command{
		name:    "nn",
		summary: "Neural decoders: 'params' prints each model's layer shapes and parameter count for trials of --chans × --times and --classes; 'time' trains a model on random trials and prints the seconds per epoch (bench/compare_nn.sh runs it beside PyTorch).",
		usage:   "params|time [--model eegnet|shallow|eegnex] [--chans 64] [--times 480] [--classes 2] [--trials 1024] [--batch 64] [--epochs 2] [--threads N]",
		run:     runNN,
	})
}

func runNN(args []string, stdout io.Writer) error {
	fs := newFlags(commands["nn"], stdout)
	model := fs.String("model", "", "model (default: every model for params, eegnet for time)")
	chans := fs.Int("chans", 64, "electrodes per trial")
	times := fs.Int("times", 480, "samples per trial")
	classes := fs.Int("classes", 2, "classes")
	trials := fs.Int("trials", 1024, "time: random trials per epoch")
	batch := fs.Int("batch", 64, "time: batch size")
	epochs := fs.Int("epochs", 2, "time: epochs timed (after one warm-up epoch)")
	threads := fs.Int("threads", 0, "time: worker threads (default: all cores)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	switch pos[0] {
	case "params":
		names := models.Names()
		if *model != "" {
			names = []string{*model}
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "model\tinput\toutput\tparameters")
		for _, name := range names {
			net, err := models.Build(name, *chans, *times, *classes, 1)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%v\t%v\t%d\n", name, net.In(), net.Out(), net.NumParams())
		}
		return tw.Flush()
	case "time":
		if *threads > 0 {
			runtime.GOMAXPROCS(*threads)
		}
		name := *model
		if name == "" {
			name = "eegnet"
		}
		if *trials < 2 || *epochs < 1 || *batch < 2 {
			return fmt.Errorf("%w: --trials %d, --epochs %d, --batch %d (need at least 2, 1, 2)", errUsage, *trials, *epochs, *batch)
		}
		net, err := models.Build(name, *chans, *times, *classes, 1)
		if err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(1, 2))
		x := make([]float32, *trials**chans**times)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		y := make([]int, *trials)
		for i := range y {
			y[i] = i % *classes
		}
		cfg := nn.TrainConfig{Epochs: 1, BatchSize: *batch, Optimizer: "adam", LR: 1e-3}
		if _, err := nn.Train(net, x, y, cfg); err != nil {
			return err
		}
		t0 := time.Now()
		for range *epochs {
			if _, err := nn.Train(net, x, y, cfg); err != nil {
				return err
			}
		}
		sec := time.Since(t0).Seconds() / float64(*epochs)
		fmt.Fprintf(stdout, "bcikit %s: %d trials x %d ch x %d samples, batch %d, Adam, %d threads: %.3f s/epoch (%d parameters)\n",
			name, *trials, *chans, *times, *batch, nn.Threads(), sec, net.NumParams())
		return nil
	}
	return fmt.Errorf("%w: unknown nn subcommand %q (params, time)", errUsage, pos[0])
}
