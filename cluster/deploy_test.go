package cluster

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeCerts writes a CA and, for each name, a certificate for 127.0.0.1
// signed by it (server and client use, as routes need).
func writeCerts(t *testing.T, dir string, names ...string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bcikit test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	write := func(name, typ string, der []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem", "CERTIFICATE", caDER)
	for i, n := range names {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		c := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: n},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, c, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kd, _ := x509.MarshalECPrivateKey(key)
		write(n+".pem", "CERTIFICATE", der)
		write(n+"-key.pem", "EC PRIVATE KEY", kd)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// synthLoader gives each subject two sessions of separable trials.
func synthLoader(cfg bench.Config, dataDir string) (bench.Loader, error) {
	return func(ctx context.Context, id int, bands bool) (*bench.Subject, error) {
		rng := mrand.New(mrand.NewPCG(uint64(id), 1))
		s := &bench.Subject{ID: id, Channels: 3, TrialSeconds: 1, SFreq: 100}
		for i := range 40 {
			y := 1 + i%2
			tr := make([][]float64, 3)
			for c := range tr {
				tr[c] = make([]float64, 50)
				for k := range tr[c] {
					tr[c][k] = rng.NormFloat64() * (1 + 2*float64((c+1-y)*(c+1-y)))
				}
			}
			s.Data = decode.Data{Trials: append(s.Data.Trials, tr)}
			s.Y = append(s.Y, y)
			s.Sessions = append(s.Sessions, []string{"a", "b"}[i/20])
		}
		return s, nil
	}, nil
}

// The 3-node cluster of deploy/nats, on loopback with test certificates:
// routes over mutual TLS, clients over TLS with the accounts' users, a run
// with streams and buckets in three copies, and a worker refused what its
// permissions do not allow.
func TestDeployCluster(t *testing.T) {
	src := filepath.Join(testdata.Root(), "deploy", "nats")
	dir := t.TempDir()
	writeCerts(t, dir, "nats-1", "nats-2", "nats-3")
	acc, err := os.ReadFile(filepath.Join(src, "accounts.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "accounts.conf"), acc, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"BENCH", "WORKER", "ADMIN"} {
		t.Setenv("BCIKIT_NATS_"+v+"_PASSWORD", strings.ToLower(v)+"-pw")
	}
	var client, route [3]int
	for i := range 3 {
		client[i], route[i] = freePort(t), freePort(t)
	}
	var urls []string
	for i := range 3 {
		b, err := os.ReadFile(filepath.Join(src, fmt.Sprintf("nats-%d.conf", i+1)))
		if err != nil {
			t.Fatal(err)
		}
		c := string(b)
		for k := range 3 {
			c = strings.ReplaceAll(c, fmt.Sprintf("nats-%d.lab.example:6222", k+1), fmt.Sprintf("127.0.0.1:%d", route[k]))
		}
		c = strings.NewReplacer(
			"/etc/bcikit-nats/certs/", dir+"/",
			"/var/lib/bcikit-nats", filepath.Join(dir, fmt.Sprintf("store-%d", i+1)),
			"0.0.0.0:4222", fmt.Sprintf("127.0.0.1:%d", client[i]),
			"0.0.0.0:6222", fmt.Sprintf("127.0.0.1:%d", route[i]),
			"http: 127.0.0.1:8222", "",
		).Replace(c)
		p := filepath.Join(dir, fmt.Sprintf("nats-%d.conf", i+1))
		if err := os.WriteFile(p, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		opts, err := server.ProcessConfigFile(p)
		if err != nil {
			t.Fatalf("deploy/nats/nats-%d.conf: %v", i+1, err)
		}
		opts.NoLog, opts.NoSigs = true, true
		ns, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go ns.Start()
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
		if !ns.ReadyForConnections(10 * time.Second) {
			t.Fatalf("node %d did not start", i+1)
		}
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", client[i]))
	}
	url := strings.Join(urls, ",")
	ca := filepath.Join(dir, "ca.pem")
	if _, err := Connect(ConnOptions{URL: url, User: "bench", Password: "bench-pw"}); err == nil {
		t.Error("connected without TLS's CA")
	}
	if _, err := Connect(ConnOptions{URL: url, User: "bench", Password: "nope", TLSCA: ca}); err == nil {
		t.Error("connected with a wrong password")
	}
	nb := connect(t, ConnOptions{URL: url, User: "bench", Password: "bench-pw", TLSCA: ca})
	nw := connect(t, ConnOptions{URL: url, User: "worker", Password: "worker-pw", TLSCA: ca})
	// JetStream's meta leader is elected once the routes are up.
	js, _ := jetstream.New(nb)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := js.AccountInfo(ctx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JetStream cluster after 30 s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wlog, blog syncBuffer
	w := &Worker{Conn: nw, Name: "w", Concurrency: 2, Load: synthLoader, Limits: Limits{AckWait: 5 * time.Second, Replicas: 3}, Log: &wlog}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	defer func() { stop(); <-done }()
	cfg := bench.Config{Dataset: "synthetic", Subjects: []int{1, 2}, Pipelines: []string{"mdm"}, Evaluation: bench.WithinSession, Seed: 3}
	sess := func(int) ([]string, error) { return []string{"a", "b"}, nil }
	none := func(int) ([]string, error) { return nil, nil }
	rs, err := Bench(ctx, nb, cfg, BenchOptions{Sessions: sess, Files: none, Replicas: 3, Log: &blog})
	if err != nil {
		st, serr := QueueStatus(context.Background(), nb)
		t.Fatalf("%v\nqueue %+v %v\nbench log:\n%s\nworker log:\n%s", err, st, serr, blog.String(), wlog.String())
	}
	load, _ := synthLoader(cfg, "")
	want, err := bench.Run(ctx, cfg, load)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, want, rs)
	for _, name := range []string{TaskStream, DeadStream, "KV_" + ResultsBucket, "KV_" + SpecsBucket} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if r := s.CachedInfo().Config.Replicas; r != 3 {
			t.Errorf("stream %s has %d replicas, want 3", name, r)
		}
	}
	// A worker may not publish tasks.
	jw, _ := jetstream.New(nw)
	pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
	defer pcancel()
	if _, err := jw.Publish(pctx, TaskSubject+".x", []byte("{}")); err == nil {
		t.Error("the worker user published a task")
	}
}
