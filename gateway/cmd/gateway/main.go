// Command gateway runs the REST edge of Cityhall (settings from GATEWAY_* variables).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/cityhall-khv/cityhall/gateway"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/telemetry"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var cfg gateway.Config
	if err := gateway.LoadConfig(&cfg); err != nil {
		return err
	}
	cfg.Logger = logging.New("gateway", os.Getenv("GATEWAY_LOG_LEVEL"))
	slog.SetDefault(cfg.Logger)
	config.Log(cfg.Logger, "configuration", gateway.EnvPrefix, cfg)
	shutdown, err := telemetry.Setup(ctx, "gateway")
	if err != nil {
		return err
	}
	defer func() { _ = shutdown(context.WithoutCancel(ctx)) }() // exporting the last spans is best effort
	return gateway.Run(ctx, cfg)
}
