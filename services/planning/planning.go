// Package planning is the planning service: plans and their execution control, and the city's
// organisation directory (districts, departments, officials) that every other service follows.
// Run starts it; both cmd/planning and the all-in-one cityhall command call it.
package planning

import (
	"context"

	"github.com/cityhall-khv/cityhall/services/planning/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Config is the service's settings, read from PLANNING_* environment variables.
type Config = svc.Config

// EnvPrefix starts every environment variable of this service.
var EnvPrefix = service.Spec.EnvPrefix

// DefaultGRPCAddr is planning's gRPC address unless PLANNING_GRPC_ADDR says otherwise.
var DefaultGRPCAddr = service.Spec.DefaultGRPC

// LoadConfig reads the settings from the environment over the given defaults.
func LoadConfig(cfg *Config) error { return service.Spec.Load(cfg) }

// Run serves the planning service until ctx is done.
func Run(ctx context.Context, cfg Config) error { return service.Spec.Run(ctx, cfg) }

// Migrate applies the schema and seeds an empty directory, for the `migrate` subcommand and init jobs.
func Migrate(ctx context.Context, cfg Config) error { return service.Spec.Migrate(ctx, cfg) }

// Main is the planning command: serve, or `migrate`.
func Main() { service.Spec.Main() }
