// Package parallel runs independent work items (channels, trials) on all
// cores, with a worker index for per-worker scratch memory.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers is the number of workers for n independent channels: at
// most runtime.GOMAXPROCS(0), at least 1.
func Workers(n int) int {
	return max(1, min(n, runtime.GOMAXPROCS(0)))
}

// ForEach calls f(worker, i) for every i in [0, n) from the given number
// of goroutines; worker is in [0, workers) and no two running calls share
// a worker index, so f may use per-worker scratch memory.
func ForEach(n, workers int, f func(worker, i int)) {
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}
