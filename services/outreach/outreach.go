// Package outreach is the service of information meetings with residents: monthly meeting
// plans approved by the vice-mayor, meetings and their closing reports, follow-up questions
// that become appeals, statistics, and public calendars. Run starts it; both cmd/outreach and
// the all-in-one cityhall command call it.
package outreach

import (
	"context"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Config is the service's settings, read from OUTREACH_* environment variables.
type Config = svc.Config

// EnvPrefix starts every environment variable of this service.
var EnvPrefix = service.Spec.EnvPrefix

// DefaultGRPCAddr is outreach's gRPC address unless OUTREACH_GRPC_ADDR says otherwise.
var DefaultGRPCAddr = service.Spec.DefaultGRPC

// LoadConfig reads the settings from the environment over the given defaults.
func LoadConfig(cfg *Config) error { return service.Spec.Load(cfg) }

// Run serves the outreach service until ctx is done.
func Run(ctx context.Context, cfg Config) error { return service.Spec.Run(ctx, cfg) }

// Migrate applies the schema and reference data, for the `migrate` subcommand and init jobs.
func Migrate(ctx context.Context, cfg Config) error { return service.Spec.Migrate(ctx, cfg) }

// Main is the outreach command: serve, or `migrate`.
func Main() { service.Spec.Main() }
