package chart

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestPSDWritesPNG(t *testing.T) {
	freqs := make([]float64, 129)
	psd := [][]float64{make([]float64, 129), make([]float64, 129)}
	for i := range freqs {
		freqs[i] = float64(i) * 0.625
		psd[0][i] = 1e-11 / (1 + freqs[i])
		psd[1][i] = 1e-12 * math.Exp(-freqs[i]/20)
	}
	psd[1][0] = 0 // skipped, not -Inf
	out := filepath.Join(t.TempDir(), "psd.png")
	if err := PSD(out, freqs, []string{"C3", "C4"}, psd, "test"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 300 {
		t.Errorf("image %v too small", b)
	}
	if err := PSD(filepath.Join(t.TempDir(), "psd.bmp"), freqs, []string{"C3", "C4"}, psd, ""); err == nil {
		t.Error("no error for .bmp")
	}
}

func TestScoresWritesImage(t *testing.T) {
	var s []SubjectScore
	for sub := 1; sub <= 8; sub++ {
		s = append(s, SubjectScore{"csp+lda", sub, 0.6 + 0.04*float64(sub)}, SubjectScore{"mdm", sub, 0.55 + 0.03*float64(sub)})
	}
	for _, ext := range []string{".png", ".svg"} {
		out := filepath.Join(t.TempDir(), "scores"+ext)
		if err := Scores(out, s, []string{"csp+lda", "mdm"}, 0.5, "test", "ROC AUC"); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
			t.Fatalf("%s: %v", out, err)
		}
	}
}
