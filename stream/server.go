package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"
)

// Server fans one Source out to subscribers. The zero value is usable:
// Float64 samples, 256 chunks of queue per subscriber, 5 s to write a frame
// or to say hello, drops logged with the log package.
type Server struct {
	// Format is the sample format for subscribers whose hello leaves the
	// choice to the server (default Float64).
	Format SampleFormat
	// Queue is the number of chunks waiting for a subscriber before it is
	// dropped as too slow (default 256: 8 s of 1/32 s chunks).
	Queue int
	// WriteTimeout drops a subscriber that does not take a frame within it
	// (default 5 s).
	WriteTimeout time.Duration
	// HelloTimeout drops a connection that has not sent its hello within
	// it (default 5 s).
	HelloTimeout time.Duration
	// Logf reports connections and drops (default log.Printf).
	Logf func(format string, args ...any)
	// Backpressure makes Serve wait, up to WriteTimeout, for room in a
	// full subscriber queue before dropping it, so that the slowest
	// subscriber sets the pace. Use it for sources that are not live (a
	// replay with no pacing); a live source should not wait for anyone.
	Backpressure bool
	// WaitFor makes Serve wait until that many subscribers have joined
	// before it reads the first chunk of the source (default 0: start at
	// once), so that a short replay is not over before anyone listens.
	WaitFor int
}

// Serve is (&Server{}).Serve.
func Serve(ctx context.Context, ln net.Listener, src Source) error {
	var s Server
	return s.Serve(ctx, ln, src)
}

// subscriber is one connected subscriber: its frames go through q to its
// writer goroutine.
type subscriber struct {
	p      *peer
	f      SampleFormat
	q      chan []byte
	quit   chan struct{}
	once   sync.Once
	reason string
	final  string // set before q is closed: send it as an error frame, not the end
}

// drop makes the writer close the connection, logging why (once).
func (s *Server) drop(sub *subscriber, format string, a ...any) {
	sub.once.Do(func() {
		sub.reason = fmt.Sprintf(format, a...)
		s.logf("stream: dropped subscriber %s: %s", sub.p.name, sub.reason)
		close(sub.quit)
		sub.p.c.SetWriteDeadline(time.Now()) // unblock a stalled write
	})
}

func (s *Server) logf(format string, a ...any) {
	if s.Logf != nil {
		s.Logf(format, a...)
		return
	}
	log.Printf(format, a...)
}

// Serve accepts subscribers on ln, plain TCP or WebSocket on the same port
// (docs/stream-protocol.md), and sends each the header of src and then
// every chunk of src from the moment it joined. It returns nil once src
// has ended (io.EOF) and every subscriber has been sent the end frame,
// ctx's error when ctx ends, or src's error (sent to the subscribers as an
// error frame). A subscriber that falls Queue chunks behind, stalls a write
// for WriteTimeout, sends anything after its hello, or connects with
// garbage is dropped with a logged reason; the others go on. Serve closes
// ln and every connection before it returns; it does not close src.
func (s *Server) Serve(ctx context.Context, ln net.Listener, src Source) error {
	format := s.Format
	if format == 0 {
		format = Float64
	}
	if !format.valid() {
		return fmt.Errorf("stream: serve: sample format %d", format)
	}
	queue := s.Queue
	if queue <= 0 {
		queue = 256
	}
	wt := s.WriteTimeout
	if wt <= 0 {
		wt = 5 * time.Second
	}
	ht := s.HelloTimeout
	if ht <= 0 {
		ht = 5 * time.Second
	}
	hdrFrame, err := AppendHeader(nil, src.Header())
	if err != nil {
		ln.Close()
		return fmt.Errorf("stream: serve: %w", err)
	}
	nch := len(src.Header().Channels)

	var (
		mu      sync.Mutex
		subs    = map[*subscriber]bool{}
		closing bool
		wg      sync.WaitGroup
		conns   = map[net.Conn]bool{} // in handshake
		joined  int
		lnErr   error                 // the listener closed under Serve
		ready   = make(chan struct{}) // closed when WaitFor subscribers joined
	)
	if s.WaitFor <= 0 {
		close(ready)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	writer := func(sub *subscriber) {
		defer wg.Done()
		ok := true // the last write went through whole: frames still aligned
		write := func(b []byte) {
			sub.p.c.SetWriteDeadline(time.Now().Add(wt))
			if _, err := sub.p.w.Write(b); err != nil {
				ok = false
				s.drop(sub, "write failed: %v", err)
			}
		}
		defer func() {
			mu.Lock()
			delete(subs, sub)
			mu.Unlock()
			// From here on nothing drops sub (its reader will see the
			// connection closed); if it was dropped, tell it why.
			sub.once.Do(func() {})
			select {
			case <-sub.quit:
				if ok {
					sub.p.sendError(sub.reason, 100*time.Millisecond)
				}
			default:
			}
			sub.p.close()
		}()
		write(hdrFrame)
		for ok {
			select {
			case <-sub.quit:
				return
			case b, more := <-sub.q:
				if !more {
					if sub.final != "" {
						write(appendError(nil, sub.final))
					} else {
						write(appendEnd(nil))
					}
					return
				}
				write(b)
			}
		}
	}
	// reader watches a subscriber's side: it should send nothing after
	// its hello (a WebSocket may send pings and its close).
	reader := func(sub *subscriber) {
		defer wg.Done()
		var b [1]byte
		n, err := sub.p.r.Read(b[:])
		switch {
		case n > 0:
			s.drop(sub, "sent %q after its hello; subscribers only listen", b[:n])
		case errors.Is(err, io.EOF):
			s.drop(sub, "closed the connection")
		default:
			s.drop(sub, "%v", err)
		}
	}
	accept := func(c net.Conn) {
		defer wg.Done()
		p, role, f, err := serverHandshake(c, ht)
		mu.Lock()
		delete(conns, c)
		mu.Unlock()
		if err == nil && role != roleSubscribe {
			err = fmt.Errorf("%w: a publisher, but this server only serves subscribers", ErrFrame)
		}
		if err != nil {
			s.logf("stream: dropped %s: %v", p.name, err)
			p.sendError(err.Error(), 100*time.Millisecond)
			p.close()
			return
		}
		if f == 0 {
			f = format
		}
		sub := &subscriber{p: p, f: f, q: make(chan []byte, queue), quit: make(chan struct{})}
		mu.Lock()
		if closing {
			mu.Unlock()
			p.close()
			return
		}
		subs[sub] = true
		joined++
		if joined == s.WaitFor {
			close(ready)
		}
		wg.Add(2)
		mu.Unlock()
		s.logf("stream: subscriber %s joined (%s)", p.name, f)
		go writer(sub)
		go reader(sub)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				mu.Lock()
				stopped := closing
				mu.Unlock()
				if ctx.Err() != nil || stopped {
					return
				}
				if errors.Is(err, net.ErrClosed) {
					s.logf("stream: serve: listener closed: %v", err)
					mu.Lock()
					lnErr = err
					mu.Unlock()
					cancel()
					return
				}
				// Out of file descriptors and the like: wait, retry.
				s.logf("stream: serve: accept: %v", err)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			mu.Lock()
			if closing {
				mu.Unlock()
				c.Close()
				return
			}
			conns[c] = true
			wg.Add(1)
			mu.Unlock()
			go accept(c)
		}
	}()
	stopLn := context.AfterFunc(ctx, func() { ln.Close() })
	defer stopLn()

	// finish stops accepting and ends every subscriber: after what is
	// queued (graceful) with the end frame, or an error frame if reason
	// is set; or at once, dropping them with reason.
	finish := func(graceful bool, reason string) {
		mu.Lock()
		closing = true
		for c := range conns {
			c.Close()
		}
		for sub := range subs {
			if graceful {
				sub.final = reason
				close(sub.q)
			} else {
				s.drop(sub, "%s", reason)
			}
		}
		mu.Unlock()
		ln.Close()
		wg.Wait()
	}

	// stopped ends Serve when ctx ended (or the listener closed under it).
	stopped := func() error {
		finish(false, "server stopped")
		mu.Lock()
		defer mu.Unlock()
		if lnErr != nil {
			return fmt.Errorf("stream: serve: %w", lnErr)
		}
		return ctx.Err()
	}
	select {
	case <-ready:
	case <-ctx.Done():
		return stopped()
	}
	var frames [9][]byte // by SampleFormat
	var list []*subscriber
	next := int64(-1)
	for {
		c, err := src.Next(ctx)
		if err == io.EOF {
			finish(true, "")
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return stopped()
			}
			finish(true, "source failed: "+err.Error())
			return fmt.Errorf("stream: serve: source: %w", err)
		}
		if err := CheckChunk(&c, nch, next); err != nil {
			finish(true, "source failed: "+err.Error())
			return fmt.Errorf("stream: serve: source: %w", err)
		}
		next = c.Start + int64(c.Len())
		// Encode once per format in use; frames are shared read-only by
		// the writers, so each chunk gets fresh buffers.
		frames[Float32], frames[Float64] = nil, nil
		mu.Lock()
		list = list[:0]
		for sub := range subs {
			list = append(list, sub)
		}
		mu.Unlock()
		for _, sub := range list {
			b := frames[sub.f]
			if b == nil {
				b = AppendChunk(nil, c, sub.f)
				frames[sub.f] = b
			}
			select {
			case sub.q <- b:
				continue
			case <-sub.quit:
				continue
			default:
			}
			if s.Backpressure {
				t := time.NewTimer(wt)
				select {
				case sub.q <- b:
				case <-sub.quit:
				case <-t.C:
					s.drop(sub, "too slow: %d chunks waiting for %v", queue, wt)
				}
				t.Stop()
				continue
			}
			s.drop(sub, "too slow: %d chunks waiting", queue)
		}
	}
}
