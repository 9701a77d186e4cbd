// Package postgres stores appeals in the service's own PostgreSQL database.
package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db/appealsdb"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// SubjectAppealRegistered carries appealsv1.AppealRegistered.
var SubjectAppealRegistered = natsx.Subject("appeals", "appeal_registered")

// Repository implements app.Repository.
type Repository struct {
	pool *pgxpool.Pool
	q    *appealsdb.Queries
}

// New returns the repository on pool.
func New(pool *pgxpool.Pool) *Repository {
	return &Repository{pool: pool, q: appealsdb.New(pool)}
}

var _ app.Repository = (*Repository)(nil)

func (r *Repository) Register(ctx context.Context, idem *idempotency.Key, year int, build func(seq int) domain.Appeal, createdBy string) (domain.Appeal, error) {
	var out domain.Appeal
	var existing uuid.UUID
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if idem != nil {
			name, err := idempotency.Claim(ctx, tx, *idem)
			if errors.Is(err, idempotency.ErrReused) {
				return app.ErrRequestIDReused
			}
			if err != nil {
				return err
			}
			if name != "" {
				existing, err = uuid.Parse(name[len("appeals/"):])
				return err
			}
		}
		q := r.q.WithTx(tx)
		seq, err := q.NextRegistrationSeq(ctx, int32(year))
		if err != nil {
			return err
		}
		out = build(int(seq))
		if err := q.InsertAppeal(ctx, insertParams(out, createdBy)); err != nil {
			return err
		}
		if _, err := outbox.Add(ctx, tx, SubjectAppealRegistered, registeredEvent(out)); err != nil {
			return err
		}
		if idem != nil {
			return idempotency.Complete(ctx, tx, *idem, "appeals/"+out.ID.String())
		}
		return nil
	})
	if err != nil {
		return domain.Appeal{}, err
	}
	if existing != uuid.Nil {
		// A retry: answer with the appeal as it is now. The caller's idempotency key already
		// proved it may see it (same principal), so no scope is applied.
		return r.Get(ctx, existing, app.Scope{})
	}
	return out, nil
}

func (r *Repository) Get(ctx context.Context, id uuid.UUID, scope app.Scope) (domain.Appeal, error) {
	row, err := r.q.GetAppeal(ctx, appealsdb.GetAppealParams{ID: id, Departments: scope.Departments})
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Appeal{}, app.ErrNotFound
	}
	if err != nil {
		return domain.Appeal{}, err
	}
	a := appealFromRow(row.Appeal)
	a.DepartmentName = row.DepartmentName
	return a, nil
}

func (r *Repository) Department(ctx context.Context, code string) (app.Department, bool, error) {
	d, known, err := directory.LookupDepartment(ctx, r.pool, code)
	return app.Department{Name: d.Name, Active: d.Active}, known, err
}

func (r *Repository) UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error) {
	known, err := r.q.KnownClassifierCodes(ctx, codes)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(known))
	for _, c := range known {
		set[c] = true
	}
	var unknown []string
	for _, c := range codes {
		if !set[c] {
			unknown = append(unknown, c)
		}
	}
	return unknown, nil
}

func (r *Repository) CountRegistration(ctx context.Context, tx app.Tx, day domain.Date, department, section string, channel domain.Channel) error {
	return r.q.WithTx(tx.(pgx.Tx)).CountRegistration(ctx, appealsdb.CountRegistrationParams{
		Day: dateToPG(day), Department: department, Section: section, Channel: int16(channel),
	})
}

func insertParams(a domain.Appeal, createdBy string) appealsdb.InsertAppealParams {
	return appealsdb.InsertAppealParams{
		ID: a.ID, RegistrationNumber: a.RegistrationNumber, ReceiveTime: a.ReceiveTime, RegisterTime: a.RegisterTime,
		Channel: int16(a.Channel), Text: a.Text, ClassifierCodes: a.ClassifierCodes, District: a.District,
		Department: a.Department, Collective: a.Collective, Signatories: int32(a.Signatories), State: int16(a.State),
		RegisterDueDate: dateToPG(a.RegisterDueDate), AnswerDueDate: dateToPG(a.AnswerDueDate),
		UpdateTime: a.UpdateTime, Version: a.Version, CreatedBy: createdBy,
	}
}

func appealFromRow(r appealsdb.Appeal) domain.Appeal {
	return domain.Appeal{
		ID: r.ID, RegistrationNumber: r.RegistrationNumber, ReceiveTime: r.ReceiveTime.UTC(), RegisterTime: r.RegisterTime.UTC(),
		Channel: domain.Channel(r.Channel), Text: r.Text, ClassifierCodes: r.ClassifierCodes, District: r.District,
		Department: r.Department, Collective: r.Collective, Signatories: int(r.Signatories), State: domain.State(r.State),
		RegisterDueDate: dateFromPG(r.RegisterDueDate), AnswerDueDate: dateFromPG(r.AnswerDueDate),
		UpdateTime: r.UpdateTime.UTC(), Version: r.Version,
	}
}

func registeredEvent(a domain.Appeal) *appealsv1.AppealRegistered {
	return &appealsv1.AppealRegistered{
		Appeal:             "appeals/" + a.ID.String(),
		RegistrationNumber: a.RegistrationNumber,
		RegisterTime:       timestamppb.New(a.RegisterTime),
		Channel:            appealsv1.Channel(a.Channel),
		ClassifierCodes:    a.ClassifierCodes,
		District:           a.District,
		Department:         a.Department,
		AnswerDueDate:      &date.Date{Year: int32(a.AnswerDueDate.Year), Month: int32(a.AnswerDueDate.Month), Day: int32(a.AnswerDueDate.Day)},
	}
}

// A date column travels as midnight UTC, whatever the session time zone.
func dateToPG(d domain.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateFromPG(t time.Time) domain.Date {
	return domain.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}
