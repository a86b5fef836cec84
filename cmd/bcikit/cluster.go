package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/bcikit/bcikit/bench"
	"github.com/bcikit/bcikit/cluster"
	"github.com/nats-io/nats.go"
)

func init() {
	register(&command{
		name:    "cluster",
		summary: "Start a NATS server with JetStream (embedded) that bcikit workers and \"bcikit bench --nats\" share, for one machine or a small lab.",
		usage:   "[--listen 127.0.0.1:4222] [--store DIR] [--user U --password P | --token T | --nkey-user PUBKEY] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]] [--log]",
		run:     runCluster,
	})
}

func runCluster(args []string, stdout io.Writer) error {
	fs := newFlags(commands["cluster"], stdout)
	listen := fs.String("listen", cluster.DefaultListen, "host:port to serve clients on; 127.0.0.1 serves this machine only, 0.0.0.0:4222 every interface (then set credentials and TLS)")
	store := fs.String("store", "", "directory of JetStream's files: tasks and results survive a restart on it (default: bcikit-nats in the user's cache directory)")
	user := fs.String("user", "", "user name clients must give (with --password)")
	password := fs.String("password", "", "password of --user (or $BCIKIT_NATS_PASSWORD)")
	token := fs.String("token", "", "token clients must give (or $BCIKIT_NATS_TOKEN)")
	var nkeyUsers listFlag
	fs.Var(&nkeyUsers, "nkey-user", "public NKey (U...) of a user who signs in with its seed (repeat for each; make one with \"nk -gen user -pubout\")")
	tlsCert := fs.String("tls-cert", "", "server certificate (PEM): clients connect over TLS")
	tlsKey := fs.String("tls-key", "", "key of --tls-cert (PEM)")
	tlsCA := fs.String("tls-ca", "", "CA (PEM) whose certificates clients must present (mutual TLS)")
	logs := fs.Bool("log", false, "print the NATS server's log on stderr")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *password == "" {
		*password = os.Getenv("BCIKIT_NATS_PASSWORD")
	}
	if *token == "" {
		*token = os.Getenv("BCIKIT_NATS_TOKEN")
	}
	if *store == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("%w: no --store, and no cache directory: %v", errUsage, err)
		}
		*store = filepath.Join(dir, "bcikit-nats")
	}
	srv, err := cluster.StartServer(cluster.ServerConfig{Listen: *listen, StoreDir: *store, User: *user, Password: *password, Token: *token,
		NKeys: nkeyUsers, TLSCert: *tlsCert, TLSKey: *tlsKey, TLSCA: *tlsCA, Log: *logs})
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	fmt.Fprintf(stdout, "NATS server with JetStream on %s (store %s)\n", srv.URL(), *store)
	fmt.Fprintf(stdout, "workers:  bcikit worker --nats %s\nbenchmark: bcikit bench --nats %s [flags]\n", srv.URL(), srv.URL())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(stdout, "stopping: tasks and results stay in", *store)
	return nil
}

// natsFlags are the connection flags of worker and bench.
type natsFlags struct {
	url, user, password, token, nkey, ca, cert, key *string
	replicas                                        *int
}

func addNATSFlags(fs *flag.FlagSet, urlHelp string) *natsFlags {
	return &natsFlags{
		url:      fs.String("nats", "", urlHelp),
		user:     fs.String("nats-user", "", "NATS user (or in the URL: nats://user:password@host:4222)"),
		password: fs.String("nats-password", "", "password of --nats-user (or $BCIKIT_NATS_PASSWORD)"),
		token:    fs.String("nats-token", "", "NATS token (or $BCIKIT_NATS_TOKEN)"),
		nkey:     fs.String("nats-nkey", "", "file holding the user's NKey seed (SU...)"),
		ca:       fs.String("nats-tls-ca", "", "CA (PEM) of the server's certificate: connect over TLS"),
		cert:     fs.String("nats-tls-cert", "", "client certificate (PEM), for servers that verify clients"),
		key:      fs.String("nats-tls-key", "", "key of --nats-tls-cert (PEM)"),
		replicas: fs.Int("nats-replicas", 1, "copies of bcikit's streams and buckets when this command creates them (3 on a 3-node NATS cluster)"),
	}
}

// connect opens the connection the flags describe.
func (f *natsFlags) connect(name string) (*nats.Conn, error) {
	o := cluster.ConnOptions{URL: *f.url, User: *f.user, Password: *f.password, Token: *f.token, NKeyFile: *f.nkey,
		TLSCA: *f.ca, TLSCert: *f.cert, TLSKey: *f.key, Name: name}
	if o.User != "" && o.Password == "" {
		o.Password = os.Getenv("BCIKIT_NATS_PASSWORD")
	}
	if o.Token == "" && o.User == "" && o.NKeyFile == "" {
		o.Token = os.Getenv("BCIKIT_NATS_TOKEN")
	}
	if *f.replicas < 1 || *f.replicas > 5 {
		return nil, fmt.Errorf("%w: --nats-replicas %d: JetStream keeps 1 to 5 copies", errUsage, *f.replicas)
	}
	nc, err := cluster.Connect(o)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return nc, nil
}

// benchNATS runs cfg on the workers of a NATS server.
func benchNATS(ctx context.Context, nf *natsFlags, cfg bench.Config, quiet bool) ([]bench.Result, error) {
	nc, err := nf.connect("bcikit bench")
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	o := cluster.BenchOptions{Stall: 2 * time.Minute, Replicas: *nf.replicas}
	if !quiet {
		o.Log = stderr
	}
	return cluster.Bench(ctx, nc, cfg, o)
}
