// Package service describes the appeals service to the platform's runtime: its database,
// streams, reference data, APIs and workers.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/events"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/config"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
)

// Settings are the appeals service's own settings, read from APPEALS_* variables at start
// (beside the platform's svc.Config).
type Settings struct {
	AttachmentMaxBytes int64         `env:"ATTACHMENT_MAX_BYTES" default:"10485760" desc:"largest attached file"`
	PDRetention        time.Duration `env:"PD_RETENTION" default:"43824h" desc:"personal data of an appeal is destroyed this long after it closed (43824h: 5 years)"`
	DeadlineInterval   time.Duration `env:"DEADLINE_INTERVAL" default:"1m" desc:"how often the due-soon and overdue reminders are published"`
	RetentionInterval  time.Duration `env:"RETENTION_INTERVAL" default:"1h" desc:"how often expired personal data is destroyed"`
	NumberingInterval  time.Duration `env:"NUMBERING_INTERVAL" default:"30s" desc:"how often appeals committed without a registration number (their process stopped before numbering them) are numbered"`
}

// Options change how the service runs, for tests: a clock and faster jobs. Zero values keep
// the defaults (time.Now, the settings from the environment).
type Options struct {
	Now      func() time.Time
	Settings Settings // fields set here win over the environment
}

// Spec is the appeals service as it runs in production.
var Spec = NewSpec(Options{})

// grpcHeadroom is what a request needs beyond its attachment: the other fields and framing.
const grpcHeadroom = 1 << 20

// NewSpec describes the appeals service with opts.
func NewSpec(opts Options) svc.Spec {
	return svc.Spec{
		Name:        "appeals",
		EnvPrefix:   "APPEALS_",
		DefaultGRPC: "127.0.0.1:9090",
		// An attachment travels whole in one message. APPEALS_GRPC_MAX_RECV_BYTES still wins.
		DefaultMaxRecvBytes: int(loadSettings(opts, nil).AttachmentMaxBytes) + grpcHeadroom,
		Errors:              app.Errors,
		Migrations:          db.Migrations,
		Sets:                []pgdb.Set{directory.Migrations},
		Streams:             []jetstream.StreamConfig{natsx.StreamFor("appeals")},
		Follows:             []jetstream.StreamConfig{directory.Stream(), natsx.StreamFor("outreach")},
		Seed: func(ctx context.Context, pool *pgxpool.Pool) error {
			return postgres.New(pool).SeedReferenceData(ctx)
		},
		Setup: func(rt *svc.Runtime) error { return setup(rt, opts) },
	}
}

// loadSettings reads the settings from the environment under the options' overrides.
func loadSettings(opts Options, log *slog.Logger) Settings {
	s := opts.Settings
	if err := config.Load(&s, "APPEALS_"); err != nil && log != nil {
		log.Warn("appeals settings: using defaults where unreadable", "err", err)
	}
	def := Settings{AttachmentMaxBytes: domain.DefaultMaxAttachmentBytes, PDRetention: app.DefaultPDRetention,
		DeadlineInterval: time.Minute, RetentionInterval: time.Hour, NumberingInterval: 30 * time.Second}
	if s.AttachmentMaxBytes <= 0 {
		s.AttachmentMaxBytes = def.AttachmentMaxBytes
	}
	if s.PDRetention <= 0 {
		s.PDRetention = def.PDRetention
	}
	if s.DeadlineInterval <= 0 {
		s.DeadlineInterval = def.DeadlineInterval
	}
	if s.RetentionInterval <= 0 {
		s.RetentionInterval = def.RetentionInterval
	}
	if s.NumberingInterval <= 0 {
		s.NumberingInterval = def.NumberingInterval
	}
	return s
}

func setup(rt *svc.Runtime, opts Options) error {
	settings := loadSettings(opts, rt.Log)
	config.Log(rt.Log, "appeals settings", "APPEALS_", settings)
	appeals := app.New(postgres.New(rt.Pool), opts.Now, app.Settings{
		MaxAttachmentBytes: settings.AttachmentMaxBytes, PDRetention: settings.PDRetention,
	})
	appealsv1.RegisterAppealServiceServer(rt.Server, grpcapi.New(appeals))

	directory.Follow(rt, "appeals")
	rt.Consume(inbox.ConsumerConfig{
		Stream:         natsx.StreamFor("appeals").Name,
		Durable:        "appeals-statistics",
		FilterSubjects: []string{postgres.SubjectAppealRegistered},
	}, events.Registrations(appeals))
	// A meeting question needing follow-up becomes one appeal (DOMAIN.md, flows).
	rt.Consume(inbox.ConsumerConfig{
		Stream:         natsx.StreamFor("outreach").Name,
		Durable:        "appeals-outreach-questions",
		FilterSubjects: []string{events.SubjectQuestionReferred},
	}, events.ReferredQuestions(appeals))

	// The deadline reminders and the destruction of expired personal data. Every replica runs
	// them; the rows they take are locked with SKIP LOCKED, so each is handled once.
	rt.Every("deadlines", settings.DeadlineInterval, func(ctx context.Context, log *slog.Logger) error {
		soon, overdue, err := appeals.NotifyDeadlines(ctx)
		if soon+overdue > 0 {
			log.Info("deadline reminders published", "due_soon", soon, "overdue", overdue)
		}
		return err
	})
	// A registration is numbered right after its commit by the call that made it; should that
	// process stop in between, the appeal is numbered here.
	rt.Every("numbering", settings.NumberingInterval, func(ctx context.Context, log *slog.Logger) error {
		n, err := appeals.NumberLeftovers(ctx)
		if n > 0 {
			log.Warn("appeals left without a registration number numbered", "appeals", n)
		}
		return err
	})
	rt.Every("pd-retention", settings.RetentionInterval, func(ctx context.Context, log *slog.Logger) error {
		n, err := appeals.DestroyExpiredApplicants(ctx)
		if n > 0 {
			log.Info("expired personal data destroyed", "appeals", n)
		}
		return err
	})
	return nil
}
