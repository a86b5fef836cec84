package dsp

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEachChannel runs work for channels 0..n-1 on a pool of
// min(n, GOMAXPROCS) goroutines. newWorker is called once per goroutine and
// returns that goroutine's work function, so that each worker allocates its
// workspace once and reuses it for every channel it takes. The error
// returned is that of the lowest-numbered failing channel.
func forEachChannel(n int, newWorker func() func(ch int) error) error {
	if n == 0 {
		return nil
	}
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	errs := make([]error, n)
	if workers == 1 {
		work := newWorker()
		for ch := 0; ch < n; ch++ {
			errs[ch] = work(ch)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		wg.Add(workers)
		for w := 0; w < workers; w++ {
			go func() {
				defer wg.Done()
				work := newWorker()
				for {
					ch := int(next.Add(1) - 1)
					if ch >= n {
						return
					}
					errs[ch] = work(ch)
				}
			}()
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// prepareDst returns dst sized like src, allocating what is nil or of the
// wrong length. dst may be src itself (in-place filtering).
func prepareDst(dst, src [][]float64) [][]float64 {
	if dst == nil {
		dst = make([][]float64, len(src))
	}
	if len(dst) != len(src) {
		panic("dsp: dst and src have different numbers of channels")
	}
	for i := range src {
		if dst[i] == nil {
			dst[i] = make([]float64, len(src[i]))
		} else if len(dst[i]) != len(src[i]) {
			panic("dsp: dst and src channels have different lengths")
		}
	}
	return dst
}
