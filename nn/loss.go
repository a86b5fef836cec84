package nn

import (
	"fmt"
	"math"
)

// CrossEntropy is torch.nn.CrossEntropyLoss on logits [k][classes] with
// integer targets and optional per-class weights (nil: all 1), mean
// reduction: Σ wᵧ·(−log softmax(z)ᵧ) / Σ wᵧ. It writes the gradient with
// respect to the logits into grad (same length as logits) and returns the
// loss and the number of correct argmax predictions.
func CrossEntropy(logits []float32, target []int, weights []float32, grad []float32) (loss float64, correct int, err error) {
	k := len(target)
	if k == 0 || len(logits)%k != 0 {
		return 0, 0, fmt.Errorf("nn: cross-entropy: %w: %d logits for %d targets", ErrShape, len(logits), k)
	}
	c := len(logits) / k
	if weights != nil && len(weights) != c {
		return 0, 0, fmt.Errorf("nn: cross-entropy: %w: %d class weights for %d classes", ErrShape, len(weights), c)
	}
	var wsum float64
	for i, t := range target {
		if t < 0 || t >= c {
			return 0, 0, fmt.Errorf("nn: cross-entropy: %w: target %d of example %d is not a class index below %d", ErrConfig, t, i, c)
		}
		w := 1.0
		if weights != nil {
			w = float64(weights[t])
		}
		wsum += w
	}
	if !(wsum > 0) {
		return 0, 0, fmt.Errorf("nn: cross-entropy: %w: class weights of the batch sum to %g", ErrConfig, wsum)
	}
	for i, t := range target {
		z := logits[i*c : (i+1)*c]
		g := grad[i*c : (i+1)*c]
		mx := z[0]
		arg := 0
		for j, v := range z {
			if v > mx {
				mx, arg = v, j
			}
		}
		if arg == t {
			correct++
		}
		var s float64
		for _, v := range z {
			s += math.Exp(float64(v - mx))
		}
		lse := float64(mx) + math.Log(s)
		w := 1.0
		if weights != nil {
			w = float64(weights[t])
		}
		loss += w * (lse - float64(z[t]))
		for j, v := range z {
			p := math.Exp(float64(v) - lse)
			if j == t {
				p--
			}
			g[j] = float32(w * p / wsum)
		}
	}
	return loss / wsum, correct, nil
}
