package chart

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PSD draws power spectral densities, one line per channel, in dB re
// 1 µV²/Hz (10·log10(psd·1e12), as MNE's plot for EEG) against frequency,
// and saves the figure to path (.png, .svg or .pdf). psd[c] holds the
// density of channel names[c] at freqs, in V²/Hz.
func PSD(path string, freqs []float64, names []string, psd [][]float64, title string) error {
	if len(psd) != len(names) {
		panic("chart: PSD: one name per channel needed")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "Frequency (Hz)"
	p.Y.Label.Text = "PSD (dB re 1 µV²/Hz)"
	p.Add(plotter.NewGrid())
	for c, row := range psd {
		if len(row) != len(freqs) {
			panic("chart: PSD: row length differs from freqs")
		}
		pts := make(plotter.XYs, 0, len(row))
		for i, v := range row {
			if v > 0 && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: freqs[i], Y: 10 * math.Log10(v*1e12)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("chart: %s: %w", names[c], err)
		}
		l.Color = palette(c, len(psd))
		l.Width = vg.Points(0.8)
		p.Add(l)
		if len(psd) <= 12 {
			p.Legend.Add(names[c], l)
		}
	}
	p.Legend.Top = true
	return save(p, path, 8*vg.Inch, 5*vg.Inch)
}

// palette spreads n colours around the hue circle.
func palette(i, n int) color.Color {
	h := float64(i) / float64(max(n, 1))
	return hsv(h, 0.75, 0.8)
}

func hsv(h, s, v float64) color.Color {
	i := math.Floor(h * 6)
	f := h*6 - i
	p, q, t := v*(1-s), v*(1-f*s), v*(1-(1-f)*s)
	var r, g, b float64
	switch int(i) % 6 {
	case 0:
		r, g, b = v, t, p
	case 1:
		r, g, b = q, v, p
	case 2:
		r, g, b = p, v, t
	case 3:
		r, g, b = p, q, v
	case 4:
		r, g, b = t, p, v
	default:
		r, g, b = v, p, q
	}
	return color.RGBA{uint8(r * 255), uint8(g * 255), uint8(b * 255), 255}
}

func save(p *plot.Plot, path string, w, h vg.Length) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg", ".pdf":
	default:
		return fmt.Errorf("chart: %s: unsupported image type (use .png, .svg or .pdf)", path)
	}
	if err := p.Save(w, h, path); err != nil {
		return fmt.Errorf("chart: %s: %w", path, err)
	}
	return nil
}
