// Package natsx connects to NATS JetStream (or starts an embedded server for
// local runs and tests) and names the Cityhall streams and subjects.
package natsx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config says where NATS is. An empty URL starts an embedded server.
type Config struct {
	URL        string       // e.g. nats://nats:4222; empty = embedded server
	StoreDir   string       // embedded JetStream storage; empty = a temporary directory removed at Close
	Host       string       // embedded listen host, default 127.0.0.1
	Port       int          // embedded listen port, default 4222; -1 = random
	SyncAlways bool         // embedded: fsync every write (the production stream setting)
	Debug      bool         // embedded: server logs to stderr
	Replicas   int          // stream replicas for Conn.EnsureStream, default 1
	Name       string       // client connection name
	Logger     *slog.Logger // connection events; nil = slog.Default()
}

// Conn is a NATS connection with its JetStream context.
type Conn struct {
	NC *nats.Conn
	JS jetstream.JetStream

	server   *server.Server // embedded server, if we started one
	tmpStore string         // store dir we created and must remove
	replicas int
}

// StartServer starts an in-process nats-server with JetStream and waits until
// it accepts clients. Only Host, Port, StoreDir, SyncAlways and Debug are used.
func StartServer(cfg Config) (*server.Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("natsx: embedded server needs a StoreDir")
	}
	opts := &server.Options{
		ServerName: "cityhall-embedded",
		Host:       cfg.Host,
		Port:       cfg.Port,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		SyncAlways: cfg.SyncAlways,
		NoSigs:     true, // the host process owns signals
		NoLog:      !cfg.Debug,
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Port == 0 {
		opts.Port = 4222
	}
	if opts.Port > 0 {
		// The server reports a busy port only through its logger; say it plainly.
		l, err := net.Listen("tcp", net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port)))
		if err != nil {
			return nil, fmt.Errorf("natsx: embedded server: %w", err)
		}
		_ = l.Close()
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("natsx: new embedded server: %w", err)
	}
	if cfg.Debug {
		ns.ConfigureLogger()
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("natsx: embedded server not ready after 10s")
	}
	return ns, nil
}

// Connect connects to cfg.URL, or starts an embedded server first. The client
// reconnects forever with capped backoff; Connect itself waits for the first
// connection until ctx is done.
func Connect(ctx context.Context, cfg Config) (*Conn, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	c := &Conn{replicas: max(cfg.Replicas, 1)}
	url := cfg.URL
	if url == "" {
		if cfg.StoreDir == "" {
			dir, err := os.MkdirTemp("", "cityhall-nats-*")
			if err != nil {
				return nil, fmt.Errorf("natsx: temp store: %w", err)
			}
			cfg.StoreDir, c.tmpStore = dir, dir
		}
		ns, err := StartServer(cfg)
		if err != nil {
			c.removeStore()
			return nil, err
		}
		c.server = ns
		url = ns.ClientURL()
	}

	connected := make(chan struct{}, 1)
	signal := func() {
		select {
		case connected <- struct{}{}:
		default:
		}
	}
	nc, err := nats.Connect(url,
		nats.Name(cfg.Name),
		nats.RetryOnFailedConnect(true), // a broker that is down at start is an outage like any other
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(reconnectDelay),
		nats.ConnectHandler(func(*nats.Conn) { signal() }),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted())
			signal()
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
	)
	if err != nil {
		c.stopServer()
		return nil, fmt.Errorf("natsx: connect %s: %w", url, err)
	}
	c.NC = nc
	if !nc.IsConnected() {
		select {
		case <-connected:
		case <-ctx.Done():
			c.Close()
			return nil, fmt.Errorf("natsx: connect %s: %w", url, ctx.Err())
		}
	}
	// The async publish timeout frees pending acks that never come (e.g. lost
	// in an outage) so abandoned publishes cannot stall later ones.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(10*time.Second))
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("natsx: jetstream: %w", err)
	}
	c.JS = js
	return c, nil
}

func reconnectDelay(attempts int) time.Duration {
	d := 50 * time.Millisecond << min(attempts, 6) // 100ms .. 3.2s
	d = min(d, 2*time.Second)
	return d/2 + rand.N(d/2+1)
}

// EnsureStream creates or updates cfg, filling in the connection's replica
// count when cfg does not set one.
func (c *Conn) EnsureStream(ctx context.Context, cfg jetstream.StreamConfig) error {
	if cfg.Replicas == 0 {
		cfg.Replicas = c.replicas
	}
	return EnsureStream(ctx, c.JS, cfg)
}

// FollowStream creates cfg when it does not exist yet and otherwise leaves it as it is: for the
// stream of another service that this one consumes, whose owner's settings (duplicate window,
// replicas, limits) must win. The consumer can then start before the owner.
func (c *Conn) FollowStream(ctx context.Context, cfg jetstream.StreamConfig) error {
	if cfg.Replicas == 0 {
		cfg.Replicas = c.replicas
	}
	if _, err := c.JS.CreateStream(ctx, cfg); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("natsx: follow stream %s: %w", cfg.Name, err)
	}
	return nil
}

// Server is the embedded server, or nil when connected to an external one.
func (c *Conn) Server() *server.Server { return c.server }

// Close drains the connection (in-flight acks and messages finish) and stops
// the embedded server, if any.
func (c *Conn) Close() {
	if c.NC != nil && !c.NC.IsClosed() {
		closed := make(chan struct{})
		c.NC.SetClosedHandler(func(*nats.Conn) { close(closed) })
		if err := c.NC.Drain(); err != nil {
			c.NC.Close()
		} else {
			select {
			case <-closed:
			case <-time.After(5 * time.Second):
				c.NC.Close()
			}
		}
	}
	c.stopServer()
}

func (c *Conn) stopServer() {
	if c.server != nil {
		c.server.Shutdown()
		c.server.WaitForShutdown()
		c.server = nil
	}
	c.removeStore()
}

func (c *Conn) removeStore() {
	if c.tmpStore != "" {
		_ = os.RemoveAll(c.tmpStore)
		c.tmpStore = ""
	}
}

// EnsureStream creates the stream or updates it to cfg.
func EnsureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("natsx: ensure stream %s: %w", cfg.Name, err)
	}
	return nil
}

// Retention of the streams. Outbox rows are kept for replay for a shorter time
// (outbox.RelayConfig.Retention), so the stream is the longer memory.
const (
	StreamMaxAge     = 14 * 24 * time.Hour
	DeadLetterMaxAge = 30 * 24 * time.Hour
	// DuplicateWindow is how long JetStream drops a repeated Nats-Msg-Id.
	DuplicateWindow = 2 * time.Minute
)

// StreamFor is the stream of one producing service: "appeals" -> "APPEALS"
// on "cityhall.appeals.v1.>".
func StreamFor(service string) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:       strings.ToUpper(service),
		Subjects:   []string{"cityhall." + service + ".v1.>"},
		Storage:    jetstream.FileStorage,
		Retention:  jetstream.LimitsPolicy,
		Discard:    jetstream.DiscardOld,
		MaxAge:     StreamMaxAge,
		Duplicates: DuplicateWindow,
	}
}

// DeadLetterPrefix is followed by the consumer's durable name.
const DeadLetterPrefix = "cityhall.deadletter."

// DeadLetterStream captures every dead-letter subject.
func DeadLetterStream() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:       "DEADLETTER",
		Subjects:   []string{DeadLetterPrefix + ">"},
		Storage:    jetstream.FileStorage,
		Retention:  jetstream.LimitsPolicy,
		Discard:    jetstream.DiscardOld,
		MaxAge:     DeadLetterMaxAge,
		Duplicates: DuplicateWindow,
	}
}

// Subject is the subject of one event: ("appeals", "appeal_registered") ->
// "cityhall.appeals.v1.appeal_registered".
func Subject(service, event string) string {
	return "cityhall." + service + ".v1." + event
}

// HeaderCarrier lets the OTel propagator read and write NATS headers (which,
// unlike HTTP headers, are case-sensitive).
type HeaderCarrier nats.Header

func (h HeaderCarrier) Get(key string) string { return nats.Header(h).Get(key) }
func (h HeaderCarrier) Set(key, value string) { nats.Header(h).Set(key, value) }
func (h HeaderCarrier) Keys() []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	return keys
}
