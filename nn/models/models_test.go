package models

import "testing"

func TestParamCounts(t *testing.T) {
	for _, c := range []struct {
		name                  string
		chans, times, classes int
		want                  int
	}{
		// PyTorch's counts, from testdata/gen/nn_layers.py.
		{"eegnet", 64, 480, 2, 2610},
		{"shallow", 64, 480, 2, 105602},
		{"eegnex", 64, 480, 2, 58386},
	} {
		net, err := Build(c.name, c.chans, c.times, c.classes, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := net.NumParams(); got != c.want {
			t.Errorf("%s %dx%d, %d classes: %d parameters, want %d", c.name, c.chans, c.times, c.classes, got, c.want)
		}
		t.Log(c.name, net.Shapes())
	}
}
