package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/bcikit/bcikit/internal/f32"
)

// Init selects how a layer's weights are drawn.
type Init int

const (
	// DefaultInit is PyTorch's: weights Kaiming-uniform with a=√5, i.e.
	// U(±1/√fan_in), biases U(±1/√fan_in).
	DefaultInit Init = iota
	// XavierInit is Glorot-uniform weights, U(±√(6/(fan_in+fan_out))),
	// and zero biases (braindecode's ShallowFBCSPNet).
	XavierInit
)

// Conv2D is torch.nn.Conv2d: a 2-D cross-correlation with padding,
// stride, dilation and groups (Groups = input channels is a depthwise
// convolution). Its weight has PyTorch's layout
// [Out, In/Groups, Kernel[0], Kernel[1]].
type Conv2D struct {
	// Out is the number of output channels.
	Out int
	// Kernel is the kernel's height and width.
	Kernel [2]int
	// Stride and Dilation per axis; zero means 1.
	Stride, Dilation [2]int
	// Padding is top, bottom, left, right (zeros).
	Padding [4]int
	// Same pads as PyTorch's padding="same" (stride 1): the total
	// dilation·(k-1) per axis, the smaller half before.
	Same bool
	// Groups splits the channels into groups convolved separately; zero
	// means 1.
	Groups int
	// Bias adds a learned bias per output channel.
	Bias bool
	// MaxNorm, when positive, rescales each output filter to an L2 norm
	// of at most MaxNorm before every training forward pass, as
	// braindecode's Conv2dWithConstraint (torch.renorm) does.
	MaxNorm float32
	// Init is the weight initialisation.
	Init Init

	in, out      Shape
	kdim         int  // In/Groups · kh · kw
	pointwise    bool // the input is the im2col matrix
	weight, bias *Param
	rows         int // output rows per im2col chunk
	cols, dcols  [][]float32
	wg           sync.WaitGroup
	x, y, dy, dx []float32
	fwd, bwd     func(w, lo, hi int)
	gw, gb       [][]float32
}

// Kind implements Layer.
func (c *Conv2D) Kind() string { return "conv2d" }

func one(v int) int {
	if v == 0 {
		return 1
	}
	return v
}

// Build implements Layer.
func (c *Conv2D) Build(in Shape) (Shape, error) {
	g := one(c.Groups)
	sh, sw := one(c.Stride[0]), one(c.Stride[1])
	dh, dw := one(c.Dilation[0]), one(c.Dilation[1])
	kh, kw := c.Kernel[0], c.Kernel[1]
	if c.Out <= 0 || kh <= 0 || kw <= 0 || g <= 0 || sh < 0 || sw < 0 || dh < 0 || dw < 0 {
		return Shape{}, fmt.Errorf("conv2d: %w: out %d, kernel %v, groups %d", ErrConfig, c.Out, c.Kernel, g)
	}
	if in[0]%g != 0 || c.Out%g != 0 {
		return Shape{}, fmt.Errorf("conv2d: %w: %d input and %d output channels are not divisible by %d groups", ErrShape, in[0], c.Out, g)
	}
	if c.Same {
		if sh != 1 || sw != 1 {
			return Shape{}, fmt.Errorf("conv2d: %w: padding same needs stride 1", ErrConfig)
		}
		th, tw := dh*(kh-1), dw*(kw-1)
		c.Padding = [4]int{th / 2, th - th/2, tw / 2, tw - tw/2}
	}
	p := c.Padding
	ho := (in[1]+p[0]+p[1]-dh*(kh-1)-1)/sh + 1
	wo := (in[2]+p[2]+p[3]-dw*(kw-1)-1)/sw + 1
	if in[1]+p[0]+p[1] < dh*(kh-1)+1 || in[2]+p[2]+p[3] < dw*(kw-1)+1 {
		return Shape{}, fmt.Errorf("conv2d: %w: input %v is smaller than the %dx%d kernel (dilation %d,%d)", ErrShape, in, kh, kw, dh, dw)
	}
	c.Groups, c.Stride, c.Dilation = g, [2]int{sh, sw}, [2]int{dh, dw}
	c.in, c.out = in, Shape{c.Out, ho, wo}
	c.kdim = in[0] / g * kh * kw
	if c.weight == nil || len(c.weight.W) != c.Out*c.kdim {
		c.weight = newParam("weight", true, c.Out, in[0]/g, kh, kw)
		c.bias = nil
		if c.Bias {
			c.bias = newParam("bias", true, c.Out)
		}
	}
	// im2col in chunks of output rows of about 256 K values.
	c.rows = max(1, min(ho, (1<<18)/max(1, c.kdim*wo)))
	// (internal/f32's Correlate kernels, which avoid the im2col copy, were
	// measured slower than im2col + Gemm on EEGNet's temporal convolution,
	// backward pass included.)
	// A 1×1 convolution, and one whose kernel spans the input's height
	// with width 1 (EEGNet's spatial filter), reads its input as the
	// im2col matrix.
	c.pointwise = kw == 1 && (kh == 1 || kh == in[1]) && sh == 1 && sw == 1 && dh == 1 && p == [4]int{}
	if c.pointwise {
		c.rows = ho
	}
	c.fwd, c.bwd = c.forwardRange, c.backwardRange
	return c.out, nil
}

// Params implements Layer.
func (c *Conv2D) Params() []*Param {
	if c.bias != nil {
		return []*Param{c.weight, c.bias}
	}
	return []*Param{c.weight}
}

func (c *Conv2D) initWeights(r *rand.Rand) {
	fanIn := c.kdim
	fanOut := c.Out / c.Groups * c.Kernel[0] * c.Kernel[1]
	initUniform(r, c.Init, c.weight, c.bias, fanIn, fanOut)
}

// initUniform draws weight and bias as PyTorch's default or Xavier
// initialisation.
func initUniform(r *rand.Rand, how Init, w, b *Param, fanIn, fanOut int) {
	bound := float32(1 / math.Sqrt(float64(fanIn)))
	wb := bound
	if how == XavierInit {
		wb = float32(math.Sqrt(6 / float64(fanIn+fanOut)))
	}
	for i := range w.W {
		w.W[i] = (2*r.Float32() - 1) * wb
	}
	if b != nil {
		for i := range b.W {
			if how == XavierInit {
				b.W[i] = 0
			} else {
				b.W[i] = (2*r.Float32() - 1) * bound
			}
		}
	}
}

// Reserve implements Layer.
func (c *Conv2D) Reserve(n int) {
	nw := getPool().split(n)
	size := c.kdim * c.rows * c.out[2]
	for len(c.cols) < nw {
		c.cols = append(c.cols, make([]float32, size))
		c.dcols = append(c.dcols, make([]float32, size))
	}
}

// renorm applies the max-norm constraint.
func renorm(w []float32, rows int, maxNorm float32) {
	k := len(w) / rows
	for o := range rows {
		r := w[o*k : (o+1)*k]
		var s float64
		for _, v := range r {
			s += float64(v) * float64(v)
		}
		if n := math.Sqrt(s); n > float64(maxNorm) {
			f := float32(float64(maxNorm) / (n + 1e-7))
			for i := range r {
				r[i] *= f
			}
		}
	}
}

// constrain applies the max-norm constraint.
func (c *Conv2D) constrain() {
	if c.MaxNorm > 0 {
		renorm(c.weight.W, c.Out, c.MaxNorm)
	}
}

// Forward implements Layer.
func (c *Conv2D) Forward(x, y []float32, n int, train bool) {
	if train {
		c.constrain()
	}
	c.x, c.y = x, y
	getPool().run(&c.wg, n, c.fwd)
	c.x, c.y = nil, nil
}

// im2col fills col [kdim][(h1-h0)·Wo] with the input patches of output rows
// [h0, h1) of group g.
func (c *Conv2D) im2col(col, x []float32, g, h0, h1 int) {
	cin := c.in[0] / c.Groups
	H, W := c.in[1], c.in[2]
	kh, kw := c.Kernel[0], c.Kernel[1]
	sh, sw := c.Stride[0], c.Stride[1]
	dh, dw := c.Dilation[0], c.Dilation[1]
	pt, pl := c.Padding[0], c.Padding[2]
	wo := c.out[2]
	nr := (h1 - h0) * wo
	for ci := range cin {
		xc := x[(g*cin+ci)*H*W:]
		for i := range kh {
			for j := range kw {
				row := col[((ci*kh+i)*kw+j)*nr:][:nr]
				for h := h0; h < h1; h++ {
					dst := row[(h-h0)*wo : (h-h0+1)*wo]
					ih := h*sh - pt + i*dh
					if ih < 0 || ih >= H {
						clear(dst)
						continue
					}
					xr := xc[ih*W : (ih+1)*W]
					off := j*dw - pl
					if sw == 1 {
						// dst[o] = xr[o+off] where in range
						lo := min(wo, max(0, -off))
						hi := max(lo, min(wo, W-off))
						if hi < lo {
							hi = lo
						}
						clear(dst[:lo])
						if hi > lo {
							copy(dst[lo:hi], xr[lo+off:hi+off])
						}
						clear(dst[hi:])
						continue
					}
					for o := range dst {
						iw := o*sw + off
						if iw >= 0 && iw < W {
							dst[o] = xr[iw]
						} else {
							dst[o] = 0
						}
					}
				}
			}
		}
	}
}

// col2im adds col [kdim][(h1-h0)·Wo] back into the input gradient dx.
func (c *Conv2D) col2im(col, dx []float32, g, h0, h1 int) {
	cin := c.in[0] / c.Groups
	H, W := c.in[1], c.in[2]
	kh, kw := c.Kernel[0], c.Kernel[1]
	sh, sw := c.Stride[0], c.Stride[1]
	dh, dw := c.Dilation[0], c.Dilation[1]
	pt, pl := c.Padding[0], c.Padding[2]
	wo := c.out[2]
	nr := (h1 - h0) * wo
	for ci := range cin {
		xc := dx[(g*cin+ci)*H*W:]
		for i := range kh {
			for j := range kw {
				row := col[((ci*kh+i)*kw+j)*nr:][:nr]
				for h := h0; h < h1; h++ {
					src := row[(h-h0)*wo : (h-h0+1)*wo]
					ih := h*sh - pt + i*dh
					if ih < 0 || ih >= H {
						continue
					}
					xr := xc[ih*W : (ih+1)*W]
					off := j*dw - pl
					if sw == 1 {
						lo := min(wo, max(0, -off))
						hi := max(lo, min(wo, W-off))
						if hi > lo {
							axpy(xr[lo+off:hi+off], src[lo:hi], 1)
						}
						continue
					}
					for o, v := range src {
						iw := o*sw + off
						if iw >= 0 && iw < W {
							xr[iw] += v
						}
					}
				}
			}
		}
	}
}

func (c *Conv2D) forwardRange(w, lo, hi int) {
	col := c.cols[w]
	inSize, outSize := c.in.Size(), c.out.Size()
	g := c.Groups
	coutG := c.Out / g
	ho, wo := c.out[1], c.out[2]
	hw := ho * wo
	for s := lo; s < hi; s++ {
		x := c.x[s*inSize : (s+1)*inSize]
		y := c.y[s*outSize : (s+1)*outSize]
		for gi := range g {
			for h0 := 0; h0 < ho; h0 += c.rows {
				h1 := min(ho, h0+c.rows)
				nr := (h1 - h0) * wo
				cg := col
				if c.pointwise {
					cg = x[gi*c.kdim*hw:]
				} else {
					c.im2col(col, x, gi, h0, h1)
				}
				gemmSerial(false, false, coutG, nr, c.kdim, 1, c.weight.W[gi*coutG*c.kdim:], c.kdim, cg, nr, 0, y[gi*coutG*hw+h0*wo:], hw)
			}
		}
		if c.bias != nil {
			for o, b := range c.bias.W {
				yo := y[o*hw : (o+1)*hw]
				for i := range yo {
					yo[i] += b
				}
			}
		}
	}
}

// Backward implements Layer.
func (c *Conv2D) Backward(x, y, dy, dx []float32, n int) {
	nw := getPool().split(n)
	c.gw = c.weight.workerGrads(nw)
	if c.bias != nil {
		c.gb = c.bias.workerGrads(nw)
	}
	c.x, c.dy, c.dx = x, dy, dx
	getPool().run(&c.wg, n, c.bwd)
	c.x, c.dy, c.dx = nil, nil, nil
	c.weight.addWorkerGrads(nw)
	if c.bias != nil {
		c.bias.addWorkerGrads(nw)
	}
}

func (c *Conv2D) backwardRange(w, lo, hi int) {
	gw := c.gw[w]
	col, dcol := c.cols[w], c.dcols[w]
	inSize, outSize := c.in.Size(), c.out.Size()
	g := c.Groups
	coutG := c.Out / g
	ho, wo := c.out[1], c.out[2]
	hw := ho * wo
	for s := lo; s < hi; s++ {
		x := c.x[s*inSize : (s+1)*inSize]
		dy := c.dy[s*outSize : (s+1)*outSize]
		var dx []float32
		if c.dx != nil {
			dx = c.dx[s*inSize : (s+1)*inSize]
			clear(dx)
		}
		for gi := range g {
			wg := c.weight.W[gi*coutG*c.kdim:]
			for h0 := 0; h0 < ho; h0 += c.rows {
				h1 := min(ho, h0+c.rows)
				nr := (h1 - h0) * wo
				dyg := dy[gi*coutG*hw+h0*wo:]
				cg := col
				if c.pointwise {
					cg = x[gi*c.kdim*hw:]
				} else {
					c.im2col(col, x, gi, h0, h1)
				}
				gemmSerial(false, true, coutG, c.kdim, nr, 1, dyg, hw, cg, nr, 1, gw[gi*coutG*c.kdim:], c.kdim)
				if dx != nil {
					if c.pointwise {
						gemmSerial(true, false, c.kdim, nr, coutG, 1, wg, c.kdim, dyg, hw, 0, dx[gi*c.kdim*hw:], hw)
						continue
					}
					gemmSerial(true, false, c.kdim, nr, coutG, 1, wg, c.kdim, dyg, hw, 0, dcol, nr)
					c.col2im(dcol, dx, gi, h0, h1)
				}
			}
		}
	}
	c.biasGrad(w, lo, hi)
}

// biasGrad adds the bias gradient of examples [lo, hi) to worker w's.
func (c *Conv2D) biasGrad(w, lo, hi int) {
	if c.bias == nil {
		return
	}
	outSize := c.out.Size()
	hw := c.out[1] * c.out[2]
	gb := c.gb[w]
	for s := lo; s < hi; s++ {
		dy := c.dy[s*outSize : (s+1)*outSize]
		for o := range gb {
			gb[o] += f32.Sum(dy[o*hw : (o+1)*hw])
		}
	}
}
