package nn

import (
	"runtime"
	"sync"
)

// job is a contiguous range of work items for one worker.
type job struct {
	fn        func(w, lo, hi int)
	w, lo, hi int
	wg        *sync.WaitGroup
}

// pool runs ranges of work items on long-lived goroutines, so that a
// training step starts no goroutine and allocates nothing.
type pool struct {
	workers int
	jobs    chan job
}

var (
	poolOnce sync.Once
	thePool  *pool
)

// Threads returns the number of worker goroutines the engine uses:
// runtime.GOMAXPROCS at first use.
func Threads() int { return getPool().workers }

func getPool() *pool {
	poolOnce.Do(func() {
		p := &pool{workers: max(1, runtime.GOMAXPROCS(0))}
		p.jobs = make(chan job, p.workers)
		for range p.workers - 1 {
			go func() {
				for j := range p.jobs {
					j.fn(j.w, j.lo, j.hi)
					j.wg.Done()
				}
			}()
		}
		thePool = p
	})
	return thePool
}

// split returns the number of workers used for n items.
func (p *pool) split(n int) int { return max(1, min(n, p.workers)) }

// run calls fn(w, lo, hi) for contiguous ranges covering [0, n), worker w
// of split(n); the last range runs on the calling goroutine. fn must be a
// func value made once (a stored method value), not a new closure per
// call, for the call to allocate nothing.
//
// wg is the caller's (one per layer), so that networks trained on several
// goroutines share the workers without sharing a wait.
func (p *pool) run(wg *sync.WaitGroup, n int, fn func(w, lo, hi int)) {
	nw := p.split(n)
	if nw == 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	wg.Add(nw - 1)
	for w := range nw - 1 {
		p.jobs <- job{fn: fn, w: w, lo: w * n / nw, hi: (w + 1) * n / nw, wg: wg}
	}
	fn(nw-1, (nw-1)*n/nw, n)
	wg.Wait()
}
