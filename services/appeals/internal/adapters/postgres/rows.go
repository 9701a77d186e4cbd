package postgres

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/db/appealsdb"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// receptionCard is the JSON of appeals.reception_card.
type receptionCard struct {
	Official            string `json:"official,omitempty"`
	Date                string `json:"reception_date,omitempty"` // YYYY-MM-DD
	Summary             string `json:"summary,omitempty"`
	OralAnswerConsented bool   `json:"oral_answer_consented,omitempty"`
}

func cardToJSON(c *domain.ReceptionCard) ([]byte, error) {
	if c == nil {
		return nil, nil
	}
	rc := receptionCard{Official: c.Official, Summary: c.Summary, OralAnswerConsented: c.OralAnswerConsented}
	if !c.Date.IsZero() {
		rc.Date = c.Date.String()
	}
	return json.Marshal(rc)
}

func cardFromJSON(b []byte) (*domain.ReceptionCard, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var rc receptionCard
	if err := json.Unmarshal(b, &rc); err != nil {
		return nil, err
	}
	c := &domain.ReceptionCard{Official: rc.Official, Summary: rc.Summary, OralAnswerConsented: rc.OralAnswerConsented}
	if rc.Date != "" {
		t, err := time.Parse(time.DateOnly, rc.Date)
		if err != nil {
			return nil, err
		}
		c.Date = dateFromPG(t)
	}
	return c, nil
}

// deref is the registration number, empty while the appeal waits for it.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// insertParams stores a registration without its number, in the year numbering restarts in.
func insertParams(a domain.Appeal, createdBy string) (appealsdb.InsertAppealParams, error) {
	card, err := cardToJSON(a.ReceptionCard)
	if err != nil {
		return appealsdb.InsertAppealParams{}, err
	}
	year := int32(domain.RegistrationYear(a.RegisterTime))
	return appealsdb.InsertAppealParams{
		ID: a.ID, RegistrationYear: &year, ReceiveTime: a.ReceiveTime, RegisterTime: a.RegisterTime,
		Channel: int16(a.Channel), Text: a.Text, ClassifierCodes: a.ClassifierCodes, District: a.District,
		Department: a.Department, Collective: a.Collective, Signatories: int32(a.Signatories), State: int16(a.State),
		RegisterDueDate: dateToPG(a.RegisterDueDate), AnswerDueDate: dateToPG(a.AnswerDueDate),
		ForwardDueDate: dateToPG(a.ForwardDueDate), UpdateTime: a.UpdateTime, CreatedBy: createdBy,
		Anonymous: a.Anonymous, Addressee: a.Addressee, ReceptionCard: card, RelatedAppeals: nonNil(a.RelatedAppeals),
		Repeated: a.Repeated, PreviousAppeals: nonNil(a.PreviousAppeals), Source: a.Source,
	}, nil
}

func updateParams(a domain.Appeal, readVersion int64, write app.Scope) (appealsdb.UpdateAppealParams, error) {
	card, err := cardToJSON(a.ReceptionCard)
	if err != nil {
		return appealsdb.UpdateAppealParams{}, err
	}
	var dup *uuid.UUID
	if a.DuplicateOf != uuid.Nil {
		dup = &a.DuplicateOf
	}
	return appealsdb.UpdateAppealParams{
		Text: a.Text, ClassifierCodes: a.ClassifierCodes, District: a.District, Addressee: a.Addressee,
		Collective: a.Collective, Signatories: int32(a.Signatories), ReceptionCard: card,
		RelatedAppeals: nonNil(a.RelatedAppeals), Department: a.Department, CoExecutors: nonNil(a.CoExecutors),
		Executor: a.Executor, State: int16(a.State), AnswerDueDate: dateToPG(a.AnswerDueDate), DuplicateOf: dup,
		ExtensionDays: int16(a.Extension.Days), ExtensionReason: a.Extension.Reason, ExtendedBy: a.Extension.By,
		ExtendTime: timePtr(a.Extension.Time), AnswerText: a.Answer.Text, AnswerResult: int16(a.Answer.Result),
		AnswerSigner: a.Answer.Signer, AnswerTime: timePtr(a.Answer.Time), AnswerOnTime: a.Answer.OnTime,
		AnswerOral: a.Answer.Oral, ForwardedTo: a.Forwarding.Body, ForwardTime: timePtr(a.Forwarding.Time),
		ForwardLate: a.Forwarding.Late, ApplicantNotified: a.Forwarding.ApplicantNotified,
		ClosingReason: a.ClosingReason, LeaveReason: int16(a.LeaveReason), CloseTime: timePtr(a.CloseTime),
		DueSoonNotifiedAt: timePtr(a.DueSoonNotified), OverdueNotifiedAt: timePtr(a.OverdueNotified),
		UpdateTime: a.UpdateTime, Version: a.Version, ID: a.ID, ReadVersion: readVersion, Departments: write.Departments,
	}, nil
}

func appealFromRow(r appealsdb.Appeal, departmentName string, applicantDestroyed bool) (domain.Appeal, error) {
	card, err := cardFromJSON(r.ReceptionCard)
	if err != nil {
		return domain.Appeal{}, err
	}
	a := domain.Appeal{
		ID: r.ID, RegistrationNumber: deref(r.RegistrationNumber), ReceiveTime: r.ReceiveTime.UTC(), RegisterTime: r.RegisterTime.UTC(),
		Channel: domain.Channel(r.Channel), Text: r.Text, ClassifierCodes: r.ClassifierCodes, District: r.District,
		Department: r.Department, DepartmentName: departmentName, Collective: r.Collective, Signatories: int(r.Signatories),
		State: domain.State(r.State), RegisterDueDate: dateFromPG(r.RegisterDueDate), AnswerDueDate: dateFromPG(r.AnswerDueDate),
		ForwardDueDate: dateFromPG(r.ForwardDueDate), UpdateTime: r.UpdateTime.UTC(), Version: r.Version, CreatedBy: r.CreatedBy,
		Anonymous: r.Anonymous, Addressee: r.Addressee, CoExecutors: r.CoExecutors, Executor: r.Executor,
		ReceptionCard: card, RelatedAppeals: r.RelatedAppeals, Repeated: r.Repeated, PreviousAppeals: r.PreviousAppeals,
		Source: r.Source, AttachmentCount: int(r.AttachmentCount),
		Extension: domain.Extension{Days: int(r.ExtensionDays), Reason: r.ExtensionReason, By: r.ExtendedBy, Time: timeOf(r.ExtendTime)},
		Answer: domain.Answer{Text: r.AnswerText, Result: domain.AnswerResult(r.AnswerResult), Signer: r.AnswerSigner,
			Time: timeOf(r.AnswerTime), OnTime: r.AnswerOnTime, Oral: r.AnswerOral},
		Forwarding: domain.Forwarding{Body: r.ForwardedTo, Time: timeOf(r.ForwardTime), Late: r.ForwardLate,
			ApplicantNotified: r.ApplicantNotified},
		ClosingReason: r.ClosingReason, LeaveReason: domain.LeaveReason(r.LeaveReason), CloseTime: timeOf(r.CloseTime),
		DueSoonNotified: timeOf(r.DueSoonNotifiedAt), OverdueNotified: timeOf(r.OverdueNotifiedAt),
		ApplicantDataDestroyed: applicantDestroyed,
	}
	if r.DuplicateOf != nil {
		a.DuplicateOf = *r.DuplicateOf
	}
	return a, nil
}

// Events carry ids and codes only: never the applicant, the text or the answer.

func registeredEvent(a domain.Appeal) *appealsv1.AppealRegistered {
	return &appealsv1.AppealRegistered{
		Appeal:             app.AppealName(a.ID),
		RegistrationNumber: a.RegistrationNumber,
		RegisterTime:       timestamppb.New(a.RegisterTime),
		Channel:            appealsv1.Channel(a.Channel),
		ClassifierCodes:    a.ClassifierCodes,
		District:           a.District,
		Department:         a.Department,
		AnswerDueDate:      dateToProto(a.AnswerDueDate),
		Source:             a.Source,
	}
}

func stateChangedEvent(a domain.Appeal) *appealsv1.AppealStateChanged {
	return &appealsv1.AppealStateChanged{
		Appeal: app.AppealName(a.ID), State: appealsv1.AppealState(a.State), Department: a.Department,
		ChangeTime: timestamppb.New(a.UpdateTime),
	}
}

func answeredEvent(a domain.Appeal) *appealsv1.AppealAnswered {
	return &appealsv1.AppealAnswered{
		Appeal: app.AppealName(a.ID), RegistrationNumber: a.RegistrationNumber, Channel: appealsv1.Channel(a.Channel),
		AnswerTime: timestamppb.New(a.Answer.Time), Result: appealsv1.AnswerResult(a.Answer.Result), OnTime: a.Answer.OnTime,
		Source: a.Source,
	}
}

func dateToProto(d domain.Date) *date.Date {
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

// A date column travels as midnight UTC, whatever the session time zone.
func dateToPG(d domain.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateFromPG(t time.Time) domain.Date {
	return domain.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}
