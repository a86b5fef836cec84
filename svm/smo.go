package svm

import "math"

// This file is a Go port of the C-SVC part of LIBSVM's Solver (svm.cpp,
// Chang & Lin, as shipped in scikit-learn 1.2's sklearn/svm/src/libsvm):
// the SMO algorithm of Fan, Chen & Lin (JMLR 6, 2005) with second-order
// working-set selection (WSS3) and LIBSVM's shrinking heuristic. The
// order of operations, the float32 kernel matrix (LIBSVM's Qfloat) and
// every tie-breaking comparison follow the C++ code, so that the iterates
// are LIBSVM's.
//
// It solves
//
//	min ½ αᵀQα − eᵀα   subject to   yᵀα = 0,   0 ≤ α_i ≤ C_i,
//
// with Q_ij = y_i y_j K(x_i, x_j).

const (
	lowerBound byte = iota
	upperBound
	free
)

// tau replaces a non-positive curvature in the working-set selection.
const tau = 1e-12

// smo is the solver state. Its arrays are permuted by shrinking (swap);
// active[i] is the original index of position i.
type smo struct {
	l          int
	activeSize int
	y          []int8
	g          []float64 // gradient
	gBar       []float64 // gradient part from variables at the upper bound
	alpha      []float64
	status     []byte
	c          []float64
	p          []float64
	active     []int
	q          []float32 // l × l, rows and columns permuted with the arrays
	qd         []float64
	eps        float64
	unshrink   bool
}

// solveCSVC runs the solver on the l × l matrix q (already multiplied by
// y_i y_j and rounded to float32, in the order of y), its exact diagonal
// qd, the labels y (±1) and the per-sample bounds c. It returns the signed
// coefficients y_i α_i in the original order, ρ, the number of iterations
// and whether it converged within maxIter iterations (maxIter < 0: no
// limit).
func solveCSVC(q []float32, qd []float64, y []int8, c []float64, eps float64, shrinking bool, maxIter int) (coef []float64, rho float64, iter int, ok bool) {
	l := len(y)
	s := &smo{
		l: l, activeSize: l, eps: eps,
		y:      append([]int8(nil), y...),
		g:      make([]float64, l),
		gBar:   make([]float64, l),
		alpha:  make([]float64, l),
		status: make([]byte, l),
		c:      append([]float64(nil), c...),
		p:      make([]float64, l),
		active: make([]int, l),
		q:      append([]float32(nil), q...),
		qd:     append([]float64(nil), qd...),
	}
	for i := range l {
		s.p[i] = -1
		s.g[i] = -1 // p_i (α = 0)
		s.active[i] = i
		s.updateStatus(i)
	}

	ok = true
	counter := min(l, 1000) + 1
	for {
		if maxIter >= 0 && iter >= maxIter {
			ok = false
			break
		}
		counter--
		if counter == 0 {
			counter = min(l, 1000)
			if shrinking {
				s.shrink()
			}
		}
		i, j, optimal := s.selectWorkingSet()
		if optimal {
			s.reconstructGradient()
			s.activeSize = l
			i, j, optimal = s.selectWorkingSet()
			if optimal {
				break
			}
			counter = 1 // shrink at the next iteration
		}
		iter++
		s.update(i, j)
	}

	rho = s.calculateRho()
	coef = make([]float64, l)
	for i := range l {
		coef[s.active[i]] = s.alpha[i]
	}
	for i := range l {
		coef[i] *= float64(y[i])
	}
	return coef, rho, iter, ok
}

func (s *smo) row(i int) []float32 { return s.q[i*s.l : (i+1)*s.l] }

func (s *smo) updateStatus(i int) {
	switch {
	case s.alpha[i] >= s.c[i]:
		s.status[i] = upperBound
	case s.alpha[i] <= 0:
		s.status[i] = lowerBound
	default:
		s.status[i] = free
	}
}

func (s *smo) isUpper(i int) bool { return s.status[i] == upperBound }
func (s *smo) isLower(i int) bool { return s.status[i] == lowerBound }
func (s *smo) isFree(i int) bool  { return s.status[i] == free }

// update takes the SMO step on the pair (i, j) and updates the gradients.
func (s *smo) update(i, j int) {
	qi, qj := s.row(i), s.row(j)
	ci, cj := s.c[i], s.c[j]
	oldI, oldJ := s.alpha[i], s.alpha[j]
	a := s.alpha
	if s.y[i] != s.y[j] {
		quad := s.qd[i] + s.qd[j] + 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
		}
		delta := (-s.g[i] - s.g[j]) / quad
		diff := a[i] - a[j]
		a[i] += delta
		a[j] += delta
		if diff > 0 {
			if a[j] < 0 {
				a[j] = 0
				a[i] = diff
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = -diff
		}
		if diff > ci-cj {
			if a[i] > ci {
				a[i] = ci
				a[j] = ci - diff
			}
		} else if a[j] > cj {
			a[j] = cj
			a[i] = cj + diff
		}
	} else {
		quad := s.qd[i] + s.qd[j] - 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
		}
		delta := (s.g[i] - s.g[j]) / quad
		sum := a[i] + a[j]
		a[i] -= delta
		a[j] += delta
		if sum > ci {
			if a[i] > ci {
				a[i] = ci
				a[j] = sum - ci
			}
		} else if a[j] < 0 {
			a[j] = 0
			a[i] = sum
		}
		if sum > cj {
			if a[j] > cj {
				a[j] = cj
				a[i] = sum - cj
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = sum
		}
	}

	dai, daj := a[i]-oldI, a[j]-oldJ
	for k := range s.activeSize {
		s.g[k] += float64(qi[k])*dai + float64(qj[k])*daj
	}

	ui, uj := s.isUpper(i), s.isUpper(j)
	s.updateStatus(i)
	s.updateStatus(j)
	if ui != s.isUpper(i) {
		if ui {
			for k := range s.l {
				s.gBar[k] -= ci * float64(qi[k])
			}
		} else {
			for k := range s.l {
				s.gBar[k] += ci * float64(qi[k])
			}
		}
	}
	if uj != s.isUpper(j) {
		if uj {
			for k := range s.l {
				s.gBar[k] -= cj * float64(qj[k])
			}
		} else {
			for k := range s.l {
				s.gBar[k] += cj * float64(qj[k])
			}
		}
	}
}

// selectWorkingSet is LIBSVM's WSS3; it reports optimal when the maximal
// violation is below eps.
func (s *smo) selectWorkingSet() (outI, outJ int, optimal bool) {
	gmax, gmax2 := math.Inf(-1), math.Inf(-1)
	gmaxIdx, gminIdx := -1, -1
	objDiffMin := math.Inf(1)
	for t := range s.activeSize {
		if s.y[t] == 1 {
			if !s.isUpper(t) && -s.g[t] >= gmax {
				gmax = -s.g[t]
				gmaxIdx = t
			}
		} else if !s.isLower(t) && s.g[t] >= gmax {
			gmax = s.g[t]
			gmaxIdx = t
		}
	}
	i := gmaxIdx
	var qi []float32
	if i != -1 {
		qi = s.row(i)
	}
	for j := range s.activeSize {
		if s.y[j] == 1 {
			if !s.isLower(j) {
				gradDiff := gmax + s.g[j]
				if s.g[j] >= gmax2 {
					gmax2 = s.g[j]
				}
				if gradDiff > 0 {
					quad := s.qd[i] + s.qd[j] - 2.0*float64(s.y[i])*float64(qi[j])
					var objDiff float64
					if quad > 0 {
						objDiff = -(gradDiff * gradDiff) / quad
					} else {
						objDiff = -(gradDiff * gradDiff) / tau
					}
					if objDiff <= objDiffMin {
						gminIdx = j
						objDiffMin = objDiff
					}
				}
			}
		} else if !s.isUpper(j) {
			gradDiff := gmax - s.g[j]
			if -s.g[j] >= gmax2 {
				gmax2 = -s.g[j]
			}
			if gradDiff > 0 {
				quad := s.qd[i] + s.qd[j] + 2.0*float64(s.y[i])*float64(qi[j])
				var objDiff float64
				if quad > 0 {
					objDiff = -(gradDiff * gradDiff) / quad
				} else {
					objDiff = -(gradDiff * gradDiff) / tau
				}
				if objDiff <= objDiffMin {
					gminIdx = j
					objDiffMin = objDiff
				}
			}
		}
	}
	if gmax+gmax2 < s.eps || gminIdx == -1 {
		return 0, 0, true
	}
	return gmaxIdx, gminIdx, false
}

// reconstructGradient recomputes the gradient of the shrunk variables from
// gBar and the free variables.
func (s *smo) reconstructGradient() {
	if s.activeSize == s.l {
		return
	}
	for j := s.activeSize; j < s.l; j++ {
		s.g[j] = s.gBar[j] + s.p[j]
	}
	nFree := 0
	for j := range s.activeSize {
		if s.isFree(j) {
			nFree++
		}
	}
	if nFree*s.l > 2*s.activeSize*(s.l-s.activeSize) {
		for i := s.activeSize; i < s.l; i++ {
			qi := s.row(i)
			for j := range s.activeSize {
				if s.isFree(j) {
					s.g[i] += s.alpha[j] * float64(qi[j])
				}
			}
		}
	} else {
		for i := range s.activeSize {
			if s.isFree(i) {
				qi := s.row(i)
				ai := s.alpha[i]
				for j := s.activeSize; j < s.l; j++ {
					s.g[j] += ai * float64(qi[j])
				}
			}
		}
	}
}

func (s *smo) beShrunk(i int, gmax1, gmax2 float64) bool {
	switch {
	case s.isUpper(i):
		if s.y[i] == 1 {
			return -s.g[i] > gmax1
		}
		return -s.g[i] > gmax2
	case s.isLower(i):
		if s.y[i] == 1 {
			return s.g[i] > gmax2
		}
		return s.g[i] > gmax1
	}
	return false
}

// shrink is LIBSVM's do_shrinking.
func (s *smo) shrink() {
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
	for i := range s.activeSize {
		if s.y[i] == 1 {
			if !s.isUpper(i) && -s.g[i] >= gmax1 {
				gmax1 = -s.g[i]
			}
			if !s.isLower(i) && s.g[i] >= gmax2 {
				gmax2 = s.g[i]
			}
		} else {
			if !s.isUpper(i) && -s.g[i] >= gmax2 {
				gmax2 = -s.g[i]
			}
			if !s.isLower(i) && s.g[i] >= gmax1 {
				gmax1 = s.g[i]
			}
		}
	}
	if !s.unshrink && gmax1+gmax2 <= s.eps*10 {
		s.unshrink = true
		s.reconstructGradient()
		s.activeSize = s.l
	}
	for i := 0; i < s.activeSize; i++ {
		if s.beShrunk(i, gmax1, gmax2) {
			s.activeSize--
			for s.activeSize > i {
				if !s.beShrunk(s.activeSize, gmax1, gmax2) {
					s.swap(i, s.activeSize)
					break
				}
				s.activeSize--
			}
		}
	}
}

// swap exchanges positions i and j of every array and of Q's rows and
// columns.
func (s *smo) swap(i, j int) {
	if i == j {
		return
	}
	s.y[i], s.y[j] = s.y[j], s.y[i]
	s.g[i], s.g[j] = s.g[j], s.g[i]
	s.status[i], s.status[j] = s.status[j], s.status[i]
	s.alpha[i], s.alpha[j] = s.alpha[j], s.alpha[i]
	s.p[i], s.p[j] = s.p[j], s.p[i]
	s.active[i], s.active[j] = s.active[j], s.active[i]
	s.gBar[i], s.gBar[j] = s.gBar[j], s.gBar[i]
	s.c[i], s.c[j] = s.c[j], s.c[i]
	s.qd[i], s.qd[j] = s.qd[j], s.qd[i]
	ri, rj := s.row(i), s.row(j)
	for k := range ri {
		ri[k], rj[k] = rj[k], ri[k]
	}
	for k := range s.l {
		r := s.row(k)
		r[i], r[j] = r[j], r[i]
	}
}

// calculateRho returns ρ: the mean of y_i G_i over the free variables, or
// the midpoint of the feasible interval when none is free.
func (s *smo) calculateRho() float64 {
	nFree := 0
	ub, lb, sumFree := math.Inf(1), math.Inf(-1), 0.0
	for i := range s.activeSize {
		yg := float64(s.y[i]) * s.g[i]
		switch {
		case s.isUpper(i):
			if s.y[i] == -1 {
				ub = math.Min(ub, yg)
			} else {
				lb = math.Max(lb, yg)
			}
		case s.isLower(i):
			if s.y[i] == 1 {
				ub = math.Min(ub, yg)
			} else {
				lb = math.Max(lb, yg)
			}
		default:
			nFree++
			sumFree += yg
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}
