// Package postgres stores appeals in the service's own PostgreSQL database.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/cityhall-khv/cityhall/services/appeals/db/appealsdb"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Subjects of the events the service publishes (payloads: appealsv1 events.proto).
var (
	SubjectAppealRegistered   = natsx.Subject("appeals", "appeal_registered")
	SubjectAppealStateChanged = natsx.Subject("appeals", "appeal_state_changed")
	SubjectAppealAnswered     = natsx.Subject("appeals", "appeal_answered")
	SubjectAppealDueSoon      = natsx.Subject("appeals", "appeal_due_soon")
	SubjectAppealOverdue      = natsx.Subject("appeals", "appeal_overdue")
)

// Repository implements app.Repository.
type Repository struct {
	pool      *pgxpool.Pool
	q         *appealsdb.Queries
	numbering *rounds
}

// New returns the repository on pool.
func New(pool *pgxpool.Pool) *Repository {
	r := &Repository{pool: pool, q: appealsdb.New(pool)}
	r.numbering = &rounds{step: r.numberingStep}
	return r
}

var _ app.Repository = (*Repository)(nil)

// Registration numbers are gapless and in register-time order per year, yet registrations
// commit in parallel: a registration stores its appeal without a number, holding the numbering
// lock shared; right after its commit, a numbering step takes the lock exclusively (so it waits
// for the registrations in flight, and registrations begun after it wait for it), numbers every
// appeal committed without a number in one statement, writes their AppealRegistered events and
// commits. The create calls of a process that commit while a step runs share the next one
// (rounds): one numbering transaction serves the whole group. The registration time is read
// after the shared lock is granted, so every appeal numbered in a step was registered before
// any appeal numbered in a later one, and within a step they are numbered by registration time.
const (
	lockNumberingShared    = `SELECT pg_advisory_xact_lock_shared(hashtext('appeals.numbering'))`
	lockNumberingExclusive = `SELECT pg_advisory_xact_lock(hashtext('appeals.numbering'))`
)

func (r *Repository) Register(ctx context.Context, in app.NewAppeal) (domain.Appeal, error) {
	var out domain.Appeal
	var existing uuid.UUID
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if in.Idem != nil {
			name, err := idempotency.Claim(ctx, tx, *in.Idem)
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
		var err error
		out, err = r.insertThen(ctx, tx, in, lockNumberingShared, func(tx pgx.Tx, a domain.Appeal) error {
			if in.Idem != nil {
				return idempotency.Complete(ctx, tx, *in.Idem, app.AppealName(a.ID))
			}
			return nil
		})
		return err
	})
	if err != nil {
		return domain.Appeal{}, err
	}
	if existing != uuid.Nil {
		// A retry: answer with the appeal as it is now, numbered (the first call may have
		// stopped between its commits). The caller's idempotency key already proved it may see
		// it (same principal), so no scope is applied.
		a, err := r.Get(ctx, existing, app.Scope{})
		if err != nil || a.RegistrationNumber != "" {
			return a, err
		}
		if _, _, err := r.awaitNumber(ctx, existing); err != nil {
			return domain.Appeal{}, err
		}
		return r.Get(ctx, existing, app.Scope{})
	}
	// Committed: the appeal exists. Should numbering fail here, the appeal keeps waiting for
	// its number (a retry with the request id, or the numbering sweep, gives it).
	out.RegistrationNumber, out.Version, err = r.awaitNumber(ctx, out.ID)
	if err != nil {
		return domain.Appeal{}, fmt.Errorf("appeal %s registered, not numbered yet: %w", app.AppealName(out.ID), err)
	}
	return out, nil
}

// awaitNumber returns the number and version of the committed appeal id once it has them: it
// joins this process's next numbering round (rounds), which numbers it unless another
// process's step already has.
func (r *Repository) awaitNumber(ctx context.Context, id uuid.UUID) (string, int64, error) {
	got, err := r.numbering.join(ctx)
	if err != nil {
		return "", 0, err
	}
	if n, ok := got[id]; ok {
		return n.number, n.version, nil
	}
	row, err := r.q.AppealNumber(ctx, id)
	if err != nil {
		return "", 0, fmt.Errorf("appeal %s: %w", app.AppealName(id), err)
	}
	if row.RegistrationNumber == nil {
		return "", 0, fmt.Errorf("appeal %s was not numbered", app.AppealName(id))
	}
	return *row.RegistrationNumber, row.Version, nil
}

// numberingStep is one round: the numbering lock taken exclusively, every committed appeal
// without a number numbered, committed.
func (r *Repository) numberingStep(ctx context.Context) (map[uuid.UUID]numbered, error) {
	var got map[uuid.UUID]numbered
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockNumberingExclusive); err != nil {
			return err
		}
		appeals, err := r.numberPending(ctx, tx)
		got = make(map[uuid.UUID]numbered, len(appeals))
		for _, a := range appeals {
			got[a.ID] = numbered{a.RegistrationNumber, a.Version}
		}
		return err
	})
	return got, err
}

// numberPending is the numbering step in tx, which holds the numbering lock exclusively: every
// appeal without a number gets one and its AppealRegistered event. It returns them.
func (r *Repository) numberPending(ctx context.Context, tx pgx.Tx) ([]domain.Appeal, error) {
	rows, err := r.q.WithTx(tx).NumberPendingAppeals(ctx)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	out := make([]domain.Appeal, len(rows))
	for i, row := range rows {
		if out[i], err = appealFromRow(row, "", false); err != nil {
			return nil, err
		}
	}
	err = pgdb.Batched(ctx, tx, func(tx pgx.Tx) error {
		for _, a := range out {
			if _, err := outbox.Add(ctx, tx, SubjectAppealRegistered, registeredEvent(a)); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// NumberLeftovers is the numbering sweep: the appeals whose registration committed but whose
// numbering did not run (the process stopped in between) get their numbers.
func (r *Repository) NumberLeftovers(ctx context.Context) (int, error) {
	var waiting bool
	if err := r.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM appeals WHERE registration_number IS NULL)`).Scan(&waiting); err != nil || !waiting {
		return 0, err
	}
	n := 0
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockNumberingExclusive); err != nil {
			return err
		}
		numbered, err := r.numberPending(ctx, tx)
		n = len(numbered)
		return err
	})
	return n, err
}

// insert stores a new appeal, its applicant and its first history entry, without its number,
// in tx, which holds the numbering lock.
func (r *Repository) insert(ctx context.Context, tx pgx.Tx, in app.NewAppeal) (domain.Appeal, error) {
	return r.insertThen(ctx, tx, in, "", nil)
}

// insertThen is insert followed by then's writes (Exec only) in the same round trip; lock, if
// set, takes the numbering lock first, as late as it can be: the numbering step waits for the
// transactions that hold it, and registrations begun after the step wait for it.
func (r *Repository) insertThen(ctx context.Context, tx pgx.Tx, in app.NewAppeal, lock string, then func(pgx.Tx, domain.Appeal) error) (domain.Appeal, error) {
	q := r.q.WithTx(tx)
	var previous []uuid.UUID
	if k := in.Keys; k.NameAddress != "" || k.Email != "" || k.Phone != "" {
		var err error
		previous, err = q.PreviousAppeals(ctx, appealsdb.PreviousAppealsParams{
			Since: in.Since, NameAddressKey: k.NameAddress, EmailKey: k.Email, PhoneKey: k.Phone, Questions: in.Questions,
		})
		if err != nil {
			return domain.Appeal{}, err
		}
	}
	if lock != "" {
		if _, err := tx.Exec(ctx, lock); err != nil {
			return domain.Appeal{}, err
		}
	}
	// Read under the numbering lock: the registration time is the appeal's place in the order.
	out := in.Build(in.Now(), previous)
	out.RegistrationNumber, out.Version = "", 0
	params, err := insertParams(out, in.CreatedBy)
	if err != nil {
		return domain.Appeal{}, err
	}
	err = pgdb.Batched(ctx, tx, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		if err := q.InsertAppeal(ctx, params); err != nil {
			return err
		}
		if p := in.Applicant; p != nil {
			if err := q.InsertApplicant(ctx, appealsdb.InsertApplicantParams{
				AppealID: out.ID, FullName: p.FullName, PostalAddress: p.PostalAddress, Email: p.Email, Phone: p.Phone,
				NameAddressKey: in.Keys.NameAddress, EmailKey: in.Keys.Email, PhoneKey: in.Keys.Phone,
			}); err != nil {
				return err
			}
		}
		note := in.Note
		if out.Repeated {
			note = strings.TrimPrefix(note+"; repeated: "+app.AppealName(out.PreviousAppeals[0]), "; ")
		}
		if err := addHistory(ctx, q, out.ID, out.RegisterTime, in.Actor, domain.ActionRegistered, out.State, note); err != nil {
			return err
		}
		if then != nil {
			return then(tx, out)
		}
		return nil
	})
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "23505" && pgErr.ConstraintName == "appeals_source" {
		return domain.Appeal{}, app.ErrSourceTaken
	}
	if err != nil {
		return domain.Appeal{}, err
	}
	return out, nil
}

func (r *Repository) Get(ctx context.Context, id uuid.UUID, scope app.Scope) (domain.Appeal, error) {
	return get(ctx, r.q, id, scope)
}

func get(ctx context.Context, q *appealsdb.Queries, id uuid.UUID, scope app.Scope) (domain.Appeal, error) {
	row, err := q.GetAppeal(ctx, appealsdb.GetAppealParams{ID: id, Departments: scope.Departments})
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Appeal{}, app.ErrNotFound
	}
	if err != nil {
		return domain.Appeal{}, err
	}
	return appealFromRow(row.Appeal, row.DepartmentName, row.ApplicantDestroyed)
}

func (r *Repository) Visible(ctx context.Context, ids []uuid.UUID, scope app.Scope) ([]uuid.UUID, error) {
	return r.q.VisibleAppeals(ctx, appealsdb.VisibleAppealsParams{Ids: ids, Departments: scope.Departments})
}

func (r *Repository) Department(ctx context.Context, code string) (app.Department, bool, error) {
	d, known, err := directory.LookupDepartment(ctx, r.pool, code)
	return app.Department{Name: d.Name, Active: d.Active}, known, err
}

func (r *Repository) CuratedDepartments(ctx context.Context, official uuid.UUID) ([]string, bool, error) {
	depts, err := r.q.CuratedDepartments(ctx, official)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	return depts, err == nil, err
}

func (r *Repository) UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
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

// changeTx implements app.ChangeTx.
type changeTx struct{ q *appealsdb.Queries }

func (t changeTx) Get(ctx context.Context, id uuid.UUID, scope app.Scope) (domain.Appeal, error) {
	return get(ctx, t.q, id, scope)
}

func (t changeTx) AnyAnswered(ctx context.Context, ids []uuid.UUID) (bool, error) {
	if len(ids) == 0 {
		return false, nil
	}
	return t.q.AnyAnswered(ctx, ids)
}

func (r *Repository) Change(ctx context.Context, id uuid.UUID, read, write app.Scope, actor app.Actor,
	decide func(app.ChangeTx, domain.Appeal) (domain.Step, error)) (domain.Appeal, error) {
	var out domain.Appeal
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		row, err := q.GetAppealForUpdate(ctx, appealsdb.GetAppealForUpdateParams{ID: id, Departments: read.Departments})
		if errors.Is(err, pgx.ErrNoRows) {
			return app.ErrNotFound
		}
		if err != nil {
			return err
		}
		cur, err := appealFromRow(row.Appeal, row.DepartmentName, row.ApplicantDestroyed)
		if err != nil {
			return err
		}
		st, err := decide(changeTx{q}, cur)
		if err != nil {
			return err
		}
		params, err := updateParams(st.Appeal, cur.Version, write)
		if err != nil {
			return err
		}
		n, err := q.UpdateAppeal(ctx, params)
		if err != nil {
			return err
		}
		if n != 1 {
			return app.ErrConflict
		}
		a := st.Appeal
		if err := addHistory(ctx, q, a.ID, a.UpdateTime, actor, st.Action, a.State, st.Note); err != nil {
			return err
		}
		if err := publish(ctx, tx, SubjectAppealStateChanged, stateChangedEvent(a)); err != nil {
			return err
		}
		if st.Action == domain.ActionAnswered {
			if err := publish(ctx, tx, SubjectAppealAnswered, answeredEvent(a)); err != nil {
				return err
			}
		}
		out = a
		if a.Department != cur.Department {
			out.DepartmentName = "" // filled below from the directory copy
		}
		return nil
	})
	if err != nil {
		return domain.Appeal{}, err
	}
	if out.DepartmentName == "" {
		return r.Get(ctx, out.ID, app.Scope{}) // the caller was allowed to make the change: show its result
	}
	return out, nil
}

func publish(ctx context.Context, tx pgx.Tx, subject string, msg proto.Message) error {
	_, err := outbox.Add(ctx, tx, subject, msg)
	return err
}

func addHistory(ctx context.Context, q *appealsdb.Queries, id uuid.UUID, at time.Time, actor app.Actor, action domain.Action, state domain.State, note string) error {
	return q.InsertHistory(ctx, appealsdb.InsertHistoryParams{
		AppealID: id, Time: at, Actor: actor.Login, ActorName: actor.Name, Action: string(action), State: int16(state), Note: note,
	})
}

func (r *Repository) History(ctx context.Context, id uuid.UUID, scope app.Scope, afterID int64, limit int) ([]app.HistoryEntry, error) {
	rows, err := r.q.ListHistory(ctx, appealsdb.ListHistoryParams{AppealID: id, AfterID: afterID, RowLimit: int32(limit), Departments: scope.Departments})
	if err != nil {
		return nil, err
	}
	out := make([]app.HistoryEntry, len(rows))
	for i, h := range rows {
		out[i] = app.HistoryEntry{ID: h.ID, Time: h.Time.UTC(), Actor: app.Actor{Login: h.Actor, Name: h.ActorName},
			Action: domain.Action(h.Action), State: domain.State(h.State), Note: h.Note}
	}
	return out, nil
}
