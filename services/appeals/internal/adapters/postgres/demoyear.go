package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// LoadDemoYear stores a generated year with COPY, in one transaction: the appeals as the
// workflow leaves them (numbers, deadlines, states, answers), their history, their synthetic
// applicants, the registration counter and the daily registration statistics. It does
// nothing (and returns 0) when the year's demo appeals are already there. No events are
// published: the year is history, and no consumer needs to hear of it.
func (r *Repository) LoadDemoYear(ctx context.Context, year int, appeals []demoyear.Appeal) (int, error) {
	loaded := 0
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('appeals.demo-year'))"); err != nil {
			return err
		}
		// The demo appeals are numbered here, from the year's counter, which only the holder
		// of the numbering lock may move.
		if _, err := tx.Exec(ctx, lockNumberingExclusive); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM appeals WHERE created_by = $1 AND registration_number LIKE $2)`,
			demoyear.CreatedBy, fmt.Sprintf("%d-%%", year)).Scan(&exists); err != nil {
			return err
		}
		if exists || len(appeals) == 0 {
			return nil
		}
		// Appeals registered in that year already keep their numbers; the demo ones follow.
		var base int
		err := tx.QueryRow(ctx, `SELECT last FROM registration_counters WHERE year = $1`, year).Scan(&base)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO registration_counters (year, last) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET last = $2`, year, base+len(appeals)); err != nil {
			return err
		}
		if err := copyAppeals(ctx, tx, year, base, appeals); err != nil {
			return fmt.Errorf("demo year appeals: %w", err)
		}
		if err := copyHistory(ctx, tx, appeals); err != nil {
			return fmt.Errorf("demo year history: %w", err)
		}
		if err := copyApplicants(ctx, tx, appeals); err != nil {
			return fmt.Errorf("demo year applicants: %w", err)
		}
		// What the AppealRegistered consumer would have counted.
		if _, err := tx.Exec(ctx, `
			INSERT INTO registrations_daily (day, department, section, channel, appeals)
			SELECT (a.register_time AT TIME ZONE 'Asia/Vladivostok')::date, a.department, s.section, a.channel, count(*)
			FROM appeals a CROSS JOIN LATERAL (SELECT DISTINCT left(c, 4) AS section FROM unnest(a.classifier_codes) c) s
			WHERE a.created_by = $1 AND a.registration_number LIKE $2
			GROUP BY 1, 2, 3, 4
			ON CONFLICT (day, department, section, channel) DO UPDATE SET appeals = registrations_daily.appeals + excluded.appeals`,
			demoyear.CreatedBy, fmt.Sprintf("%d-%%", year)); err != nil {
			return err
		}
		loaded = len(appeals)
		return nil
	})
	return loaded, err
}

func copyAppeals(ctx context.Context, tx pgx.Tx, year, base int, appeals []demoyear.Appeal) error {
	columns := []string{"id", "registration_number", "receive_time", "register_time", "channel", "text", "classifier_codes",
		"district", "department", "collective", "signatories", "state", "register_due_date", "answer_due_date",
		"update_time", "version", "created_by",
		"anonymous", "addressee", "co_executors", "executor", "repeated", "previous_appeals", "forward_due_date",
		"extension_days", "extension_reason", "extended_by", "extend_time",
		"answer_text", "answer_result", "answer_signer", "answer_time", "answer_on_time", "answer_oral",
		"forwarded_to", "forward_time", "forward_late", "applicant_notified",
		"closing_reason", "leave_reason", "close_time", "due_soon_notified_at", "overdue_notified_at", "reception_card"}
	src := pgx.CopyFromSlice(len(appeals), func(i int) ([]any, error) {
		a := &appeals[i]
		card, err := cardToJSON(a.ReceptionCard) // the workflow's own encoding
		if err != nil {
			return nil, err
		}
		return []any{
			a.ID, domain.RegistrationNumber(year, base+i+1), a.ReceiveTime, a.RegisterTime, int16(a.Channel), a.Text, a.ClassifierCodes,
			a.District, a.Department, a.Collective, int32(a.Signatories), int16(a.State), pgDay(a.RegisterDueDate), pgDay(a.AnswerDueDate),
			a.UpdateTime, a.Version, demoyear.CreatedBy,
			a.Anonymous, a.Addressee, demoStrings(a.CoExecutors), a.Executor, a.Repeated, demoIDs(a.PreviousAppeal), pgDay(a.ForwardDueDate),
			int16(a.ExtensionDays), a.ExtensionReason, a.ExtendedBy, demoTime(a.ExtendTime),
			a.AnswerText, int16(a.AnswerResult), a.AnswerSigner, demoTime(a.AnswerTime), a.AnswerOnTime, a.AnswerOral,
			a.ForwardedTo, demoTime(a.ForwardTime), a.ForwardLate, a.ApplicantNotified,
			a.ClosingReason, int16(a.LeaveReason), demoTime(a.CloseTime), demoTime(a.DueSoonNotified), demoTime(a.OverdueNotified), card,
		}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"appeals"}, columns, src)
	return err
}

func copyHistory(ctx context.Context, tx pgx.Tx, appeals []demoyear.Appeal) error {
	type entry struct {
		appeal uuid.UUID
		e      *demoyear.Event
	}
	var entries []entry
	for i := range appeals {
		for k := range appeals[i].History {
			entries = append(entries, entry{appeals[i].ID, &appeals[i].History[k]})
		}
	}
	src := pgx.CopyFromSlice(len(entries), func(i int) ([]any, error) {
		e := entries[i]
		return []any{e.appeal, e.e.Time, e.e.Actor, e.e.ActorName, string(e.e.Action), int16(e.e.State), e.e.Note}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"appeal_history"},
		[]string{"appeal_id", "time", "actor", "actor_name", "action", "state", "note"}, src)
	return err
}

// copyApplicants stores the synthetic applicants («Житель 00123» at a made-up address) with
// the match keys the workflow computes, so that repeated appeals are found the same way.
// Nothing is stored when the service has no applicants table.
func copyApplicants(ctx context.Context, tx pgx.Tx, appeals []demoyear.Appeal) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('applicants') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return err
	}
	var with []*demoyear.Appeal
	for i := range appeals {
		if appeals[i].Applicant != 0 {
			with = append(with, &appeals[i])
		}
	}
	src := pgx.CopyFromSlice(len(with), func(i int) ([]any, error) {
		a := with[i]
		p := domain.Applicant{FullName: demoyear.ApplicantName(a.Applicant), PostalAddress: demoyear.ApplicantAddress(a.Applicant)}
		k := p.Keys()
		return []any{a.ID, p.FullName, p.PostalAddress, "", "", k.NameAddress, k.Email, k.Phone}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"applicants"},
		[]string{"appeal_id", "full_name", "postal_address", "email", "phone", "name_address_key", "email_key", "phone_key"}, src)
	return err
}

func demoTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func demoStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func demoIDs(s []uuid.UUID) []uuid.UUID {
	if s == nil {
		return []uuid.UUID{}
	}
	return s
}
