// Package appeals is the citizens' appeals service (59-FZ): registration, deadlines and
// execution control of appeals. Run starts it; both cmd/appeals and the all-in-one cityhall
// command call it.
package appeals

import (
	"context"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Config is the service's settings, read from APPEALS_* environment variables.
type Config = svc.Config

// EnvPrefix starts every environment variable of this service.
var EnvPrefix = service.Spec.EnvPrefix

// LoadConfig reads the settings from the environment over the given defaults.
func LoadConfig(cfg *Config) error { return service.Spec.Load(cfg) }

// Run serves the appeals service until ctx is done.
func Run(ctx context.Context, cfg Config) error { return service.Spec.Run(ctx, cfg) }

// Migrate applies the schema and reference data, for the `migrate` subcommand and init jobs.
func Migrate(ctx context.Context, cfg Config) error { return service.Spec.Migrate(ctx, cfg) }

// Main is the appeals command: serve, or `migrate`.
func Main() { service.Spec.Main() }
