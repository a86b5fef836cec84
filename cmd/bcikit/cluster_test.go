package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/cluster"
	"github.com/bcikit/bcikit/dataset"
)

// bench --nats with two workers writes the CSV of a local run: same rows
// in the same order, every column equal but the time.
func TestBenchNATS(t *testing.T) {
	dataEnv(t)
	srv, err := cluster.StartServer(cluster.ServerConfig{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 2 {
		nc, err := cluster.Connect(cluster.ConnOptions{URL: srv.URL(), Token: "tok"})
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		w := &cluster.Worker{Conn: nc, Concurrency: 1, Load: clusterLoader, DataDir: dataset.Dir(),
			Limits: cluster.Limits{AckWait: 5 * time.Second}, Name: string(rune('a' + i))}
		go w.Run(ctx)
	}
	dir := t.TempDir()
	local, remote := filepath.Join(dir, "local.csv"), filepath.Join(dir, "nats.csv")
	args := []string{"bench", "--dataset", "ssvep-exo", "--subjects", "1", "--pipelines", "cca,mdm", "--quiet"}
	if code, _, e := runCLI(t, append(args, "--out", local)...); code != 0 {
		t.Fatalf("local: %s", e)
	}
	// Without the token the server refuses: a clear error, exit 2.
	if code, _, e := runCLI(t, append(args, "--out", remote, "--nats", srv.URL())...); code != 2 || !strings.Contains(e, "uthorization") {
		t.Errorf("no token: exit %d, %q", code, e)
	}
	code, stdout, e := runCLI(t, append(args, "--out", remote, "--nats", srv.URL(), "--nats-token", "tok")...)
	if code != 0 {
		t.Fatalf("--nats: exit %d: %s", code, e)
	}
	if !strings.Contains(stdout, "cca") {
		t.Errorf("summary: %q", stdout)
	}
	a, b := readCSV(t, local), readCSV(t, remote)
	if len(a) != 5 || len(a) != len(b) {
		t.Fatalf("%d local rows, %d over NATS", len(a), len(b))
	}
	for i := range a {
		x, y := slices.Clone(a[i]), slices.Clone(b[i])
		x[1], y[1] = "", "" // time
		if !slices.Equal(x, y) {
			t.Errorf("row %d: local %v, NATS %v", i, a[i], b[i])
		}
	}
}

func TestClusterWorkerBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"worker"},
		{"worker", "--nats", "nats://127.0.0.1:1", "--max-deliver", "0"},
		{"worker", "--nats", "nats://127.0.0.1:1", "--nats-token", "a", "--nats-user", "b", "--nats-password", "c"},
		{"cluster", "--listen", "nohost", "--store", t.TempDir()},
		{"cluster", "--store", t.TempDir(), "--user", "u"},
	} {
		if code, _, e := runCLI(t, args...); code == 0 || e == "" {
			t.Errorf("%v: exit %d, %q", args, code, e)
		}
	}
}
