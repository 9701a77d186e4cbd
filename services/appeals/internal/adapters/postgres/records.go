package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db/appealsdb"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

func applicantScope(s app.ApplicantScope) (departments []string, createdBy *string) {
	if len(s.Departments) > 0 {
		departments = s.Departments
	}
	if s.CreatedBy != "" {
		createdBy = &s.CreatedBy
	}
	return departments, createdBy
}

func addAudit(ctx context.Context, q *appealsdb.Queries, rec app.AuditRecord) error {
	var appeal *uuid.UUID
	if rec.AppealID != uuid.Nil {
		appeal = &rec.AppealID
	}
	return q.InsertAuditRecord(ctx, appealsdb.InsertAuditRecordParams{
		Time: rec.Time, Actor: rec.Actor.Login, ActorName: rec.Actor.Name, Action: rec.Action, AppealID: appeal, Purpose: rec.Purpose,
	})
}

func (r *Repository) ReadApplicant(ctx context.Context, id uuid.UUID, scope app.ApplicantScope, audit app.AuditRecord) (domain.Applicant, error) {
	if scope.Empty() {
		return domain.Applicant{}, app.ErrNotFound // deny by default, whatever the caller forgot
	}
	var out domain.Applicant
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		depts, createdBy := applicantScope(scope)
		p, err := q.ReadApplicant(ctx, appealsdb.ReadApplicantParams{AppealID: id, Departments: depts, CreatedBy: createdBy})
		if errors.Is(err, pgx.ErrNoRows) {
			return app.ErrNotFound
		}
		if err != nil {
			return err
		}
		out = domain.Applicant{FullName: p.FullName, PostalAddress: p.PostalAddress, Email: p.Email, Phone: p.Phone}
		if p.DestroyTime != nil {
			out.DestroyTime = p.DestroyTime.UTC()
		}
		return addAudit(ctx, q, audit)
	})
	return out, err
}

func (r *Repository) AuditRecords(ctx context.Context, aq app.AuditQuery) ([]app.AuditRecord, error) {
	p := appealsdb.ListAuditRecordsParams{RowLimit: int32(aq.Limit)}
	if aq.AppealID != uuid.Nil {
		p.AppealID = &aq.AppealID
	}
	if aq.Actor != "" {
		p.Actor = &aq.Actor
	}
	if aq.Action != "" {
		p.Action = &aq.Action
	}
	if !aq.From.IsZero() {
		p.TimeFrom = &aq.From
	}
	if !aq.To.IsZero() {
		p.TimeTo = &aq.To
	}
	if aq.AfterID > 0 {
		p.AfterID = &aq.AfterID
	}
	rows, err := r.q.ListAuditRecords(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]app.AuditRecord, len(rows))
	for i, row := range rows {
		out[i] = app.AuditRecord{ID: row.ID, Time: row.Time.UTC(), Actor: app.Actor{Login: row.Actor, Name: row.ActorName},
			Action: row.Action, Purpose: row.Purpose}
		if row.AppealID != nil {
			out[i].AppealID = *row.AppealID
		}
	}
	return out, nil
}

func (r *Repository) AddAttachment(ctx context.Context, att domain.Attachment, scope app.Scope, actor app.Actor) (domain.Appeal, error) {
	var out domain.Appeal
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		row, err := q.GetAppealForUpdate(ctx, appealsdb.GetAppealForUpdateParams{ID: att.AppealID, Departments: scope.Departments})
		if errors.Is(err, pgx.ErrNoRows) {
			return app.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := q.InsertAttachment(ctx, appealsdb.InsertAttachmentParams{
			ID: att.ID, AppealID: att.AppealID, Filename: att.Filename, ContentType: att.ContentType, SizeBytes: att.Size,
			Content: att.Content, Creator: att.Creator, CreateTime: att.CreateTime,
		}); err != nil {
			return err
		}
		version, err := q.CountAttachment(ctx, appealsdb.CountAttachmentParams{ID: att.AppealID, UpdateTime: att.CreateTime})
		if err != nil {
			return err
		}
		if out, err = appealFromRow(row.Appeal, row.DepartmentName, row.ApplicantDestroyed); err != nil {
			return err
		}
		out.Version, out.UpdateTime, out.AttachmentCount = version, att.CreateTime, out.AttachmentCount+1
		if err := addHistory(ctx, q, out.ID, att.CreateTime, actor, domain.ActionAttachmentAdded, out.State,
			att.Filename+" ("+att.ContentType+")"); err != nil {
			return err
		}
		return publish(ctx, tx, SubjectAppealStateChanged, stateChangedEvent(out))
	})
	return out, err
}

func (r *Repository) Attachments(ctx context.Context, appealID uuid.UUID, scope app.Scope) ([]domain.Attachment, error) {
	rows, err := r.q.ListAttachments(ctx, appealsdb.ListAttachmentsParams{AppealID: appealID, Departments: scope.Departments})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Attachment, len(rows))
	for i, a := range rows {
		out[i] = domain.Attachment{ID: a.ID, AppealID: a.AppealID, Filename: a.Filename, ContentType: a.ContentType,
			Size: a.SizeBytes, Creator: a.Creator, CreateTime: a.CreateTime.UTC()}
	}
	return out, nil
}

func (r *Repository) ReadAttachment(ctx context.Context, appealID, id uuid.UUID, scope app.ApplicantScope, audit app.AuditRecord) (domain.Attachment, error) {
	if scope.Empty() {
		return domain.Attachment{}, app.ErrNotFound
	}
	var out domain.Attachment
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		depts, createdBy := applicantScope(scope)
		a, err := q.ReadAttachment(ctx, appealsdb.ReadAttachmentParams{AppealID: appealID, ID: id, Departments: depts, CreatedBy: createdBy})
		if errors.Is(err, pgx.ErrNoRows) {
			return app.ErrNotFound
		}
		if err != nil {
			return err
		}
		out = domain.Attachment{ID: a.ID, AppealID: a.AppealID, Filename: a.Filename, ContentType: a.ContentType,
			Size: a.SizeBytes, Content: a.Content, Creator: a.Creator, CreateTime: a.CreateTime.UTC()}
		return addAudit(ctx, q, audit)
	})
	return out, err
}

func (r *Repository) NotifyDeadlines(ctx context.Context, today, dueSoonFrom domain.Date, now time.Time, limit int) (int, int, error) {
	var dueSoon, overdue int
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		soon, err := q.DueSoonAppeals(ctx, appealsdb.DueSoonAppealsParams{Today: dateToPG(today), DueSoonFrom: dateToPG(dueSoonFrom), RowLimit: int32(limit)})
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(soon))
		for i, a := range soon {
			ids[i] = a.ID
			due := dateFromPG(a.AnswerDueDate)
			if err := addHistory(ctx, q, a.ID, now, app.System, domain.ActionDueSoon, domain.State(a.State),
				"the answer is due on "+due.String()); err != nil {
				return err
			}
			if err := publish(ctx, tx, SubjectAppealDueSoon, &appealsv1.AppealDueSoon{
				Appeal: app.AppealName(a.ID), Department: a.Department, AnswerDueDate: dateToProto(due),
			}); err != nil {
				return err
			}
		}
		if err := q.MarkDueSoon(ctx, appealsdb.MarkDueSoonParams{Ids: ids, Now: &now}); err != nil {
			return err
		}
		late, err := q.OverdueAppeals(ctx, appealsdb.OverdueAppealsParams{Today: dateToPG(today), RowLimit: int32(limit)})
		if err != nil {
			return err
		}
		ids = make([]uuid.UUID, len(late))
		for i, a := range late {
			ids[i] = a.ID
			due := dateFromPG(a.AnswerDueDate)
			if err := addHistory(ctx, q, a.ID, now, app.System, domain.ActionOverdue, domain.State(a.State),
				"the answer was due on "+due.String()); err != nil {
				return err
			}
			if err := publish(ctx, tx, SubjectAppealOverdue, &appealsv1.AppealOverdue{
				Appeal: app.AppealName(a.ID), Department: a.Department, AnswerDueDate: dateToProto(due),
			}); err != nil {
				return err
			}
		}
		dueSoon, overdue = len(soon), len(late)
		return q.MarkOverdue(ctx, appealsdb.MarkOverdueParams{Ids: ids, Now: &now})
	})
	if err != nil {
		return 0, 0, err
	}
	return dueSoon, overdue, nil
}

func (r *Repository) DestroyApplicants(ctx context.Context, closedBefore, now time.Time, limit int) (int, error) {
	var n int
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := r.q.WithTx(tx)
		rows, err := q.ExpiredApplicants(ctx, appealsdb.ExpiredApplicantsParams{ClosedBefore: &closedBefore, RowLimit: int32(limit)})
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]uuid.UUID, len(rows))
		for i, row := range rows {
			ids[i] = row.AppealID
			if err := addHistory(ctx, q, row.AppealID, now, app.System, domain.ActionApplicantDestroyed, domain.State(row.State),
				"the retention period after closing ended"); err != nil {
				return err
			}
			if err := addAudit(ctx, q, app.AuditRecord{Time: now, Actor: app.System, Action: app.AuditDestroy, AppealID: row.AppealID,
				Purpose: "retention period ended"}); err != nil {
				return err
			}
		}
		n = len(rows)
		return q.DestroyApplicants(ctx, appealsdb.DestroyApplicantsParams{Ids: ids, Now: &now})
	})
	return n, err
}
