// Package service describes the outreach service to the platform's runtime: its database,
// streams, reference data, APIs, workers and consumers.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/db"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/ports/events"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Settings are the outreach service's own settings, read from OUTREACH_* variables at start.
type Settings struct {
	ReminderInterval time.Duration `env:"REMINDER_INTERVAL" default:"10m" desc:"how often meetings past their time without a closing report are looked for (each is reminded once per city day)"`
}

// Options change how the service runs, for tests: a clock and faster jobs.
type Options struct {
	Now      func() time.Time
	Settings Settings // fields set here win over the environment
}

// Spec is the outreach service as it runs in production.
var Spec = NewSpec(Options{})

// NewSpec describes the outreach service with opts.
func NewSpec(opts Options) svc.Spec {
	return svc.Spec{
		Name:        "outreach",
		EnvPrefix:   "OUTREACH_",
		DefaultGRPC: "127.0.0.1:9092",
		Errors:      app.Errors,
		Migrations:  db.Migrations,
		Sets:        []pgdb.Set{directory.Migrations},
		Streams:     []jetstream.StreamConfig{natsx.StreamFor("outreach")},
		// The directory and appeals' events, created when missing so outreach may start first.
		Follows:       []jetstream.StreamConfig{directory.Stream(), natsx.StreamFor("appeals")},
		PublicMethods: grpcapi.PublicMethods,
		Seed: func(ctx context.Context, pool *pgxpool.Pool) error {
			return postgres.New(pool).SeedReferenceData(ctx)
		},
		Setup: func(rt *svc.Runtime) error { return setup(rt, opts) },
	}
}

func loadSettings(opts Options, log *slog.Logger) Settings {
	s := opts.Settings
	if err := config.Load(&s, "OUTREACH_"); err != nil && log != nil {
		log.Warn("outreach settings: using defaults where unreadable", "err", err)
	}
	if s.ReminderInterval <= 0 {
		s.ReminderInterval = 10 * time.Minute
	}
	return s
}

func setup(rt *svc.Runtime, opts Options) error {
	settings := loadSettings(opts, rt.Log)
	config.Log(rt.Log, "outreach settings", "OUTREACH_", settings)
	outreach := app.New(postgres.New(rt.Pool), opts.Now)
	outreachv1.RegisterOutreachServiceServer(rt.Server, grpcapi.New(outreach))

	directory.Follow(rt, "outreach")
	// The appeals of referred questions: their registration and answer show on the question.
	rt.Consume(inbox.ConsumerConfig{
		Stream:         natsx.StreamFor("appeals").Name,
		Durable:        "outreach-appeals",
		FilterSubjects: []string{events.SubjectAppealRegistered, events.SubjectAppealAnswered},
	}, events.Appeals(outreach))

	// Reminders of missing closing reports. Every replica runs the job; a (meeting, day) row
	// inserted in the publishing transaction makes each reminder go out once a day.
	rt.Every("report-reminders", settings.ReminderInterval, func(ctx context.Context, log *slog.Logger) error {
		n, err := outreach.RemindReports(ctx)
		if n > 0 {
			log.Info("closing report reminders published", "meetings", n)
		}
		return err
	})
	return nil
}
