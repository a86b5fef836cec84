package nn

import (
	"fmt"
	"math"
)

// Optimizer updates trainable parameters from their gradients.
type Optimizer interface {
	// Step applies one update with learning rate lr.
	Step(lr float64)
}

// Adam is torch.optim.Adam (L2 penalty added to the gradient) or, with
// Decoupled set, torch.optim.AdamW (weights decayed by lr·WeightDecay
// before the update).
type Adam struct {
	Beta1, Beta2, Eps, WeightDecay float64
	Decoupled                      bool

	params []*Param
	m, v   [][]float32
	t      int
}

// NewAdam returns Adam over the trainable params with PyTorch's defaults
// (betas 0.9, 0.999, eps 1e-8); decoupled selects AdamW.
func NewAdam(params []*Param, weightDecay float64, decoupled bool) *Adam {
	a := &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: weightDecay, Decoupled: decoupled}
	for _, p := range params {
		if p.Trainable {
			a.params = append(a.params, p)
			a.m = append(a.m, make([]float32, len(p.W)))
			a.v = append(a.v, make([]float32, len(p.W)))
		}
	}
	return a
}

// Step implements Optimizer.
func (a *Adam) Step(lr float64) {
	a.t++
	bc1 := 1 - math.Pow(a.Beta1, float64(a.t))
	bc2 := 1 - math.Pow(a.Beta2, float64(a.t))
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	step := float32(lr / bc1)
	sq := float32(math.Sqrt(bc2))
	eps := float32(a.Eps)
	wd := float32(a.WeightDecay)
	decay := float32(1 - lr*a.WeightDecay)
	for k, p := range a.params {
		m, v, w, g := a.m[k], a.v[k], p.W, p.G
		for i := range w {
			gi := g[i]
			if a.Decoupled {
				w[i] *= decay
			} else if wd != 0 {
				gi += wd * w[i]
			}
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			w[i] -= step * m[i] / (float32(math.Sqrt(float64(v[i])))/sq + eps)
		}
	}
}

// SGD is torch.optim.SGD with momentum (dampening 0, not Nesterov) and
// an L2 penalty added to the gradient.
type SGD struct {
	Momentum, WeightDecay float64

	params []*Param
	buf    [][]float32
	t      int
}

// NewSGD returns SGD over the trainable params.
func NewSGD(params []*Param, momentum, weightDecay float64) *SGD {
	s := &SGD{Momentum: momentum, WeightDecay: weightDecay}
	for _, p := range params {
		if p.Trainable {
			s.params = append(s.params, p)
			s.buf = append(s.buf, make([]float32, len(p.W)))
		}
	}
	return s
}

// Step implements Optimizer.
func (s *SGD) Step(lr float64) {
	s.t++
	mo, wd, l := float32(s.Momentum), float32(s.WeightDecay), float32(lr)
	for k, p := range s.params {
		b, w, g := s.buf[k], p.W, p.G
		for i := range w {
			gi := g[i] + wd*w[i]
			if mo != 0 {
				if s.t == 1 {
					b[i] = gi
				} else {
					b[i] = mo*b[i] + gi
				}
				gi = b[i]
			}
			w[i] -= l * gi
		}
	}
}

// Cosine is torch.optim.lr_scheduler.CosineAnnealingLR: the learning
// rate at epoch t of tMax is min + (base−min)·(1+cos(π·t/tMax))/2.
func Cosine(base, min float64, t, tMax int) float64 {
	if tMax <= 0 {
		return base
	}
	return min + (base-min)*(1+math.Cos(math.Pi*float64(t)/float64(tMax)))/2
}

// NewOptimizer returns the named optimizer ("adam", "adamw", "sgd") over
// the trainable params.
func NewOptimizer(name string, params []*Param, weightDecay, momentum float64) (Optimizer, error) {
	switch name {
	case "adam":
		return NewAdam(params, weightDecay, false), nil
	case "adamw", "":
		return NewAdam(params, weightDecay, true), nil
	case "sgd":
		return NewSGD(params, momentum, weightDecay), nil
	}
	return nil, fmt.Errorf("nn: %w: optimizer %q (adam, adamw, sgd)", ErrConfig, name)
}
