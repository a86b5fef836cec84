// Package stream carries live multichannel signals: a Source yields a
// stream's Header once and then its samples in Chunks, whatever produces
// them — a file replayed at real time (NewReplay), a bcikit server over TCP
// or WebSocket (Dial), or a program publishing its own samples (Publish,
// Accept).
//
// # Vocabulary
//
// A Header names the channels, their units and types and the sampling rate.
// A Chunk is a block of consecutive samples, Data[channel][sample] in SI
// units (volts for EEG, as raw.Raw), with the index of its first sample
// since the stream began, the wall-clock time at which its last sample was
// acquired, and the Markers (events) that fall inside it. Open turns a
// textual spec ("replay:FILE?speed=2", "tcp://HOST:PORT",
// "ws://HOST:PORT/stream") into a Source.
//
// # Wire format
//
// Over the network a stream is a sequence of length-prefixed frames (a
// JSON header frame, then binary data frames, then an end frame) after an
// 8-byte hello; docs/stream-protocol.md describes it byte by byte. The same
// frames travel over plain TCP and, one frame per binary message, over
// WebSocket (RFC 6455, implemented here on the standard library only).
// Every length read from the wire is checked against a cap before anything
// is allocated, and a connection that sends a malformed frame, garbage, or
// nothing at all is dropped with an error naming what was wrong.
//
// # Fan-out
//
// Serve sends one Source to any number of subscribers. Each chunk is
// encoded once per sample format and queued to every subscriber; one whose
// queue is full (a slow reader) or whose write stalls is dropped with a
// logged reason, so it never holds the others back.
package stream
