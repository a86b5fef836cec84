package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/cluster"
	"github.com/bcikit/bcikit/dataset"
)

func init() {
	register(&command{
		name:    "worker",
		summary: "Run benchmark tasks published by \"bcikit bench --nats\" on a NATS JetStream server, reading the datasets from this machine's $BCIKIT_DATA.",
		usage:   "--nats URL [--concurrency N] [--name NAME] [--ack-wait 15s] [--max-deliver 5] [--nats-user U --nats-password P | --nats-token T | --nats-nkey FILE] [--nats-tls-ca FILE] [--quiet]",
		run:     runWorker,
	})
}

func runWorker(args []string, stdout io.Writer) error {
	fs := newFlags(commands["worker"], stdout)
	nf := addNATSFlags(fs, "NATS server URL, e.g. nats://127.0.0.1:4222 (bcikit cluster) or a cluster's nats://a:4222,nats://b:4222 (required)")
	concurrency := fs.Int("concurrency", 0, "tasks run at once (default: all cores)")
	name := fs.String("name", "", "worker name in logs and dead letters (default host:pid)")
	ackWait := fs.Duration("ack-wait", 15*time.Second, "a task without a heartbeat from its worker for this long goes to another worker")
	maxDeliver := fs.Int("max-deliver", 5, "tries of a task before it is a dead letter")
	quiet := fs.Bool("quiet", false, "no line per task")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *nf.url == "" {
		return fmt.Errorf("%w: --nats URL is required", errUsage)
	}
	if *concurrency < 0 || *maxDeliver < 1 || *ackWait < time.Second {
		return fmt.Errorf("%w: --concurrency must be >= 0, --max-deliver >= 1 and --ack-wait >= 1s", errUsage)
	}
	nc, err := nf.connect("bcikit worker")
	if err != nil {
		return err
	}
	defer nc.Close()
	w := &cluster.Worker{Conn: nc, Name: *name, Concurrency: *concurrency, Load: clusterLoader,
		Limits: cluster.Limits{AckWait: *ackWait, MaxDeliver: *maxDeliver, Replicas: *nf.replicas}}
	if !*quiet {
		w.Log = stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return w.Run(ctx)
}

// clusterLoader is the worker's loader: the one a local bench run uses,
// reading from the worker's data directory.
func clusterLoader(cfg bench.Config, dataDir string) (bench.Loader, error) {
	d, err := dataset.Get(cfg.Dataset)
	if err != nil {
		return nil, err
	}
	d.Dir = dataDir
	return subjectLoader(d, needsTrials(cfg.Pipelines))
}
