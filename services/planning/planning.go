// Package planning is the planning service: plans and their execution control, and the city's
// organisation directory (districts, departments, officials) that every other service follows.
// Run starts it; both cmd/planning and the all-in-one cityhall command call it.
package planning

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/cityhall-khv/cityhall/services/planning/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/grpcserver"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// EnvPrefix starts every environment variable of this service.
const EnvPrefix = "PLANNING_"

// Config is the service's settings, read from PLANNING_* environment variables.
type Config struct {
	DatabaseURL     string        `env:"DATABASE_URL" secret:"true" desc:"PostgreSQL URL of the planning database"`
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

// DefaultGRPCAddr is planning's gRPC address unless PLANNING_GRPC_ADDR says otherwise
// (appeals has 127.0.0.1:9090).
const DefaultGRPCAddr = "127.0.0.1:9091"

// LoadConfig reads the settings from the environment over the given defaults.
func LoadConfig(cfg *Config) error {
	if cfg.GRPC.Addr == "" {
		cfg.GRPC.Addr = DefaultGRPCAddr
	}
	return config.Load(cfg, EnvPrefix)
}

// Run serves the planning service until ctx is done.
func Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if cfg.GRPC.Addr == "" {
		cfg.GRPC.Addr = DefaultGRPCAddr
	}
	return service.Run(ctx, service.Deps{
		DatabaseURL:     cfg.DatabaseURL,
		NATS:            natsx.Config{URL: cfg.NATSURL, StoreDir: cfg.NATSStoreDir, Name: "planning", Logger: log},
		Auth:            auth.Config{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, JWKSURL: cfg.OIDCJWKSURL},
		GRPC:            cfg.GRPC,
		Listener:        cfg.Listener,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          log,
	})
}

// Migrate applies the schema and seeds an empty directory, for the `migrate` subcommand and init jobs.
func Migrate(ctx context.Context, cfg Config) error { return service.Migrate(ctx, cfg.DatabaseURL) }
