package nn

import (
	"fmt"
	"math"
	"sync"
)

// Pool2D is torch.nn.AvgPool2d (count_include_pad=True, ceil_mode=False)
// or torch.nn.MaxPool2d, per channel.
type Pool2D struct {
	// Max selects max pooling; the default is average pooling.
	Max bool
	// Kernel is the window's height and width.
	Kernel [2]int
	// Stride per axis; zero means the kernel size (PyTorch's default).
	Stride [2]int
	// Padding per axis, added on both sides (zeros for the average,
	// ignored by the maximum).
	Padding [2]int

	in, out      Shape
	arg          []int32 // max: input index of each output, per batch
	x, y, dy, dx []float32
	wg           sync.WaitGroup
	fwd, bwd     func(w, lo, hi int)
}

// Kind implements Layer.
func (p *Pool2D) Kind() string {
	if p.Max {
		return "maxpool2d"
	}
	return "avgpool2d"
}

// Build implements Layer.
func (p *Pool2D) Build(in Shape) (Shape, error) {
	kh, kw := p.Kernel[0], p.Kernel[1]
	if p.Stride[0] == 0 {
		p.Stride[0] = kh
	}
	if p.Stride[1] == 0 {
		p.Stride[1] = kw
	}
	ph, pw := p.Padding[0], p.Padding[1]
	if kh <= 0 || kw <= 0 || p.Stride[0] <= 0 || p.Stride[1] <= 0 || ph < 0 || pw < 0 || 2*ph > kh || 2*pw > kw {
		return Shape{}, fmt.Errorf("%s: %w: kernel %v, stride %v, padding %v", p.Kind(), ErrConfig, p.Kernel, p.Stride, p.Padding)
	}
	if in[1]+2*ph < kh || in[2]+2*pw < kw {
		return Shape{}, fmt.Errorf("%s: %w: input %v is smaller than the %dx%d window", p.Kind(), ErrShape, in, kh, kw)
	}
	p.in = in
	p.out = Shape{in[0], (in[1]+2*ph-kh)/p.Stride[0] + 1, (in[2]+2*pw-kw)/p.Stride[1] + 1}
	p.fwd, p.bwd = p.forwardRange, p.backwardRange
	return p.out, nil
}

// Params implements Layer.
func (p *Pool2D) Params() []*Param { return nil }

// Reserve implements Layer.
func (p *Pool2D) Reserve(n int) {
	if p.Max && len(p.arg) < n*p.out.Size() {
		p.arg = make([]int32, n*p.out.Size())
	}
}

// Forward implements Layer.
func (p *Pool2D) Forward(x, y []float32, n int, _ bool) {
	p.x, p.y = x, y
	getPool().run(&p.wg, n*p.in[0], p.fwd)
	p.x, p.y = nil, nil
}

// Backward implements Layer.
func (p *Pool2D) Backward(x, y, dy, dx []float32, n int) {
	if dx == nil {
		return
	}
	p.dy, p.dx = dy, dx
	getPool().run(&p.wg, n*p.in[0], p.bwd)
	p.dy, p.dx = nil, nil
}

// forwardRange pools planes (example·channel) lo to hi.
func (p *Pool2D) forwardRange(_, lo, hi int) {
	H, W := p.in[1], p.in[2]
	ho, wo := p.out[1], p.out[2]
	kh, kw := p.Kernel[0], p.Kernel[1]
	sh, sw := p.Stride[0], p.Stride[1]
	ph, pw := p.Padding[0], p.Padding[1]
	inv := 1 / float32(kh*kw)
	for pl := lo; pl < hi; pl++ {
		x := p.x[pl*H*W : (pl+1)*H*W]
		y := p.y[pl*ho*wo : (pl+1)*ho*wo]
		for i := range ho {
			for j := range wo {
				h0, w0 := i*sh-ph, j*sw-pw
				if p.Max {
					best, arg := float32(math.Inf(-1)), int32(-1)
					for a := max(h0, 0); a < min(h0+kh, H); a++ {
						for b := max(w0, 0); b < min(w0+kw, W); b++ {
							if v := x[a*W+b]; v > best || arg < 0 || v != v {
								best, arg = v, int32(a*W+b)
								if v != v {
									break
								}
							}
						}
					}
					y[i*wo+j] = best
					p.arg[pl*ho*wo+i*wo+j] = arg
					continue
				}
				var s float32
				for a := max(h0, 0); a < min(h0+kh, H); a++ {
					for _, v := range x[a*W+max(w0, 0) : a*W+min(w0+kw, W)] {
						s += v
					}
				}
				y[i*wo+j] = s * inv
			}
		}
	}
}

func (p *Pool2D) backwardRange(_, lo, hi int) {
	H, W := p.in[1], p.in[2]
	ho, wo := p.out[1], p.out[2]
	kh, kw := p.Kernel[0], p.Kernel[1]
	sh, sw := p.Stride[0], p.Stride[1]
	ph, pw := p.Padding[0], p.Padding[1]
	inv := 1 / float32(kh*kw)
	for pl := lo; pl < hi; pl++ {
		dx := p.dx[pl*H*W : (pl+1)*H*W]
		dy := p.dy[pl*ho*wo : (pl+1)*ho*wo]
		clear(dx)
		for i := range ho {
			for j := range wo {
				g := dy[i*wo+j]
				if p.Max {
					dx[p.arg[pl*ho*wo+i*wo+j]] += g
					continue
				}
				g *= inv
				h0, w0 := i*sh-ph, j*sw-pw
				for a := max(h0, 0); a < min(h0+kh, H); a++ {
					r := dx[a*W+max(w0, 0) : a*W+min(w0+kw, W)]
					for b := range r {
						r[b] += g
					}
				}
			}
		}
	}
}
