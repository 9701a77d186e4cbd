// Package service wires the appeals service together: database, broker, gRPC server,
// outbox relay and event consumers, with an orderly shutdown.
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
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/events"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/grpcserver"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
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

// Migrate brings the database schema up to date and loads the reference data.
func Migrate(ctx context.Context, databaseURL string) error {
	pool, err := pgdb.Open(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgdb.Migrate(ctx, pool, db.Migrations, directory.Migrations); err != nil {
		return err
	}
	return postgres.New(pool).SeedReferenceData(ctx)
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
	for _, stream := range []jetstream.StreamConfig{natsx.StreamFor("appeals"), directory.Stream(), natsx.DeadLetterStream()} {
		if err := nc.EnsureStream(ctx, stream); err != nil {
			return err
		}
	}

	repo := postgres.New(pool)
	svc := app.New(repo, time.Now)
	srv, err := grpcserver.New(d.GRPC, app.Errors, auth.NewVerifier(d.Auth), log)
	if err != nil {
		return err
	}
	appealsv1.RegisterAppealServiceServer(srv, grpcapi.New(svc))

	lis := d.Listener
	if lis == nil {
		if lis, err = net.Listen("tcp", d.GRPC.Addr); err != nil {
			return err
		}
	}
	log.Info("appeals gRPC listening", "addr", lis.Addr().String())

	// Not ready until the directory copy has arrived: without it every clerk would be refused.
	srv.Health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := directory.WaitFilled(gctx, pool); err != nil {
			return nil // stopping before the copy arrived
		}
		srv.Health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
		return nil
	})
	g.Go(func() error { return srv.Serve(gctx, lis, d.ShutdownTimeout) })
	g.Go(func() error {
		return outbox.NewRelay(pool, nc.JS, outbox.RelayConfig{}, log.With("worker", "outbox-relay")).Run(gctx)
	})
	g.Go(func() error {
		return inbox.Run(gctx, pool, nc.JS, inbox.ConsumerConfig{
			Stream:         natsx.StreamFor("appeals").Name,
			Durable:        "appeals-statistics",
			FilterSubjects: []string{postgres.SubjectAppealRegistered},
		}, events.Registrations(svc), log.With("worker", "statistics-consumer"))
	})
	g.Go(func() error {
		return inbox.Run(gctx, pool, nc.JS, directory.Consumer("appeals"), directory.Apply, log.With("worker", "directory-copy"))
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
