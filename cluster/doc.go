// Package cluster spreads a benchmark run (package bench) over many
// machines with NATS JetStream, the official Go client
// (github.com/nats-io/nats.go) and, for one machine or a small lab, an
// embedded NATS server (github.com/nats-io/nats-server/v2).
//
// # Work units and results
//
// A run is split into bench.Tasks: one fold of one pipeline on one
// subject's session. Each task has a key,
//
//	VERSION.DATASET.SUBJECT.SESSION.PIPELINE.FOLD
//
// (ResultKey), where VERSION hashes the code version (CodeVersion: the
// module's VCS revision or release, or the executable's hash for a
// development build) with what decides a fold's outcome: dataset,
// evaluation, folds, seed, splits and, for cross-subject evaluation, the
// subjects. Its result (a bench.FoldResult) is stored under that key in the
// KV bucket ResultsBucket with a create, never an overwrite: the first
// result of a task is the one kept, however many times it ran, and a run
// started again (Bench) publishes only the tasks without a result, which
// makes a restarted run a resumed one. Results of one version are shared by
// every run that has it.
//
// # The queue
//
// Tasks are messages on the work-queue stream TaskStream, taken by one
// durable pull consumer (WorkerConsumer) that every worker shares, with
// explicit acknowledgement: a worker sends a heartbeat (in progress) every
// third of Limits.AckWait while a task runs, so a long task keeps its
// worker, and a worker that dies (kill -9, a lost machine) stops the
// heartbeats, so its task goes to another worker once AckWait has passed. A
// task that fails with an error another worker may not meet (a data file
// missing or different, another code version) is handed out again, up to
// Limits.MaxDeliver times; one that fails for good, or at its last
// delivery, becomes a DeadLetter on DeadStream carrying the worker's name
// and its error, and the Bench waiting for it returns that error
// (ErrTaskFailed) instead of waiting for ever.
//
// Workers read the dataset from their own data directory (BCIKIT_DATA):
// the run carries the SHA-256 of every file as the publisher's copy has it,
// and a worker checks its copy before using it (ErrData names the file and
// the worker).
//
// JetStream keeps streams and buckets in files (ServerConfig.StoreDir for
// the embedded server): a server restarted on the same store has every task
// and result it had, and clients reconnect by themselves.
//
// # Use
//
// One process starts a server (StartServer, or an ordinary nats-server
// cluster: see deploy/ in the repository), workers run Worker.Run, and the
// process that wants the results calls Bench, which returns the rows
// bench.Run gives in-process: every column equal but Time, which the
// workers measure.
package cluster
