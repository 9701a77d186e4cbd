// Package svc runs a Cityhall service: the settings every service shares, and the common
// life cycle (migrate, connect, serve gRPC, relay the outbox, purge old request ids, stop in
// order). A service describes itself in a Spec; its own code only registers its APIs and workers.
package svc

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
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
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/telemetry"
)

// Config is a service's settings, read from <SERVICE>_* environment variables.
type Config struct {
	DatabaseURL     string        `env:"DATABASE_URL" secret:"true" desc:"PostgreSQL URL of the service's database"`
	NATSURL         string        `env:"NATS_URL" desc:"NATS server URL; empty starts an embedded server"`
	NATSStoreDir    string        `env:"NATS_STORE_DIR" desc:"JetStream storage of the embedded server"`
	OIDCIssuer      string        `env:"OIDC_ISSUER" default:"http://localhost:8080/oidc" desc:"OIDC issuer whose tokens are accepted"`
	OIDCAudience    string        `env:"OIDC_AUDIENCE" default:"cityhall" desc:"required token audience"`
	OIDCJWKSURL     string        `env:"OIDC_JWKS_URL" desc:"JWKS URL; discovered from the issuer when empty"`
	LogLevel        string        `env:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" default:"20s" desc:"how long in-flight calls may drain on stop"`
	GRPC            grpcserver.Config

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
	Streams     []jetstream.StreamConfig
	// DefaultMaxRecvBytes is its largest request message unless <PREFIX>GRPC_MAX_RECV_BYTES
	// says otherwise (0: the platform's 4 MB), e.g. for a service that takes file uploads.
	DefaultMaxRecvBytes int
	// Seed loads reference data after the migrations (optional); it must be safe to repeat.
	Seed func(ctx context.Context, pool *pgxpool.Pool) error
	// Setup registers the gRPC APIs on rt.Server and starts the service's workers with rt.Go.
	Setup func(rt *Runtime) error
}

// Runtime is what a running service has to work with.
type Runtime struct {
	Pool   *pgxpool.Pool
	NATS   *natsx.Conn
	Server *grpcserver.Server
	Log    *slog.Logger

	workers []worker
}

type worker struct {
	name string
	run  func(ctx context.Context) error
}

// Go adds a worker that runs until the service stops (a consumer, a scheduled job).
func (rt *Runtime) Go(name string, run func(ctx context.Context) error) {
	rt.workers = append(rt.workers, worker{name, run})
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
	if err := s.Migrate(ctx, cfg); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	pool, err := pgdb.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	nc, err := natsx.Connect(ctx, natsx.Config{URL: cfg.NATSURL, StoreDir: cfg.NATSStoreDir, Name: s.Name, Logger: log})
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	defer nc.Close()
	for _, stream := range append(s.Streams, natsx.DeadLetterStream()) {
		if err := nc.EnsureStream(ctx, stream); err != nil {
			return err
		}
	}

	verifier := auth.NewVerifier(auth.Config{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, JWKSURL: cfg.OIDCJWKSURL})
	srv, err := grpcserver.New(cfg.GRPC, s.Errors, verifier, log)
	if err != nil {
		return err
	}
	rt := &Runtime{Pool: pool, NATS: nc, Server: srv, Log: log}
	if err := s.Setup(rt); err != nil {
		return err
	}

	lis := cfg.Listener
	if lis == nil {
		if lis, err = net.Listen("tcp", cfg.GRPC.Addr); err != nil {
			return err
		}
	}
	log.Info(s.Name+" gRPC listening", "addr", lis.Addr().String())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Serve(gctx, lis, cfg.ShutdownTimeout) })
	g.Go(func() error {
		return outbox.NewRelay(pool, nc.JS, outbox.RelayConfig{}, log.With("worker", "outbox-relay")).Run(gctx)
	})
	g.Go(func() error { return purgeRequestIDs(gctx, pool, log) })
	for _, w := range rt.workers {
		g.Go(func() error { return w.run(gctx) })
	}
	return g.Wait()
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
