// Command planning runs the planning service (with the organisation directory).
//
//	planning           serve (settings from PLANNING_* variables)
//	planning migrate   apply the schema and seed an empty directory, then exit
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/cityhall-khv/cityhall/services/planning"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/telemetry"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "planning:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var cfg planning.Config
	if err := planning.LoadConfig(&cfg); err != nil {
		return err
	}
	cfg.Logger = logging.New("planning", cfg.LogLevel)
	slog.SetDefault(cfg.Logger)
	config.Log(cfg.Logger, "configuration", planning.EnvPrefix, cfg)
	if len(args) > 0 && args[0] == "migrate" {
		return planning.Migrate(ctx, cfg)
	}
	shutdown, err := telemetry.Setup(ctx, "planning")
	if err != nil {
		return err
	}
	defer func() { _ = shutdown(context.WithoutCancel(ctx)) }() // exporting the last spans is best effort
	return planning.Run(ctx, cfg)
}
