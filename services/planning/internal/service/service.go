// Package service describes the planning service to the platform's runtime: its database,
// streams, seed data and APIs.
package service

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/db"
	"github.com/cityhall-khv/cityhall/services/planning/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Spec is the planning service.
var Spec = svc.Spec{
	Name:        "planning",
	EnvPrefix:   "PLANNING_",
	DefaultGRPC: "127.0.0.1:9091",
	Errors:      app.Errors,
	Migrations:  db.Migrations,
	Streams:     []jetstream.StreamConfig{directory.Stream()},
	// An empty directory is seeded from the city's reference data, once.
	Seed: func(ctx context.Context, pool *pgxpool.Pool) error { return postgres.New(pool).Seed(ctx, time.Now()) },
	Setup: func(rt *svc.Runtime) error {
		planningv1.RegisterDirectoryServiceServer(rt.Server, grpcapi.New(app.New(postgres.New(rt.Pool), time.Now)))
		return nil
	},
}
