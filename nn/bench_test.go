package nn

import (
	"math/rand/v2"
	"testing"
)

// benchLayer times a layer's forward and backward passes on a batch of 64
// examples of shape in (EEGNet-8,2's shapes for 64 channels × 480
// samples).
func benchLayer(b *testing.B, l Layer, in Shape) {
	const n = 64
	out, err := l.Build(in)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if c, ok := l.(interface{ initWeights(*rand.Rand) }); ok {
		c.initWeights(r)
	}
	if d, ok := l.(*Dropout); ok {
		d.seed(r)
	}
	l.Reserve(n)
	x := make([]float32, n*in.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]float32, n*out.Size())
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	dx := make([]float32, len(x))
	b.Run("Forward", func(b *testing.B) {
		b.SetBytes(int64(4 * len(x)))
		for range b.N {
			l.Forward(x, y, n, true)
		}
	})
	b.Run("Backward", func(b *testing.B) {
		l.Forward(x, y, n, true)
		b.SetBytes(int64(4 * len(x)))
		b.ResetTimer()
		for range b.N {
			l.Backward(x, y, dy, dx, n)
		}
	})
}

func BenchmarkConvTemporal(b *testing.B) {
	benchLayer(b, &Conv2D{Out: 8, Kernel: [2]int{1, 64}, Same: true}, Shape{1, 64, 480})
}

func BenchmarkConvDepthwise(b *testing.B) {
	benchLayer(b, &Conv2D{Out: 16, Kernel: [2]int{64, 1}, Groups: 8, MaxNorm: 1}, Shape{8, 64, 480})
}

func BenchmarkConvSeparable(b *testing.B) {
	benchLayer(b, &Conv2D{Out: 16, Kernel: [2]int{1, 16}, Same: true, Groups: 16}, Shape{16, 1, 120})
}

func BenchmarkConvPointwise(b *testing.B) {
	benchLayer(b, &Conv2D{Out: 16, Kernel: [2]int{1, 1}}, Shape{16, 1, 120})
}

func BenchmarkConvDilated(b *testing.B) {
	benchLayer(b, &Conv2D{Out: 32, Kernel: [2]int{1, 16}, Dilation: [2]int{1, 2}, Same: true}, Shape{64, 1, 120})
}

func BenchmarkBatchNorm(b *testing.B) { benchLayer(b, &BatchNorm2D{}, Shape{8, 64, 480}) }
func BenchmarkELU(b *testing.B)       { benchLayer(b, &Act{Func: ELU}, Shape{16, 1, 480}) }
func BenchmarkAvgPool(b *testing.B)   { benchLayer(b, &Pool2D{Kernel: [2]int{1, 4}}, Shape{16, 1, 480}) }
func BenchmarkMaxPool(b *testing.B) {
	benchLayer(b, &Pool2D{Max: true, Kernel: [2]int{1, 4}}, Shape{16, 1, 480})
}
func BenchmarkDropout(b *testing.B) { benchLayer(b, &Dropout{P: 0.25}, Shape{16, 1, 120}) }
func BenchmarkDense(b *testing.B)   { benchLayer(b, &Dense{Out: 4}, Shape{16, 1, 15}) }
