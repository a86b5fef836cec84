package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/bcikit/bcikit/stream"
)

func init() {
	register(&command{
		name:    "replay",
		summary: "Publish a recording as a live stream (TCP and WebSocket on one port) at real time or N× speed.",
		usage:   "FILE [--listen 127.0.0.1:PORT | --lsl NAME [--type EEG]] [--speed 1] [--loop] [--chunk SAMPLES] [--float32] [--wait N]",
		run:     runReplay,
	})
}

func runReplay(args []string, stdout io.Writer) error {
	fs := newFlags(commands["replay"], stdout)
	listen := fs.String("listen", "127.0.0.1:0", "address to serve on (port 0: any free port, printed at start)")
	speed := fs.Float64("speed", 1, "times real time (2: twice as fast); 0: as fast as the subscribers take it")
	loop := fs.Bool("loop", false, "start again at the end of the recording, forever")
	chunk := fs.Int("chunk", 0, "samples per chunk (default: sampling rate / 32)")
	f32 := fs.Bool("float32", false, "send float32 samples by default (subscribers may ask for either)")
	wait := fs.Int("wait", 0, "start the replay only once this many subscribers have joined")
	lslName := fs.String("lsl", "", "publish as a Lab Streaming Layer outlet of this name (markers as NAME-Markers) instead of on --listen")
	lslType := fs.String("type", "EEG", "content type of the --lsl stream")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *speed < 0 || math.IsNaN(*speed) || math.IsInf(*speed, 0) {
		return fmt.Errorf("%w: --speed %v: want a positive factor, or 0 for no pacing", errUsage, *speed)
	}
	if *chunk < 0 {
		return fmt.Errorf("%w: --chunk %d: want a positive number of samples", errUsage, *chunk)
	}
	if *wait < 0 {
		return fmt.Errorf("%w: --wait %d: want a number of subscribers", errUsage, *wait)
	}
	opt := stream.ReplayOptions{Speed: *speed, ChunkSamples: *chunk, Loop: *loop}
	if *speed == 0 {
		opt.Speed = -1 // and the server waits for its subscribers
	}
	rp, err := stream.OpenReplay(pos[0], opt)
	if err != nil {
		return err
	}
	defer rp.Close()
	if *lslName != "" {
		listenSet := false
		fs.Visit(func(f *flag.Flag) { listenSet = listenSet || f.Name == "listen" })
		if listenSet {
			return fmt.Errorf("%w: --lsl publishes on LSL, not on --listen: give one of them", errUsage)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return replayLSL(ctx, rp, *lslName, *lslType, *wait, stdout)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", *listen, err)
	}
	srv := &stream.Server{WaitFor: *wait, Backpressure: *speed == 0, Logf: func(format string, a ...any) {
		fmt.Fprintf(stderr, "bcikit replay: "+format+"\n", a...)
	}}
	if *f32 {
		srv.Format = stream.Float32
	}
	h := rp.Header()
	addr := ln.Addr().String()
	pace := fmt.Sprintf("%g× real time", *speed)
	if *speed == 0 {
		pace = "no pacing"
	}
	fmt.Fprintf(stdout, "serving %s (%d channels at %g Hz, %s) on tcp://%s and ws://%s/stream\n", h.Name, len(h.Channels), h.SFreq, pace, addr, addr)
	if f, ok := stdout.(interface{ Sync() error }); ok {
		f.Sync()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = srv.Serve(ctx, ln, rp)
	if errors.Is(err, context.Canceled) {
		return nil // interrupted: a normal way to stop a replay
	}
	return err
}
