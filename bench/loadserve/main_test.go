package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestShortLoad is the short version of the load test: the bcikit binary
// is built and serves 4 streams of 64 channels at 1000 Hz for 3 s. The
// latency limit is loose (50 ms) because CI machines are shared and this
// test runs beside the others; the 10-minute run with 16 streams is
// `go run ./bench/loadserve`.
func TestShortLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs bcikit")
	}
	bin := filepath.Join(t.TempDir(), "bcikit")
	build := exec.Command("go", "build", "-o", bin, "github.com/bcikit/bcikit/cmd/bcikit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	limit := 50.0
	if runtime.NumCPU() < 2 {
		limit = 200
	}
	if err := run(bin, 4, 64, 1000, 3*time.Second, "mdm", limit); err != nil {
		t.Fatal(err)
	}
}
