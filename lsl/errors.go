package lsl

import (
	"errors"
	"io"
)

// Errors of this package; the errors returned wrap them with details (which
// field, which peer, which value).
var (
	// ErrInfo reports a stream info that is invalid: malformed XML, a
	// missing or empty name or uid, an unknown channel format, a channel
	// count or rate out of range, ...
	ErrInfo = errors.New("lsl: invalid stream info")
	// ErrQuery reports a resolve query that is not a valid predicate.
	ErrQuery = errors.New("lsl: invalid query")
	// ErrConfig reports a bad lsl_api.cfg setting.
	ErrConfig = errors.New("lsl: invalid configuration")
	// ErrProtocol reports a peer that broke the protocol: a malformed
	// response or sample, a test pattern that does not match, an error
	// status.
	ErrProtocol = errors.New("lsl: protocol error")
	// ErrNotFound reports a resolve that found no matching stream in time.
	ErrNotFound = errors.New("lsl: no matching stream")
	// ErrFormatChanged reports a stream that came back (after its outlet
	// restarted) with another channel count or format: the inlet stops
	// rather than mix the two.
	ErrFormatChanged = errors.New("lsl: stream format changed")
	// ErrLost reports a stream whose outlet is gone and could not be found
	// again.
	ErrLost = errors.New("lsl: stream lost")
	// ErrClosed reports the use of a closed inlet or outlet.
	ErrClosed = errors.New("lsl: closed")
)

func eofUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func readFull(r io.Reader, b []byte) (int, error) {
	n, err := io.ReadFull(r, b)
	return n, eofUnexpected(err)
}
