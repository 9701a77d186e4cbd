// Package service describes the appeals service to the platform's runtime: its database,
// streams, reference data, APIs and workers.
package service

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/events"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Spec is the appeals service.
var Spec = svc.Spec{
	Name:        "appeals",
	EnvPrefix:   "APPEALS_",
	DefaultGRPC: "127.0.0.1:9090",
	Errors:      app.Errors,
	Migrations:  db.Migrations,
	Sets:        []pgdb.Set{directory.Migrations},
	Streams:     []jetstream.StreamConfig{natsx.StreamFor("appeals"), directory.Stream()},
	Seed: func(ctx context.Context, pool *pgxpool.Pool) error {
		return postgres.New(pool).SeedReferenceData(ctx)
	},
	Setup: setup,
}

func setup(rt *svc.Runtime) error {
	appeals := app.New(postgres.New(rt.Pool), time.Now)
	appealsv1.RegisterAppealServiceServer(rt.Server, grpcapi.New(appeals))

	// Not ready until the directory copy has arrived: without it every clerk would be refused.
	rt.Server.Health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	rt.Go("directory-ready", func(ctx context.Context) error {
		if directory.WaitFilled(ctx, rt.Pool) == nil {
			rt.Server.Health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
		}
		return nil
	})
	rt.Go("directory-copy", func(ctx context.Context) error {
		return inbox.Run(ctx, rt.Pool, rt.NATS.JS, directory.Consumer("appeals"), directory.Apply, rt.Log.With("worker", "directory-copy"))
	})
	rt.Go("statistics", func(ctx context.Context) error {
		return inbox.Run(ctx, rt.Pool, rt.NATS.JS, inbox.ConsumerConfig{
			Stream:         natsx.StreamFor("appeals").Name,
			Durable:        "appeals-statistics",
			FilterSubjects: []string{postgres.SubjectAppealRegistered},
		}, events.Registrations(appeals), rt.Log.With("worker", "statistics"))
	})
	return nil
}
