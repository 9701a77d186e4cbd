// Package svc runs a Cityhall service: the settings every service shares, and the common
// life cycle (migrate, connect, serve gRPC, relay the outbox, consume events, purge old request
// ids, stop in order). A service describes itself in a Spec; its own code only registers its
// APIs, workers and consumers.
//
// One process runs everything by default. <PREFIX>ROLES splits a service into separate
// processes (deployments) of the same binary: "api" (gRPC API and the scheduled jobs),
// "relay" (the outbox relay) and "consumers" (the event consumers). Each role may run in
// several replicas: the relay claims rows with SKIP LOCKED, consumers share a durable
// consumer, jobs lock what they take.
package svc

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/grpcserver"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/telemetry"
)

// Config is a service's settings, read from <SERVICE>_* environment variables.
type Config struct {
	DatabaseURL      string        `env:"DATABASE_URL" secret:"true" desc:"PostgreSQL URL of the service's database"`
	DatabaseMaxConns int           `env:"DATABASE_MAX_CONNS" desc:"most connections of the process's pool; 0: the URL's pool_max_conns, else 4 a core (8 to 32)"`
	NATSURL          string        `env:"NATS_URL" desc:"NATS server URL; empty starts an embedded server"`
	NATSStoreDir     string        `env:"NATS_STORE_DIR" desc:"JetStream storage of the embedded server"`
	StreamReplicas   int           `env:"NATS_STREAM_REPLICAS" default:"1" desc:"replicas of the streams the service creates (3 on a production JetStream cluster)"`
	OIDCIssuer       string        `env:"OIDC_ISSUER" default:"http://localhost:8080/oidc" desc:"OIDC issuer whose tokens are accepted"`
	OIDCAudience     string        `env:"OIDC_AUDIENCE" default:"cityhall" desc:"required token audience"`
	OIDCJWKSURL      string        `env:"OIDC_JWKS_URL" desc:"JWKS URL; discovered from the issuer when empty"`
	LogLevel         string        `env:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	ShutdownTimeout  time.Duration `env:"SHUTDOWN_TIMEOUT" default:"20s" desc:"how long in-flight calls may drain on stop"`
	Roles            []string      `env:"ROLES" default:"api,relay,consumers" desc:"what this process runs: api (gRPC API, scheduled jobs), relay (outbox relay), consumers (event consumers)"`
	DuplicateWindow  time.Duration `env:"NATS_DUPLICATE_WINDOW" default:"2m" desc:"JetStream drops a repeated event id this long on the service's own stream"`
	ConsumerAckWait  time.Duration `env:"CONSUMER_ACK_WAIT" default:"30s" desc:"an event taken by a consumer that neither acks nor nacks it (it crashed) is redelivered after this"`
	GRPC             grpcserver.Config

	Listener net.Listener `json:"-"` // set by tests and the all-in-one command
	Logger   *slog.Logger `json:"-"`
}

// Spec describes one service.
type Spec struct {
	Name        string        // "appeals": logs, NATS client name, telemetry
	EnvPrefix   string        // "APPEALS_"
	DefaultGRPC string        // its gRPC address unless <PREFIX>GRPC_ADDR says otherwise
	Errors      apierr.Domain // ErrorInfo domain, e.g. "appeals.cityhall"
	Migrations  fs.FS         // the service's goose migrations
	Sets        []pgdb.Set    // platform table sets it opts into (e.g. the directory copy)
	// Streams are those it publishes to: created or updated at start.
	Streams []jetstream.StreamConfig
	// Follows are other services' streams it consumes: created when missing (so it may start
	// first), never updated (their owner's settings win).
	Follows []jetstream.StreamConfig
	// DefaultMaxRecvBytes is its largest request message unless <PREFIX>GRPC_MAX_RECV_BYTES
	// says otherwise (0: the platform's 4 MB), e.g. for a service that takes file uploads.
	DefaultMaxRecvBytes int
	// PublicMethods are the full gRPC names ("/pkg.Service/Method") of the methods anyone may
	// call without a token: read-only public data only (e.g. a schedule for residents).
	PublicMethods []string
	// Seed loads reference data after the migrations (optional); it must be safe to repeat.
	Seed func(ctx context.Context, pool *pgxpool.Pool) error
	// Setup registers the gRPC APIs on rt.Server, the service's scheduled workers with rt.Go
	// and its event consumers with rt.Consume.
	Setup func(rt *Runtime) error
}

// The roles a process may run (<PREFIX>ROLES); empty means all of them.
const (
	RoleAPI       = "api"       // the gRPC API and the workers added with Runtime.Go
	RoleRelay     = "relay"     // the outbox relay
	RoleConsumers = "consumers" // the consumers added with Runtime.Consume
)

var allRoles = []string{RoleAPI, RoleRelay, RoleConsumers}

// parseRoles checks a role list; empty means all roles.
func parseRoles(list []string) (map[string]bool, error) {
	roles := map[string]bool{}
	for _, r := range list {
		r = strings.TrimSpace(r)
		switch {
		case r == "":
		case slices.Contains(allRoles, r):
			roles[r] = true
		default:
			return nil, fmt.Errorf("unknown role %q (roles: %s)", r, strings.Join(allRoles, ", "))
		}
	}
	if len(roles) == 0 {
		for _, r := range allRoles {
			roles[r] = true
		}
	}
	return roles, nil
}

// Runtime is what a running service has to work with.
type Runtime struct {
	Pool   *pgxpool.Pool
	NATS   *natsx.Conn
	Server *grpcserver.Server
	Log    *slog.Logger

	workers   []worker
	consumers []consumer
}

type worker struct {
	name string
	run  func(ctx context.Context) error
}

type consumer struct {
	cfg inbox.ConsumerConfig
	h   inbox.Handler
}

// Go adds a worker that runs until the service stops (a scheduled job, a readiness check),
// in processes with the api role.
func (rt *Runtime) Go(name string, run func(ctx context.Context) error) {
	rt.workers = append(rt.workers, worker{name, run})
}

// Every adds a scheduled job (in processes with the api role): job runs at start and then every
// interval until the service stops. A failure is logged under the job's name and tried again at
// the next tick; it never stops the service. log is the service's logger naming the job.
func (rt *Runtime) Every(name string, interval time.Duration, job func(ctx context.Context, log *slog.Logger) error) {
	log := rt.Log.With("worker", name)
	rt.Go(name, func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if err := job(ctx, log); err != nil && ctx.Err() == nil {
				log.Warn("scheduled job failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
}

// Consume adds a durable event consumer (inbox.Run on the service's database and JetStream),
// in processes with the consumers role. A zero cfg.AckWait takes <PREFIX>CONSUMER_ACK_WAIT.
func (rt *Runtime) Consume(cfg inbox.ConsumerConfig, h inbox.Handler) {
	rt.consumers = append(rt.consumers, consumer{cfg, h})
}

// Load reads cfg from the environment over its defaults.
func (s Spec) Load(cfg *Config) error {
	if cfg.GRPC.Addr == "" && os.Getenv(s.EnvPrefix+"GRPC_ADDR") == "" {
		cfg.GRPC.Addr = s.DefaultGRPC
	}
	if cfg.GRPC.MaxRecvBytes == 0 && os.Getenv(s.EnvPrefix+"GRPC_MAX_RECV_BYTES") == "" {
		cfg.GRPC.MaxRecvBytes = s.DefaultMaxRecvBytes
	}
	return config.Load(cfg, s.EnvPrefix)
}

// Migrate brings the database up to date and seeds it.
func (s Spec) Migrate(ctx context.Context, cfg Config) error {
	pool, err := pgdb.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgdb.Migrate(ctx, pool, s.Migrations, s.Sets...); err != nil {
		return err
	}
	if s.Seed != nil {
		return s.Seed(ctx, pool)
	}
	return nil
}

// Run serves until ctx is done, then stops taking calls, drains and closes everything.
func (s Spec) Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if cfg.GRPC.Addr == "" {
		cfg.GRPC.Addr = s.DefaultGRPC
	}
	if cfg.GRPC.MaxRecvBytes == 0 {
		cfg.GRPC.MaxRecvBytes = s.DefaultMaxRecvBytes
	}
	roles, err := parseRoles(cfg.Roles)
	if err != nil {
		return err
	}
	if err := s.Migrate(ctx, cfg); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if cfg.DatabaseMaxConns < 0 {
		return fmt.Errorf("%sDATABASE_MAX_CONNS is %d: want 0 (the default) or more", s.EnvPrefix, cfg.DatabaseMaxConns)
	}
	pool, err := pgdb.OpenMax(ctx, cfg.DatabaseURL, cfg.DatabaseMaxConns)
	if err != nil {
		return err
	}
	defer pool.Close()

	nc, err := natsx.Connect(ctx, natsx.Config{URL: cfg.NATSURL, StoreDir: cfg.NATSStoreDir, Replicas: cfg.StreamReplicas, Name: s.Name, Logger: log})
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	defer nc.Close()
	for _, stream := range append(s.Streams, natsx.DeadLetterStream()) {
		if cfg.DuplicateWindow > 0 && stream.Name == strings.ToUpper(s.Name) {
			stream.Duplicates = cfg.DuplicateWindow
		}
		if err := nc.EnsureStream(ctx, stream); err != nil {
			return err
		}
	}
	for _, stream := range s.Follows {
		if err := nc.FollowStream(ctx, stream); err != nil {
			return err
		}
	}

	verifier := auth.NewVerifier(auth.Config{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, JWKSURL: cfg.OIDCJWKSURL})
	srv, err := grpcserver.New(cfg.GRPC, s.Errors, verifier, log, s.PublicMethods...)
	if err != nil {
		return err
	}
	rt := &Runtime{Pool: pool, NATS: nc, Server: srv, Log: log}
	if err := s.Setup(rt); err != nil {
		return err
	}

	lis := cfg.Listener
	if roles[RoleAPI] && lis == nil {
		if lis, err = net.Listen("tcp", cfg.GRPC.Addr); err != nil {
			return err
		}
	}

	faults := injectedFaults(s.EnvPrefix, log)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { <-gctx.Done(); return nil }) // a process whose roles have nothing to run still waits
	if roles[RoleAPI] {
		log.Info(s.Name+" gRPC listening", "addr", lis.Addr().String())
		g.Go(func() error { return srv.Serve(gctx, lis, cfg.ShutdownTimeout) })
		g.Go(func() error { return purgeRequestIDs(gctx, pool, log) })
		for _, w := range rt.workers {
			g.Go(func() error { return w.run(gctx) })
		}
	}
	if roles[RoleRelay] {
		relay := outbox.NewRelay(pool, nc.JS, outbox.RelayConfig{AfterAck: faults.relayAfterAck}, log.With("worker", "outbox-relay"))
		g.Go(func() error { return relay.Run(gctx) })
	}
	if roles[RoleConsumers] {
		for _, c := range rt.consumers {
			if c.cfg.AckWait == 0 {
				c.cfg.AckWait = cfg.ConsumerAckWait
			}
			if faults.consumerBeforeAck != nil {
				c.cfg.BeforeAck = faults.consumerBeforeAck
			}
			g.Go(func() error { return inbox.Run(gctx, pool, nc.JS, c.cfg, c.h, log.With("worker", c.cfg.Durable)) })
		}
	}
	log.Info(s.Name+" running", "roles", strings.Join(slices.Sorted(maps.Keys(roles)), ","))
	return g.Wait()
}

// faults are fault-injection hooks for the fault tests; nil unless the binary is built with
// -tags faultinject and the <PREFIX>FAULT_* settings ask for them (faults_on.go).
type faults struct {
	relayAfterAck     func() error
	consumerBeforeAck func(jetstream.Msg) bool
}

// Main is the whole of a service's command: `NAME` serves, `NAME migrate` migrates and exits.
// Settings come from the environment; SIGINT and SIGTERM stop it gracefully.
func (s Spec) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := s.main(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", s.Name, err)
		os.Exit(1)
	}
}

func (s Spec) main(ctx context.Context, args []string) error {
	var cfg Config
	if err := s.Load(&cfg); err != nil {
		return err
	}
	cfg.Logger = logging.New(s.Name, cfg.LogLevel)
	slog.SetDefault(cfg.Logger)
	config.Log(cfg.Logger, "configuration", s.EnvPrefix, cfg)
	if len(args) > 0 && args[0] == "migrate" {
		return s.Migrate(ctx, cfg)
	}
	shutdown, err := telemetry.Setup(ctx, s.Name)
	if err != nil {
		return err
	}
	defer func() { _ = shutdown(context.WithoutCancel(ctx)) }() // exporting the last spans is best effort
	return s.Run(ctx, cfg)
}

// Request ids are kept for a week: long enough for any client's retries.
const requestIDRetention = 7 * 24 * time.Hour

func purgeRequestIDs(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := idempotency.Purge(ctx, pool, requestIDRetention); err != nil && ctx.Err() == nil {
			log.Warn("purging old request ids failed", "err", err)
		} else if n > 0 {
			log.Info("purged old request ids", "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
