// Package service wires the planning service together: database, broker, gRPC server and
// outbox relay, with an orderly shutdown.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/db"
	"github.com/cityhall-khv/cityhall/services/planning/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/grpcserver"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Deps are the resources the service runs on, opened by the caller.
type Deps struct {
	DatabaseURL     string
	NATS            natsx.Config
	Auth            auth.Config
	GRPC            grpcserver.Config
	Listener        net.Listener // optional; else GRPC.Addr is listened on
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
}

// Migrate brings the database schema up to date and seeds an empty directory.
func Migrate(ctx context.Context, databaseURL string) error {
	pool, err := pgdb.Open(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgdb.Migrate(ctx, pool, db.Migrations); err != nil {
		return err
	}
	return postgres.New(pool).Seed(ctx, time.Now())
}

// Run serves until ctx is done, then stops taking calls, drains and closes everything.
func Run(ctx context.Context, d Deps) error {
	log := d.Logger
	if err := Migrate(ctx, d.DatabaseURL); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	pool, err := pgdb.Open(ctx, d.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	nc, err := natsx.Connect(ctx, d.NATS)
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	defer nc.Close()
	for _, stream := range []jetstream.StreamConfig{directory.Stream(), natsx.DeadLetterStream()} {
		if err := nc.EnsureStream(ctx, stream); err != nil {
			return err
		}
	}

	svc := app.New(postgres.New(pool), time.Now)
	srv, err := grpcserver.New(d.GRPC, app.Errors, auth.NewVerifier(d.Auth), log)
	if err != nil {
		return err
	}
	planningv1.RegisterDirectoryServiceServer(srv, grpcapi.New(svc))

	lis := d.Listener
	if lis == nil {
		if lis, err = net.Listen("tcp", d.GRPC.Addr); err != nil {
			return err
		}
	}
	log.Info("planning gRPC listening", "addr", lis.Addr().String())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Serve(gctx, lis, d.ShutdownTimeout) })
	g.Go(func() error {
		return outbox.NewRelay(pool, nc.JS, outbox.RelayConfig{}, log.With("worker", "outbox-relay")).Run(gctx)
	})
	g.Go(func() error { return purgeRequestIDs(gctx, pool, log) })
	return g.Wait()
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
