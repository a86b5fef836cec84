package nn

import (
	"fmt"
	"math"
	"sync"
)

// Activation is an elementwise function.
type Activation int

// The activations. SafeLog is braindecode's safe_log, log(max(x, 1e-6)),
// which ShallowFBCSPNet applies after Square and average pooling.
const (
	ELU Activation = iota
	ReLU
	GELU
	Square
	SafeLog
)

var actNames = [...]string{"elu", "relu", "gelu", "square", "safelog"}

// String returns the activation's name.
func (a Activation) String() string {
	if a >= 0 && int(a) < len(actNames) {
		return actNames[a]
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// safeLogEps is the floor of SafeLog.
const safeLogEps = 1e-6

// Act applies an Activation elementwise (ELU with alpha 1, exact GELU).
type Act struct {
	// Func is the activation.
	Func Activation

	shape        Shape
	x, y, dy, dx []float32
	wg           sync.WaitGroup
	fwd, bwd     func(w, lo, hi int)
}

// Kind implements Layer.
func (a *Act) Kind() string { return a.Func.String() }

// Build implements Layer.
func (a *Act) Build(in Shape) (Shape, error) {
	if a.Func < 0 || int(a.Func) >= len(actNames) {
		return Shape{}, fmt.Errorf("activation: %w: %d", ErrConfig, int(a.Func))
	}
	a.shape = in
	a.fwd, a.bwd = a.forwardRange, a.backwardRange
	return in, nil
}

// Params implements Layer.
func (a *Act) Params() []*Param { return nil }

// Reserve implements Layer.
func (a *Act) Reserve(int) {}

// Forward implements Layer.
func (a *Act) Forward(x, y []float32, n int, _ bool) {
	a.x, a.y = x[:n*a.shape.Size()], y
	getPool().run(&a.wg, n, a.fwd)
	a.x, a.y = nil, nil
}

// Backward implements Layer.
func (a *Act) Backward(x, y, dy, dx []float32, n int) {
	if dx == nil {
		return
	}
	a.x, a.y, a.dy, a.dx = x, y, dy, dx
	getPool().run(&a.wg, n, a.bwd)
	a.x, a.y, a.dy, a.dx = nil, nil, nil, nil
}

func (a *Act) forwardRange(_, lo, hi int) {
	sz := a.shape.Size()
	x, y := a.x[lo*sz:hi*sz], a.y[lo*sz:hi*sz]
	switch a.Func {
	case ELU:
		for i, v := range x {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = float32(expm1Neg(float64(v)))
			}
		}
	case ReLU:
		for i, v := range x {
			y[i] = max(v, 0)
		}
	case GELU:
		for i, v := range x {
			f := float64(v)
			y[i] = float32(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
		}
	case Square:
		for i, v := range x {
			y[i] = v * v
		}
	case SafeLog:
		for i, v := range x {
			y[i] = float32(math.Log(float64(max(v, safeLogEps))))
		}
	}
}

func (a *Act) backwardRange(_, lo, hi int) {
	sz := a.shape.Size()
	x, y, dy, dx := a.x[lo*sz:hi*sz], a.y[lo*sz:hi*sz], a.dy[lo*sz:hi*sz], a.dx[lo*sz:hi*sz]
	switch a.Func {
	case ELU:
		for i, v := range x {
			if v > 0 {
				dx[i] = dy[i]
			} else {
				dx[i] = dy[i] * (y[i] + 1)
			}
		}
	case ReLU:
		for i, v := range x {
			if v > 0 {
				dx[i] = dy[i]
			} else {
				dx[i] = 0
			}
		}
	case GELU:
		for i, v := range x {
			f := float64(v)
			cdf := 0.5 * (1 + math.Erf(f/math.Sqrt2))
			pdf := math.Exp(-0.5*f*f) / math.Sqrt(2*math.Pi)
			dx[i] = dy[i] * float32(cdf+f*pdf)
		}
	case Square:
		for i, v := range x {
			dx[i] = 2 * v * dy[i]
		}
	case SafeLog:
		// torch.clamp passes the gradient where x >= min.
		for i, v := range x {
			if v >= safeLogEps {
				dx[i] = dy[i] / v
			} else {
				dx[i] = 0
			}
		}
	}
}

// expm1Neg returns eˣ−1 for x ≤ 0 to about 1e-8 relative, faster than
// math.Expm1: a Taylor polynomial near 0, else 2ᵏ·eʳ−1 with |r| ≤ ln2/2.
func expm1Neg(x float64) float64 {
	if x > -0.35 {
		return x * (1 + x*(1.0/2+x*(1.0/6+x*(1.0/24+x*(1.0/120+x*(1.0/720+x*(1.0/5040+x/40320)))))))
	}
	if x < -40 || x != x {
		if x != x {
			return x
		}
		return -1
	}
	const (
		log2e = 1.4426950408889634
		ln2hi = 6.93147180369123816490e-01
		ln2lo = 1.90821492927058770002e-10
	)
	k := math.Floor(x*log2e + 0.5)
	r := (x - k*ln2hi) - k*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r/40320)))))))
	return p*math.Float64frombits(uint64(int64(k)+1023)<<52) - 1
}
