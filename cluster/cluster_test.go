package cluster

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/paradigm"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// The test binary is also a worker when BCIKIT_CLUSTER_TEST_WORKER holds
// a server URL: the kill test starts workers as subprocesses to end one
// with a real SIGKILL.
func TestMain(m *testing.M) {
	if url := os.Getenv("BCIKIT_CLUSTER_TEST_WORKER"); url != "" {
		os.Exit(workerMain(url))
	}
	os.Exit(m.Run())
}

func workerMain(url string) int {
	if d := os.Getenv("BCIKIT_CLUSTER_TEST_SLOW"); d != "" {
		pause, _ := time.ParseDuration(d)
		testHookRun = func() { time.Sleep(pause) }
	}
	nc, err := Connect(ConnOptions{URL: url, Name: "test worker"})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer nc.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	limits := testLimits
	if n, err := strconv.Atoi(os.Getenv("BCIKIT_CLUSTER_TEST_MAXDELIVER")); err == nil {
		limits.MaxDeliver = n
	}
	w := &Worker{Conn: nc, Name: os.Getenv("BCIKIT_CLUSTER_TEST_NAME"), Concurrency: 1, Load: testLoader,
		Limits: limits, Log: os.Stdout}
	if err := w.Run(ctx); err != nil {
		fmt.Println(err)
		return 1
	}
	return 0
}

var testLimits = Limits{AckWait: 2 * time.Second, MaxDeliver: 4}

// testLoader cuts SSVEP-Exo trials with the dataset's default paradigm,
// as the CLI does for pipelines that read trials.
func testLoader(cfg bench.Config, dir string) (bench.Loader, error) {
	d, err := dataset.Get(cfg.Dataset)
	if err != nil {
		return nil, err
	}
	d.Dir = dir
	par, err := paradigm.For(d, "")
	if err != nil {
		return nil, err
	}
	freqs := map[int]float64{}
	for _, c := range d.Classes {
		if c.Freq > 0 {
			freqs[c.Code] = c.Freq
		}
	}
	return func(ctx context.Context, subject int, bands bool) (*bench.Subject, error) {
		if bands {
			return nil, errors.New("test loader: no filter bank")
		}
		tr, err := par.Subject(ctx, d, subject)
		if err != nil {
			return nil, err
		}
		return &bench.Subject{ID: subject, Sessions: tr.Sessions, Y: tr.Y, Channels: len(tr.Channels),
			Data: decode.Data{Trials: tr.X}, SFreq: tr.SFreq, ClassFreqs: freqs,
			TrialSeconds: float64(len(tr.X[0][0])-1) / tr.SFreq}, nil
	}, nil
}

// testConfig is a small SSVEP-Exo run: 2 subjects x 2 sessions x 2
// pipelines x 5 folds = 40 tasks.
func testConfig(t *testing.T) (bench.Config, string) {
	t.Helper()
	testdata.Path(t, "ssvep-exo/subject01")
	testdata.Path(t, "ssvep-exo/subject02")
	return bench.Config{Dataset: "ssvep-exo", Subjects: []int{1, 2}, Pipelines: []string{"mdm", "cca"},
		Evaluation: bench.WithinSession, Seed: 42, Workers: 2}, testdata.Dir()
}

var local struct {
	once sync.Once
	rs   []bench.Result
	err  error
}

// localRun is the reference: the same run in-process with bench.Run.
func localRun(t *testing.T, cfg bench.Config, dir string) []bench.Result {
	t.Helper()
	local.once.Do(func() {
		load, err := testLoader(cfg, dir)
		if err != nil {
			local.err = err
			return
		}
		local.rs, local.err = bench.Run(context.Background(), cfg, load)
	})
	if local.err != nil {
		t.Fatal(local.err)
	}
	return local.rs
}

// sameRows compares result tables row by row, every column but Time.
func sameRows(t *testing.T, want, got []bench.Result) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%d rows, local run %d", len(got), len(want))
	}
	for i := range want {
		a, b := want[i], got[i]
		a.Time, b.Time = 0, 0
		if a != b {
			t.Errorf("row %d:\n local %+v\n  got  %+v", i, want[i], got[i])
		}
	}
}

func startServer(t *testing.T, cfg ServerConfig) *Server {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.StoreDir == "" {
		cfg.StoreDir = t.TempDir()
	}
	s, err := StartServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Registered before the clients' cleanups, so run after them.
	t.Cleanup(s.Shutdown)
	return s
}

func connect(t *testing.T, o ConnOptions) *nats.Conn {
	t.Helper()
	nc, err := Connect(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// goWorker runs an in-process worker until the returned stop is called.
func goWorker(t *testing.T, nc *nats.Conn, dir, name string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	w := &Worker{Conn: nc, Name: name, Concurrency: 2, Load: testLoader, Limits: testLimits, DataDir: dir}
	go func() { errc <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("worker %s: %v", name, err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// subWorker starts the test binary as a worker process; its log lines
// arrive on the returned channel.
func subWorker(t *testing.T, url, dir, name, slow string, env ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BCIKIT_CLUSTER_TEST_WORKER="+url, "BCIKIT_CLUSTER_TEST_NAME="+name,
		"BCIKIT_CLUSTER_TEST_SLOW="+slow, dataset.EnvVar+"="+dir)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, lines
}

func waitLine(t *testing.T, lines <-chan string, prefix string) string {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("worker ended before %q", prefix)
			}
			if strings.Contains(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("no %q from the worker in 60 s", prefix)
		}
	}
}

// Three worker processes, one killed with SIGKILL in the middle of a task:
// its task is handed to another worker, every result is stored once, and
// the rows equal a local run's.
func TestKillWorker(t *testing.T) {
	cfg, dir := testConfig(t)
	want := localRun(t, cfg, dir)
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})

	victim, vlines := subWorker(t, srv.URL(), dir, "victim", "30s")
	waitLine(t, vlines, "ready")
	type out struct {
		rs  []bench.Result
		err error
	}
	res := make(chan out, 1)
	go func() {
		rs, err := Bench(context.Background(), nc, cfg, BenchOptions{DataDir: dir})
		res <- out{rs, err}
	}()
	start := waitLine(t, vlines, "start ")
	key := strings.Fields(strings.SplitN(start, "start ", 2)[1])[0]
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.Wait()
	t.Logf("killed the victim in the middle of %s", key)
	var logs [2]<-chan string
	for i := range logs {
		_, logs[i] = subWorker(t, srv.URL(), dir, fmt.Sprintf("w%d", i+1), "")
	}
	var o out
	select {
	case o = <-res:
	case <-time.After(3 * time.Minute):
		t.Fatal("the run did not finish in 3 minutes")
	}
	if o.err != nil {
		t.Fatal(o.err)
	}
	sameRows(t, want, o.rs)
	// The killed task ran again on another worker, and each task has one
	// stored result.
	redelivered := false
	for _, l := range logs {
	drain:
		for {
			select {
			case s := <-l:
				if strings.Contains(s, "start "+key) && !strings.Contains(s, "delivery 1)") {
					redelivered = true
				}
			default:
				break drain
			}
		}
	}
	if !redelivered {
		t.Errorf("task %s, killed on the victim, was not redelivered to another worker", key)
	}
	st, err := QueueStatus(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Results != 40 || st.Pending != 0 || st.DeadLetters != 0 {
		t.Errorf("queue after the run: %+v, want 40 results, nothing pending, no dead letter", st)
	}
}

// A run stopped half way and the server restarted on its store: nothing
// stored is lost, and the next Bench publishes only the missing tasks.
func TestRestartResume(t *testing.T) {
	cfg, dir := testConfig(t)
	want := localRun(t, cfg, dir)
	store := t.TempDir()
	srv := startServer(t, ServerConfig{StoreDir: store})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	stopWorker := goWorker(t, nc, dir, "first")
	ctx, cancel := context.WithCancel(context.Background())
	half := cfg
	half.Progress = func(done, total int) {
		if done >= 10 {
			cancel()
		}
	}
	if _, err := Bench(ctx, nc, half, BenchOptions{DataDir: dir}); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped run: %v", err)
	}
	stopWorker()
	before, err := QueueStatus(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if before.Results < 10 || before.Results+uint64(before.Pending+before.InFlight) != 40 {
		t.Fatalf("after the stop: %+v, want >= 10 results and the rest of 40 queued", before)
	}
	nc.Close()
	srv.Shutdown()

	srv = startServer(t, ServerConfig{StoreDir: store})
	nc = connect(t, ConnOptions{URL: srv.URL()})
	after, err := QueueStatus(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("after the server restart: %+v, before %+v", after, before)
	}
	goWorker(t, nc, dir, "second")
	var log strings.Builder
	first := -1
	resume := cfg
	resume.Progress = func(done, total int) {
		if first < 0 {
			first = done
		}
	}
	rs, err := Bench(context.Background(), nc, resume, BenchOptions{DataDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, want, rs)
	if first != int(before.Results) {
		t.Errorf("the resumed run started at %d done, want the %d stored", first, before.Results)
	}
	if wantLog := fmt.Sprintf("%d of 40 task(s) already done", before.Results); !strings.Contains(log.String(), wantLog) {
		t.Errorf("log %q lacks %q", log.String(), wantLog)
	}
	st, err := QueueStatus(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Results != 40 || st.Pending != 0 {
		t.Errorf("after the resumed run: %+v", st)
	}
	// A third run finds everything done and publishes nothing.
	log.Reset()
	rs, err = Bench(context.Background(), nc, cfg, BenchOptions{DataDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, want, rs)
	if !strings.Contains(log.String(), "40 of 40 task(s) already done") {
		t.Errorf("rerun log: %q", log.String())
	}
}

// A worker without the data fails its task with a message naming the file
// and the worker; after the last delivery the run ends with the dead
// letter instead of waiting for ever.
func TestMissingData(t *testing.T) {
	cfg, dir := testConfig(t)
	cfg.Subjects = []int{1}
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	goWorker(t, nc, t.TempDir(), "empty")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := Bench(ctx, nc, cfg, BenchOptions{DataDir: dir})
	if !errors.Is(err, ErrTaskFailed) {
		t.Fatalf("got %v, want ErrTaskFailed", err)
	}
	t.Log(err)
	for _, s := range []string{"worker empty", "ssvep-exo/subject01/record-", "not found", "after 4 deliveries"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

// Credentials: a server that wants a token or a user refuses clients
// without them and serves those with them.
func TestAuth(t *testing.T) {
	for _, c := range []struct {
		srv  ServerConfig
		good ConnOptions
	}{
		{ServerConfig{Token: "s3cret"}, ConnOptions{Token: "s3cret"}},
		{ServerConfig{User: "lab", Password: "pw"}, ConnOptions{User: "lab", Password: "pw"}},
	} {
		srv := startServer(t, c.srv)
		if _, err := Connect(ConnOptions{URL: srv.URL()}); err == nil {
			t.Errorf("%+v: connected without credentials", c.srv)
		}
		bad := c.good
		bad.Token, bad.Password = strings.Repeat("x", len(bad.Token)), strings.Repeat("x", len(bad.Password))
		if _, err := Connect(ConnOptions{URL: srv.URL(), Token: bad.Token, User: bad.User, Password: bad.Password}); err == nil {
			t.Errorf("%+v: connected with wrong credentials", c.srv)
		}
		good := c.good
		good.URL = srv.URL()
		nc, err := Connect(good)
		if err != nil {
			t.Errorf("%+v: %v", c.srv, err)
		} else {
			if _, err := QueueStatus(context.Background(), nc); err != nil {
				t.Error(err)
			}
			nc.Close()
		}
		srv.Shutdown()
	}
	// URL userinfo.
	srv := startServer(t, ServerConfig{User: "lab", Password: "pw"})
	u := strings.Replace(srv.URL(), "nats://", "nats://lab:pw@", 1)
	nc, err := Connect(ConnOptions{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []ServerConfig{
		{Listen: "nohost", StoreDir: t.TempDir()},
		{Listen: "127.0.0.1:99999", StoreDir: t.TempDir()},
		{Listen: "127.0.0.1:0"},
		{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Token: "a", User: "b", Password: "c"},
		{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), User: "b"},
		{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), NKeys: []string{"UNOTAKEY"}},
		{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), TLSCert: "x.pem"},
	} {
		if s, err := StartServer(c); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", c, err)
			if s != nil {
				s.Shutdown()
			}
		}
	}
	for _, o := range []ConnOptions{
		{},
		{URL: "nats://a:b@127.0.0.1:1", Token: "t"},
		{URL: "nats://127.0.0.1:1", Token: "t", User: "u", Password: "p"},
		{URL: "nats://127.0.0.1:1", User: "u"},
		{URL: "nats://127.0.0.1:1", TLSCert: "c.pem"},
	} {
		if _, err := Connect(o); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := Connect(ConnOptions{URL: "nats://127.0.0.1:1", NKeyFile: filepath.Join(t.TempDir(), "none.nk")}); err == nil {
		t.Error("missing NKey seed file: no error")
	}
	if err := (&Worker{}).Run(context.Background()); !errors.Is(err, ErrConfig) {
		t.Errorf("worker without connection: %v", err)
	}
}

func TestResultKey(t *testing.T) {
	k := ResultKey("v1", "ssvep-exo", bench.Task{Subject: 3, Session: "[2012.07.06-19.02.16]", Pipeline: "fb+ts+lr", Fold: 4})
	if want := "v1.ssvep-exo.3.=5B2012=2E07=2E06-19=2E02=2E16=5D.fb=2Bts=2Blr.4"; k != want {
		t.Errorf("key %q, want %q", k, want)
	}
	if k := ResultKey("v", "d", bench.Task{Session: ""}); k != "v.d.0.=.=.0" {
		t.Errorf("empty parts: %q", k)
	}
}

// A task whose workers all die leaves no dead letter; the server's
// max-deliveries advisory ends the run with an error naming it.
func TestMaxDeliveriesWithoutAnswer(t *testing.T) {
	cfg, dir := testConfig(t)
	cfg.Subjects, cfg.Pipelines = []int{1}, []string{"cca"}
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	victim, lines := subWorker(t, srv.URL(), dir, "victim", "30s", "BCIKIT_CLUSTER_TEST_MAXDELIVER=1")
	waitLine(t, lines, "ready")
	errc := make(chan error, 1)
	go func() {
		_, err := Bench(context.Background(), nc, cfg, BenchOptions{DataDir: dir})
		errc <- err
	}()
	waitLine(t, lines, "start ")
	_ = victim.Process.Signal(syscall.SIGKILL)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrTaskFailed) || !strings.Contains(err.Error(), "no worker finished it") {
			t.Errorf("got %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the run still waits 60 s after its task's last delivery")
	}
}

// A task that runs longer than the ack wait keeps its worker: the
// heartbeats hold it, nothing is handed out twice.
func TestHeartbeat(t *testing.T) {
	cfg, dir := testConfig(t)
	cfg.Subjects, cfg.Pipelines = []int{1}, []string{"cca"}
	var once sync.Once
	testHookRun = func() { once.Do(func() { time.Sleep(3 * testLimits.AckWait) }) }
	defer func() { testHookRun = nil }()
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	goWorker(t, nc, dir, "slow")
	if _, err := Bench(context.Background(), nc, cfg, BenchOptions{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	st, err := QueueStatus(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Redelivered != 0 || st.Results != 10 {
		t.Errorf("%+v: a task was handed out again while its worker sent heartbeats", st)
	}
}

// The server restarted on its store in the middle of a run: workers and
// Bench reconnect, and the run ends with a local run's rows.
func TestServerRestartLive(t *testing.T) {
	cfg, dir := testConfig(t)
	want := localRun(t, cfg, dir)
	store := t.TempDir()
	srv := startServer(t, ServerConfig{StoreDir: store})
	addr := srv.Addr()
	nc := connect(t, ConnOptions{URL: srv.URL()})
	stopWorker := goWorker(t, nc, dir, "w")
	half := make(chan struct{})
	var once sync.Once
	run := cfg
	run.Progress = func(done, total int) {
		if done >= 10 {
			once.Do(func() { close(half) })
		}
	}
	type out struct {
		rs  []bench.Result
		err error
	}
	res := make(chan out, 1)
	go func() {
		rs, err := Bench(context.Background(), nc, run, BenchOptions{DataDir: dir})
		res <- out{rs, err}
	}()
	<-half
	srv.Shutdown()
	srv = startServer(t, ServerConfig{Listen: addr, StoreDir: store})
	select {
	case o := <-res:
		if o.err != nil {
			t.Fatal(o.err)
		}
		sameRows(t, want, o.rs)
	case <-time.After(2 * time.Minute):
		t.Fatal("the run did not finish within 2 minutes of the restart")
	}
	stopWorker() // before the server's cleanup

}

// Every evaluation gives bench.Run's rows over NATS.
func TestEvaluations(t *testing.T) {
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	var loads atomic.Int64
	counting := func(cfg bench.Config, dir string) (bench.Loader, error) {
		load, err := synthLoader(cfg, dir)
		return func(ctx context.Context, id int, bands bool) (*bench.Subject, error) {
			loads.Add(1)
			return load(ctx, id, bands)
		}, err
	}
	w := &Worker{Conn: nc, Name: "w", Concurrency: 2, Load: counting, Limits: testLimits}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	sess := func(int) ([]string, error) { return []string{"a", "b"}, nil }
	none := func(int) ([]string, error) { return nil, nil }
	for _, ev := range []bench.Evaluation{bench.WithinSession, bench.CrossSession, bench.CrossSubject} {
		cfg := bench.Config{Dataset: "synthetic", Subjects: []int{1, 2, 3}, Pipelines: []string{"mdm", "csp+lda"}, Evaluation: ev, Seed: 5}
		load, _ := synthLoader(cfg, "")
		want, err := bench.Run(context.Background(), cfg, load)
		if err != nil {
			t.Fatal(err)
		}
		loads.Store(0)
		got, err := Bench(context.Background(), nc, cfg, BenchOptions{Sessions: sess, Files: none})
		if err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
		sameRows(t, want, got)
		// The 6 cross-subject tasks share one load of the 3 subjects.
		if n := loads.Load(); ev == bench.CrossSubject && n != 3 {
			t.Errorf("cross-subject: %d subject loads for 6 tasks, want 3", n)
		}
	}
}

// A task published by another build is refused by every delivery and
// ends as a dead letter that says so.
func TestCodeMismatch(t *testing.T) {
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	goWorker(t, nc, "", "w")
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	task := bench.Task{Subject: 1, Session: "a", Pipeline: "mdm"}
	b, _ := json.Marshal(taskMsg{Key: ResultKey("v", "synthetic", task), Spec: "run.x", Code: "another build", Task: task})
	// The worker creates the stream; wait for it.
	if _, err := retry(ctx, func(ctx context.Context) (*jetstream.PubAck, error) { return js.Publish(ctx, TaskSubject+".v", b) }); err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(ctx, DeadStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := cons.Next(jetstream.FetchMaxWait(50 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var dl DeadLetter
	if err := json.Unmarshal(m.Data(), &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Task != task || dl.Worker != "w" || dl.Deliveries != uint64(testLimits.MaxDeliver) || !strings.Contains(dl.Error, "another build") {
		t.Errorf("dead letter %+v", dl)
	}
}

// The embedded server over TLS, with and without client certificates, and
// a user signing in with an NKey seed.
func TestTLSAndNKey(t *testing.T) {
	dir := t.TempDir()
	writeCerts(t, dir, "server", "client")
	pem := func(n string) string { return filepath.Join(dir, n) }
	srv := startServer(t, ServerConfig{TLSCert: pem("server.pem"), TLSKey: pem("server-key.pem")})
	if _, err := Connect(ConnOptions{URL: srv.URL()}); err == nil {
		t.Error("TLS server: connected without its CA")
	}
	nc := connect(t, ConnOptions{URL: srv.URL(), TLSCA: pem("ca.pem")})
	if !nc.TLSRequired() {
		t.Error("connection not over TLS")
	}
	mutual := startServer(t, ServerConfig{TLSCert: pem("server.pem"), TLSKey: pem("server-key.pem"), TLSCA: pem("ca.pem")})
	if _, err := Connect(ConnOptions{URL: mutual.URL(), TLSCA: pem("ca.pem")}); err == nil {
		t.Error("mutual TLS: connected without a client certificate")
	}
	connect(t, ConnOptions{URL: mutual.URL(), TLSCA: pem("ca.pem"), TLSCert: pem("client.pem"), TLSKey: pem("client-key.pem")})

	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(dir, "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	other, _ := nkeys.CreateUser()
	otherSeed, _ := other.Seed()
	otherFile := filepath.Join(dir, "other.nk")
	if err := os.WriteFile(otherFile, otherSeed, 0o600); err != nil {
		t.Fatal(err)
	}
	nk := startServer(t, ServerConfig{NKeys: []string{pub}})
	if _, err := Connect(ConnOptions{URL: nk.URL(), NKeyFile: otherFile}); err == nil {
		t.Error("NKey server: an unknown key signed in")
	}
	connect(t, ConnOptions{URL: nk.URL(), NKeyFile: seedFile})
}

// Two runs of the same version at once (two people, different subjects):
// neither drops the other's queued tasks.
func TestConcurrentRuns(t *testing.T) {
	srv := startServer(t, ServerConfig{})
	nc := connect(t, ConnOptions{URL: srv.URL()})
	sess := func(int) ([]string, error) { return []string{"a", "b"}, nil }
	none := func(int) ([]string, error) { return nil, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	errc := make(chan error, 2)
	var published sync.WaitGroup
	for _, subjects := range [][]int{{1, 2}, {3}} {
		cfg := bench.Config{Dataset: "synthetic", Subjects: subjects, Pipelines: []string{"mdm"}, Evaluation: bench.WithinSession, Seed: 9}
		published.Add(1)
		var once sync.Once
		cfg.Progress = func(int, int) { once.Do(published.Done) }
		go func() {
			_, err := Bench(ctx, nc, cfg, BenchOptions{Sessions: sess, Files: none})
			errc <- err
		}()
	}
	published.Wait() // both published before any worker runs
	w := &Worker{Conn: nc, Name: "w", Concurrency: 2, Load: synthLoader, Limits: testLimits}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	defer func() { stop(); <-done }()
	for range 2 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
