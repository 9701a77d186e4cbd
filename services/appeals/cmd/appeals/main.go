// Command appeals runs the citizens' appeals service.
//
//	appeals           serve (settings from APPEALS_* variables)
//	appeals migrate   apply the schema and reference data, then exit
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/telemetry"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "appeals:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var cfg appeals.Config
	if err := appeals.LoadConfig(&cfg); err != nil {
		return err
	}
	cfg.Logger = logging.New("appeals", cfg.LogLevel)
	slog.SetDefault(cfg.Logger)
	config.Log(cfg.Logger, "configuration", appeals.EnvPrefix, cfg)
	if len(args) > 0 && args[0] == "migrate" {
		return appeals.Migrate(ctx, cfg)
	}
	shutdown, err := telemetry.Setup(ctx, "appeals")
	if err != nil {
		return err
	}
	defer shutdown(context.WithoutCancel(ctx))
	return appeals.Run(ctx, cfg)
}
