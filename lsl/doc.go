// Package lsl speaks the Lab Streaming Layer (LSL) protocol natively, in
// pure Go (no cgo, no liblsl), interoperable with liblsl 1.16 programs:
// amplifier drivers, stimulus programs and LabRecorder.
//
// # Pieces
//
//   - StreamInfo is the stream info XML document (name, type, channel count,
//     nominal rate, channel format, source id, uid, session id, hostname,
//     ports, desc with channel labels and units); ParseInfo reads it and
//     Query evaluates liblsl's resolve predicates (an XPath subset) on it.
//   - Outlet publishes a stream: it answers discovery queries
//     ("LSL:shortinfo", on the multicast and broadcast addresses of the
//     configured scope and on its UDP service port), time probes
//     ("LSL:timedata"), info requests, and serves samples to inlets over TCP
//     with data protocol 1.10 (feed negotiation, test-pattern samples,
//     timestamps transmitted or deduced, values little-endian).
//   - Resolve finds streams matching a query by multicast, broadcast and
//     unicast to the known peers of the configuration.
//   - Inlet receives a stream, reconnects when the connection breaks (and
//     finds a restarted outlet again), and estimates the clock offset to the
//     outlet (TimeCorrection).
//   - Source adapts an inlet (with marker streams merged in) to
//     stream.Source, and Publish feeds an outlet from a stream.Source.
//   - Config holds the lsl_api.cfg settings (scope, known peers, IPv6, ports,
//     time probes); LoadConfig reads the file where liblsl looks for it.
//
// # Differences from liblsl
//
// Data protocol 1.00 (boost portable archives, used by liblsl before 1.10
// or between machines of different float formats) is not implemented: an
// inlet that asks for it gets "505 Version not supported" and an outlet that
// offers only it is reported as an error wrapping ErrProtocol. An outlet
// sends big-endian values to a consumer that says it is big-endian, as
// liblsl does when it is the faster converter (this package does not
// measure which party converts faster). Samples are flushed to consumers at every push (liblsl's
// pushthrough default). Timestamps are not dejittered; Source places marker
// events at the sample of the sampled stream whose corrected timestamp is
// nearest. Numeric values pass through float64, so int64 values beyond 2^53
// lose precision.
//
// docs/lsl.md describes the protocol as implemented, with the places in
// liblsl's source each behaviour comes from, and how to check
// interoperability with liblsl's example programs by hand.
package lsl
