package nn_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/nn"
)

// Train a small convolutional network to tell which of two electrodes
// carries an oscillation.
func Example() {
	net, err := nn.NewNet(nn.Shape{1, 2, 16},
		&nn.Conv2D{Out: 4, Kernel: [2]int{1, 5}, Same: true},
		&nn.BatchNorm2D{},
		&nn.Conv2D{Out: 4, Kernel: [2]int{2, 1}, Groups: 4},
		&nn.Act{Func: nn.ELU},
		&nn.Pool2D{Kernel: [2]int{1, 4}},
		&nn.Flatten{},
		&nn.Dense{Out: 2},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	net.Init(1)
	var x []float32
	var y []int
	for i := range 40 {
		c := i % 2
		for e := range 2 {
			for t := range 16 {
				v := 0.1 * math.Cos(float64(7*i+3*t))
				if e == c {
					v += math.Sin(float64(t) * math.Pi / 2)
				}
				x = append(x, float32(v))
			}
		}
		y = append(y, c)
	}
	h, err := nn.Train(net, x, y, nn.TrainConfig{Epochs: 30, BatchSize: 8, LR: 0.01, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d parameters, training accuracy %.1f\n", net.NumParams(), h.Epochs[len(h.Epochs)-1].Acc)
	// Output: 70 parameters, training accuracy 1.0
}
