package cluster

import (
	"fmt"
	"net/url"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnOptions says how to reach a NATS server (an embedded one or an
// ordinary cluster) and sign in.
type ConnOptions struct {
	// URL is the server's address, nats://host:port or tls://host:port;
	// a comma-separated list gives several servers of a cluster. User
	// and password may be in the URL (nats://user:pass@host:4222).
	URL string
	// User and Password, Token, or NKeyFile (a file holding a user's
	// NKey seed, SU...) sign in.
	User, Password, Token, NKeyFile string
	// TLSCA is a PEM file of the CA that signed the server's
	// certificate; TLSCert and TLSKey are the client's certificate,
	// for servers that verify clients. Any of them turns TLS on.
	TLSCA, TLSCert, TLSKey string
	// Name names the connection in the server's monitoring.
	Name string
}

// Connect connects to the server, reconnecting for ever after a server
// restart or a cut connection (JetStream keeps what was stored).
func Connect(o ConnOptions) (*nats.Conn, error) {
	if o.URL == "" {
		return nil, fmt.Errorf("cluster: %w: no server URL (e.g. nats://127.0.0.1:4222)", ErrConfig)
	}
	if u, err := url.Parse(o.URL); err == nil && u.User != nil && (o.User != "" || o.Token != "") {
		return nil, fmt.Errorf("cluster: %w: credentials both in the URL and in the flags", ErrConfig)
	}
	n := 0
	for _, set := range []bool{o.User != "" || o.Password != "", o.Token != "", o.NKeyFile != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, fmt.Errorf("cluster: %w: give one of user/password, token or NKey", ErrConfig)
	}
	opts := []nats.Option{nats.Name(o.Name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond)}
	switch {
	case o.User != "" || o.Password != "":
		if o.User == "" || o.Password == "" {
			return nil, fmt.Errorf("cluster: %w: a user needs a password and a password a user", ErrConfig)
		}
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	case o.Token != "":
		opts = append(opts, nats.Token(o.Token))
	case o.NKeyFile != "":
		opt, err := nats.NkeyOptionFromSeed(o.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("cluster: NKey seed %s: %w", o.NKeyFile, err)
		}
		opts = append(opts, opt)
	}
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" || o.TLSKey != "" {
		if o.TLSCert == "" || o.TLSKey == "" {
			return nil, fmt.Errorf("cluster: %w: a client certificate needs its key and a key its certificate", ErrConfig)
		}
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	nc, err := nats.Connect(o.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("cluster: connecting to %s: %w", redact(o.URL), err)
	}
	return nc, nil
}

// redact hides a password in a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
