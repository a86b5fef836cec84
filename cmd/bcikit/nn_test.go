package main

import (
	"strings"
	"testing"
)

func TestNNParams(t *testing.T) {
	code, out, errOut := runCLI(t, "nn", "params")
	if code != 0 {
		t.Fatalf("nn params: %d %s", code, errOut)
	}
	// PyTorch's counts for 64 channels × 480 samples, 2 classes
	// (testdata/gen/nn_layers.py).
	for _, want := range []string{"eegnet   [1 64 480]  [2 1 1]  2610", "58386", "105602"} {
		if !strings.Contains(out, want) {
			t.Errorf("nn params output lacks %q:\n%s", want, out)
		}
	}
	if code, _, e := runCLI(t, "nn", "params", "--model", "vgg"); code == 0 || !strings.Contains(e, "unknown model") {
		t.Errorf("unknown model: %d %q", code, e)
	}
	if code, _, e := runCLI(t, "nn", "params", "--times", "10"); code == 0 || !strings.Contains(e, "layer") {
		t.Errorf("trials too short for the network: %d %q", code, e)
	}
	if code, _, e := runCLI(t, "nn", "fly"); code != 2 || !strings.Contains(e, "unknown nn subcommand") {
		t.Errorf("unknown subcommand: %d %q", code, e)
	}
}

func TestNNTime(t *testing.T) {
	code, out, errOut := runCLI(t, "nn", "time", "--trials", "8", "--chans", "4", "--times", "128", "--batch", "4", "--epochs", "1")
	if code != 0 || !strings.Contains(out, "s/epoch") {
		t.Fatalf("nn time: %d %q %q", code, out, errOut)
	}
}
