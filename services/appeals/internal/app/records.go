package app

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// AppealHistory lists the history of an appeal the caller may see, oldest first, after the
// entry afterID; more tells whether another page follows.
func (s *Service) AppealHistory(ctx context.Context, id uuid.UUID, afterID int64, limit int) ([]HistoryEntry, bool, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return nil, false, err
	}
	if _, err := s.repo.Get(ctx, id, acc.read); err != nil {
		return nil, false, notFound(err, AppealName(id))
	}
	rows, err := s.repo.History(ctx, id, acc.read, afterID, limit+1)
	if err != nil {
		return nil, false, err
	}
	if len(rows) > limit {
		return rows[:limit], true, nil
	}
	return rows, false, nil
}

// GetApplicant returns the applicant of an appeal to those who work on it, and writes the
// read to the audit log with its purpose in the same transaction.
func (s *Service) GetApplicant(ctx context.Context, id uuid.UUID, purpose string) (domain.Applicant, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Applicant{}, err
	}
	name := AppealName(id) + "/applicant"
	if acc.applicant.Empty() {
		return domain.Applicant{}, denied("NO_PERSONAL_DATA_ACCESS",
			"your role does not read applicants' personal data; those working on the appeal do")
	}
	if strings.TrimSpace(purpose) == "" {
		return domain.Applicant{}, Errors.Invalid("PURPOSE_REQUIRED", "say why you read the personal data")
	}
	ap, err := s.repo.ReadApplicant(ctx, id, acc.applicant, AuditRecord{
		Time: s.stamp(), Actor: acc.actor(), Action: AuditReadApplicant, AppealID: id, Purpose: purpose,
	})
	return ap, notFound(err, name)
}

// ListAuditRecords lists the audit log, newest first (auditors only).
func (s *Service) ListAuditRecords(ctx context.Context, q AuditQuery) ([]AuditRecord, bool, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, false, err
	}
	if !p.Has(auth.RoleAuditor) {
		return nil, false, denied("NOT_AN_AUDITOR", "only auditors read the audit log")
	}
	limit := q.Limit
	q.Limit++
	rows, err := s.repo.AuditRecords(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if len(rows) > limit {
		return rows[:limit], true, nil
	}
	return rows, false, nil
}

// CreateAttachment attaches a file to an appeal. Those who work on the appeal (and admins)
// attach files, in any state: the answer's scan is often attached after the answer.
func (s *Service) CreateAttachment(ctx context.Context, att domain.Attachment) (domain.Attachment, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Attachment{}, err
	}
	name := AppealName(att.AppealID)
	cur, err := s.repo.Get(ctx, att.AppealID, acc.read)
	if err != nil {
		return domain.Attachment{}, notFound(err, name)
	}
	if !acc.works(cur) && !acc.p.Has(auth.RoleAdmin) {
		return domain.Attachment{}, denied("CANNOT_ATTACH", "only those working on the appeal attach files to it")
	}
	ct, vs := domain.CheckAttachment(att.Filename, att.ContentType, att.Content, s.settings.MaxAttachmentBytes)
	if len(vs) > 0 {
		reason := "INVALID_ATTACHMENT"
		if int64(len(att.Content)) > s.settings.MaxAttachmentBytes {
			reason = "ATTACHMENT_TOO_LARGE"
		}
		fvs := violations("attachment", vs)
		return domain.Attachment{}, Errors.Invalid(reason, "the file cannot be attached: "+summary(fvs), fvs...)
	}
	if att.ID, err = uuid.NewV7(); err != nil {
		return domain.Attachment{}, err
	}
	att.ContentType, att.Size, att.Creator, att.CreateTime = ct, int64(len(att.Content)), acc.p.Login, s.stamp()
	if _, err := s.repo.AddAttachment(ctx, att, acc.read, acc.actor()); err != nil {
		return domain.Attachment{}, notFound(err, name)
	}
	att.Content = nil
	return att, nil
}

// ListAttachments lists the files of an appeal the caller may see (without their content).
func (s *Service) ListAttachments(ctx context.Context, appealID uuid.UUID) ([]domain.Attachment, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.repo.Get(ctx, appealID, acc.read); err != nil {
		return nil, notFound(err, AppealName(appealID))
	}
	return s.repo.Attachments(ctx, appealID, acc.read)
}

// DownloadAttachment returns a file. Files carry the applicant's letter and so personal data:
// they are read by those who read the applicant, and every read is audited.
func (s *Service) DownloadAttachment(ctx context.Context, appealID, id uuid.UUID) (domain.Attachment, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Attachment{}, err
	}
	name := AppealName(appealID) + "/attachments/" + id.String()
	if acc.applicant.Empty() {
		return domain.Attachment{}, denied("NO_PERSONAL_DATA_ACCESS",
			"attached files hold personal data; those working on the appeal read them")
	}
	att, err := s.repo.ReadAttachment(ctx, appealID, id, acc.applicant, AuditRecord{
		Time: s.stamp(), Actor: acc.actor(), Action: AuditReadAttachment, AppealID: appealID, Purpose: "download " + id.String(),
	})
	if errors.Is(err, ErrNotFound) {
		return domain.Attachment{}, Errors.NotFound(name)
	}
	return att, err
}
