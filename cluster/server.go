package cluster

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// DefaultListen is where an embedded server listens when ServerConfig
// says nothing: the loopback interface, so that no other machine can
// reach it unless asked for.
const DefaultListen = "127.0.0.1:4222"

// ErrConfig reports a server or connection setting that cannot be used.
var ErrConfig = errors.New("bad cluster setting")

// ServerConfig configures an embedded NATS server with JetStream.
type ServerConfig struct {
	// Listen is host:port for clients; "" means DefaultListen, port 0 a
	// free port, and a missing host 127.0.0.1 (give 0.0.0.0 to serve
	// other machines).
	Listen string
	// StoreDir holds JetStream's files: tasks and results survive a
	// restart on the same directory. Required.
	StoreDir string
	// User and Password, or Token, are the credentials clients must give
	// (none: no authentication, for a loopback-only server).
	User, Password, Token string
	// NKeys are the public NKeys (U...) of users who sign in with their
	// seed instead of a password (see ConnOptions.NKeyFile).
	NKeys []string
	// TLSCert and TLSKey (PEM files) make clients connect over TLS;
	// TLSCA also makes the server ask for client certificates signed
	// by that CA.
	TLSCert, TLSKey, TLSCA string
	// Log prints the server's log on stderr.
	Log bool
}

// Server is a running embedded NATS server.
type Server struct {
	ns *server.Server
}

// StartServer starts an embedded NATS server with JetStream file storage
// and waits until it accepts clients.
func StartServer(cfg ServerConfig) (*Server, error) {
	listen := cfg.Listen
	if listen == "" {
		listen = DefaultListen
	}
	host, portS, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w: listen address %q: %v (want host:port, e.g. %s)", ErrConfig, listen, err, DefaultListen)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	port, err := strconv.Atoi(portS)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("cluster: %w: listen address %q: port %q is not a number in 0-65535", ErrConfig, listen, portS)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if cfg.StoreDir == "" {
		return nil, fmt.Errorf("cluster: %w: no store directory for JetStream's files", ErrConfig)
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o750); err != nil {
		return nil, fmt.Errorf("cluster: store directory: %w", err)
	}
	if cfg.Token != "" && (cfg.User != "" || cfg.Password != "") {
		return nil, fmt.Errorf("cluster: %w: give a token or a user and password, not both", ErrConfig)
	}
	if (cfg.User == "") != (cfg.Password == "") {
		return nil, fmt.Errorf("cluster: %w: a user needs a password and a password a user", ErrConfig)
	}
	if cfg.Token != "" && len(cfg.NKeys) > 0 {
		return nil, fmt.Errorf("cluster: %w: give a token or NKeys, not both", ErrConfig)
	}
	var nusers []*server.NkeyUser
	for _, k := range cfg.NKeys {
		if !nkeys.IsValidPublicUserKey(k) {
			return nil, fmt.Errorf("cluster: %w: %q is not a public user NKey (U followed by 55 characters)", ErrConfig, k)
		}
		nusers = append(nusers, &server.NkeyUser{Nkey: k})
	}
	opts := &server.Options{
		ServerName: "bcikit", Host: host, Port: port,
		JetStream: true, StoreDir: cfg.StoreDir,
		Username: cfg.User, Password: cfg.Password, Authorization: cfg.Token,
		Nkeys: nusers, NoSigs: true, NoLog: !cfg.Log,
	}
	if cfg.TLSCert != "" || cfg.TLSKey != "" || cfg.TLSCA != "" {
		if cfg.TLSCert == "" || cfg.TLSKey == "" {
			return nil, fmt.Errorf("cluster: %w: TLS needs both a certificate and its key", ErrConfig)
		}
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: cfg.TLSCert, KeyFile: cfg.TLSKey, CaFile: cfg.TLSCA, Verify: cfg.TLSCA != ""})
		if err != nil {
			return nil, fmt.Errorf("cluster: TLS: %w", err)
		}
		opts.TLSConfig, opts.TLS, opts.TLSVerify, opts.TLSTimeout = tc, true, cfg.TLSCA != "", 2
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if cfg.Log {
		ns.ConfigureLogger()
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("cluster: the server did not start listening on %s within 10 s", listen)
	}
	return &Server{ns: ns}, nil
}

// URL is the address clients connect to (nats://host:port).
func (s *Server) URL() string { return s.ns.ClientURL() }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string {
	if a, ok := s.ns.Addr().(*net.TCPAddr); ok {
		return a.String()
	}
	return ""
}

// Shutdown stops the server, JetStream's files flushed to the store.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
