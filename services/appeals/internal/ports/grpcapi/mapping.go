package grpcapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

func registrationOf(req *appealsv1.CreateAppealRequest) (domain.Registration, error) {
	a := req.GetAppeal()
	related, err := appealIDs("appeal.related_appeals", a.GetRelatedAppeals())
	if err != nil {
		return domain.Registration{}, err
	}
	r := domain.Registration{
		Channel:         domain.Channel(a.GetChannel()),
		Text:            a.GetText(),
		ClassifierCodes: a.GetClassifierCodes(),
		District:        a.GetDistrict(),
		Department:      a.GetDepartment(),
		Collective:      a.GetCollective(),
		Signatories:     int(a.GetSignatories()),
		Anonymous:       a.GetAnonymous(),
		Addressee:       a.GetAddressee(),
		ReceptionCard:   cardFromProto(a.GetReceptionCard()),
		RelatedAppeals:  related,
		Source:          a.GetSource(),
	}
	if a.GetReceiveTime() != nil {
		r.ReceiveTime = a.GetReceiveTime().AsTime()
	}
	if p := req.GetApplicant(); p != nil {
		r.Applicant = &domain.Applicant{
			FullName: strings.TrimSpace(p.GetFullName()), PostalAddress: strings.TrimSpace(p.GetPostalAddress()),
			Email: strings.TrimSpace(p.GetEmail()), Phone: strings.TrimSpace(p.GetPhone()),
		}
	}
	return r, nil
}

func cardFromProto(c *appealsv1.ReceptionCard) *domain.ReceptionCard {
	if c == nil {
		return nil
	}
	out := &domain.ReceptionCard{Official: c.GetOfficial(), Summary: c.GetSummary(), OralAnswerConsented: c.GetOralAnswerConsented()}
	if d := c.GetReceptionDate(); d != nil {
		out.Date = DateFromProto(d)
	}
	return out
}

func cardToProto(c *domain.ReceptionCard) *appealsv1.ReceptionCard {
	if c == nil {
		return nil
	}
	out := &appealsv1.ReceptionCard{Official: c.Official, Summary: c.Summary, OralAnswerConsented: c.OralAnswerConsented}
	if !c.Date.IsZero() {
		out.ReceptionDate = dateToProto(c.Date)
	}
	return out
}

// appealIDs parses resource names `appeals/{uuid}`; field names the list for errors.
func appealIDs(field string, names []string) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for i, n := range names {
		id, err := uuid.Parse(strings.TrimPrefix(n, "appeals/"))
		if err != nil || !strings.HasPrefix(n, "appeals/") {
			return nil, app.Errors.Invalid("INVALID_NAME", field+" must hold appeals/{uuid}",
				apierr.FieldViolation{Field: field + "[" + strconv.Itoa(i) + "]", Description: "not appeals/{uuid}"})
		}
		out = append(out, id)
	}
	return out, nil
}

func appealNames(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = app.AppealName(id)
	}
	return out
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func appealToProto(a domain.Appeal) *appealsv1.Appeal {
	out := &appealsv1.Appeal{
		Name:                   app.AppealName(a.ID),
		RegistrationNumber:     a.RegistrationNumber,
		ReceiveTime:            timestamppb.New(a.ReceiveTime),
		RegisterTime:           timestamppb.New(a.RegisterTime),
		Channel:                appealsv1.Channel(a.Channel),
		Text:                   a.Text,
		ClassifierCodes:        a.ClassifierCodes,
		District:               a.District,
		Department:             a.Department,
		DepartmentDisplayName:  a.DepartmentName,
		Collective:             a.Collective,
		Signatories:            int32(a.Signatories),
		State:                  appealsv1.AppealState(a.State),
		RegisterDueDate:        dateToProto(a.RegisterDueDate),
		AnswerDueDate:          dateToProto(a.AnswerDueDate),
		ForwardDueDate:         dateToProto(a.ForwardDueDate),
		UpdateTime:             timestamppb.New(a.UpdateTime),
		Etag:                   strconv.FormatInt(a.Version, 10),
		Anonymous:              a.Anonymous,
		Addressee:              a.Addressee,
		CoExecutors:            a.CoExecutors,
		Executor:               a.Executor,
		ReceptionCard:          cardToProto(a.ReceptionCard),
		RelatedAppeals:         appealNames(a.RelatedAppeals),
		Repeated:               a.Repeated,
		PreviousAppeals:        appealNames(a.PreviousAppeals),
		DeadlineState:          appealsv1.DeadlineState(a.Deadline),
		ClosingReason:          a.ClosingReason,
		LeaveReason:            appealsv1.LeaveReason(a.LeaveReason),
		ApplicantDataDestroyed: a.ApplicantDataDestroyed,
		AttachmentCount:        int32(a.AttachmentCount),
		Source:                 a.Source,
	}
	if a.DuplicateOf != uuid.Nil {
		out.DuplicateOf = app.AppealName(a.DuplicateOf)
	}
	if e := a.Extension; e.Days > 0 {
		out.Extension = &appealsv1.Extension{Days: int32(e.Days), Reason: e.Reason, ExtendedBy: e.By, ExtendTime: ts(e.Time)}
	}
	if ans := a.Answer; !ans.Time.IsZero() {
		out.Answer = &appealsv1.AppealAnswer{Text: ans.Text, Result: appealsv1.AnswerResult(ans.Result), Signer: ans.Signer,
			AnswerTime: ts(ans.Time), OnTime: ans.OnTime, Oral: ans.Oral}
	}
	if f := a.Forwarding; !f.Time.IsZero() {
		out.Forwarding = &appealsv1.Forwarding{Body: f.Body, ForwardTime: ts(f.Time), ApplicantNotified: f.ApplicantNotified, Late: f.Late}
	}
	return out
}

func historyToProto(h app.HistoryEntry) *appealsv1.AppealHistoryEntry {
	return &appealsv1.AppealHistoryEntry{Time: timestamppb.New(h.Time), Actor: h.Actor.Login, ActorName: h.Actor.Name,
		Action: string(h.Action), State: appealsv1.AppealState(h.State), Note: h.Note}
}

func auditToProto(r app.AuditRecord) *appealsv1.AuditRecord {
	out := &appealsv1.AuditRecord{Time: timestamppb.New(r.Time), Actor: r.Actor.Login, ActorName: r.Actor.Name,
		Action: r.Action, Purpose: r.Purpose}
	if r.AppealID != uuid.Nil {
		out.Appeal = app.AppealName(r.AppealID)
	}
	return out
}

func applicantToProto(id uuid.UUID, p domain.Applicant) *appealsv1.Applicant {
	return &appealsv1.Applicant{Name: app.AppealName(id) + "/applicant", FullName: p.FullName, PostalAddress: p.PostalAddress,
		Email: p.Email, Phone: p.Phone, DestroyTime: ts(p.DestroyTime)}
}

func attachmentToProto(a domain.Attachment) *appealsv1.Attachment {
	return &appealsv1.Attachment{Name: app.AppealName(a.AppealID) + "/attachments/" + a.ID.String(), Filename: a.Filename,
		ContentType: a.ContentType, SizeBytes: a.Size, Creator: a.Creator, CreateTime: timestamppb.New(a.CreateTime)}
}

func dateToProto(d domain.Date) *date.Date {
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

// DateFromProto is the inverse of dateToProto.
func DateFromProto(d *date.Date) domain.Date {
	return domain.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
}
