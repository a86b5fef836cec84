package chart

import (
	"fmt"
	"image/color"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SubjectScore is one point of a Scores figure.
type SubjectScore struct {
	Pipeline string
	Subject  int
	Score    float64
}

// Scores draws per-subject scores per pipeline (as MOABB's score plot): one
// column per pipeline with a dot per subject (mean over its sessions), the
// pipeline's mean as a bar, a dashed chance line, and saves it to path
// (.png, .svg or .pdf).
func Scores(path string, scores []SubjectScore, pipelines []string, chance float64, title, yLabel string) error {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = yLabel
	p.Y.Min, p.Y.Max = 0, 1
	p.Add(plotter.NewGrid())
	// Mean per (pipeline, subject) over sessions.
	type key struct {
		p string
		s int
	}
	sum, n := map[key]float64{}, map[key]int{}
	for _, s := range scores {
		k := key{s.Pipeline, s.Subject}
		sum[k] += s.Score
		n[k]++
	}
	var names []string
	for i, pl := range pipelines {
		var pts plotter.XYs
		var subjects []int
		for k := range sum {
			if k.p == pl {
				subjects = append(subjects, k.s)
			}
		}
		sort.Ints(subjects)
		mean := 0.0
		for j, s := range subjects {
			k := key{pl, s}
			v := sum[k] / float64(n[k])
			mean += v / float64(len(subjects))
			// Spread the dots a little so subjects do not hide each other.
			off := 0.25 * (float64(j)/float64(max(len(subjects)-1, 1)) - 0.5)
			pts = append(pts, plotter.XY{X: float64(i) + off, Y: v})
		}
		if len(pts) > 0 {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return fmt.Errorf("chart: %w", err)
			}
			sc.GlyphStyle.Color = palette(i, len(pipelines))
			sc.GlyphStyle.Radius = vg.Points(3)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(sc)
			bar, err := plotter.NewLine(plotter.XYs{{X: float64(i) - 0.35, Y: mean}, {X: float64(i) + 0.35, Y: mean}})
			if err != nil {
				return fmt.Errorf("chart: %w", err)
			}
			bar.Width = vg.Points(2)
			bar.Color = color.Black
			p.Add(bar)
		}
		names = append(names, pl+"\n"+strconv.FormatFloat(mean, 'f', 3, 64))
	}
	if chance > 0 {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: chance}, {X: float64(len(pipelines)) - 0.5, Y: chance}})
		if err == nil {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			l.Color = color.Gray{Y: 100}
			p.Add(l)
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(pipelines))-0.5
	return save(p, path, vg.Length(max(4, 1.4*float64(len(pipelines))))*vg.Inch, 4.5*vg.Inch)
}
