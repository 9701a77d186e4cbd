package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// Ref names the meeting a request acts on and the version the caller saw.
type Ref struct {
	ID   uuid.UUID
	Etag string
}

func (r Ref) name() string { return domain.MeetingName(r.ID) }

// CreateMeeting proposes a meeting into its plan (the plan is opened as a draft when it does
// not exist yet) or records an unscheduled one. idem is nil without a request_id.
func (s *Service) CreateMeeting(ctx context.Context, m domain.Meeting, idem *idempotency.Key) (domain.Meeting, error) {
	a, err := s.writer(ctx)
	if err != nil {
		return domain.Meeting{}, err
	}
	var vs []apierr.FieldViolation
	switch {
	case a.admin():
		if m.Department == "" {
			vs = append(vs, apierr.FieldViolation{Field: "meeting.department", Description: "required when an admin proposes a meeting"})
		}
	case m.Department == "":
		m.Department = a.own
	case m.Department != a.own:
		return domain.Meeting{}, denied("OTHER_DEPARTMENT", fmt.Sprintf("you propose meetings of %s only", a.own))
	}
	if m.End.IsZero() && !m.Start.IsZero() {
		m.End = m.Start.Add(domain.DefaultLength)
	}
	vs = append(vs, violations(m.Check(), "meeting")...)
	if m.Department != "" {
		d, known, err := s.repo.Department(ctx, m.Department)
		if err != nil {
			return domain.Meeting{}, err
		}
		switch {
		case !known:
			vs = append(vs, apierr.FieldViolation{Field: "meeting.department", Description: fmt.Sprintf("unknown department %q", m.Department)})
		case !d.Active:
			vs = append(vs, apierr.FieldViolation{Field: "meeting.department", Description: fmt.Sprintf("department %q is deactivated", m.Department)})
		}
	}
	more, err := s.checkSpeakers(ctx, m.Speakers, "meeting.speakers")
	if err != nil {
		return domain.Meeting{}, err
	}
	if vs = append(vs, more...); len(vs) > 0 {
		return domain.Meeting{}, Errors.Invalid("INVALID_MEETING", "the meeting cannot be proposed: "+summary(vs), vs...)
	}

	now := s.stamp()
	if m.ID, err = uuid.NewV7(); err != nil {
		return domain.Meeting{}, err
	}
	m.State, m.Organiser, m.OrganiserName = domain.MeetingPlanned, a.p.Login, a.p.Name
	m.CreateTime, m.UpdateTime, m.Version = now, now, 1
	out, err := s.repo.CreateMeeting(ctx, NewMeeting{Idem: idem, Meeting: m, Actor: a.actor(), Check: domain.Plan.AcceptsChanges}, now)
	if errors.Is(err, ErrRequestIDReused) {
		return domain.Meeting{}, Errors.Error(codes.AlreadyExists, "REQUEST_ID_REUSED",
			"this request_id was already used for a different request; use a new one", nil)
	}
	if err != nil {
		return domain.Meeting{}, ruleError(err)
	}
	return s.shown(ctx, out)
}

// checkSpeakers names the speakers the directory copy does not know or lists as inactive.
func (s *Service) checkSpeakers(ctx context.Context, ids []uuid.UUID, field string) ([]apierr.FieldViolation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	known, err := s.repo.Officials(ctx, ids)
	if err != nil {
		return nil, err
	}
	var vs []apierr.FieldViolation
	for i, id := range ids {
		o, ok := known[id]
		switch {
		case !ok:
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("%s[%d]", field, i),
				Description: fmt.Sprintf("officials/%s is not in the organisation directory", id)})
		case !o.Active:
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("%s[%d]", field, i),
				Description: fmt.Sprintf("officials/%s (%s) is no longer active", id, o.FullName)})
		}
	}
	return vs, nil
}

// GetMeeting returns one meeting with its report and questions.
func (s *Service) GetMeeting(ctx context.Context, id uuid.UUID) (domain.Meeting, error) {
	if _, err := s.reader(ctx); err != nil {
		return domain.Meeting{}, err
	}
	m, err := s.repo.GetMeeting(ctx, id)
	if err != nil {
		return domain.Meeting{}, notFound(err, domain.MeetingName(id))
	}
	return s.shown(ctx, m)
}

// ListMeetings lists meetings by start time.
func (s *Service) ListMeetings(ctx context.Context, q MeetingQuery) ([]domain.Meeting, error) {
	if _, err := s.reader(ctx); err != nil {
		return nil, err
	}
	q.Now = s.now()
	ms, err := s.repo.ListMeetings(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.shownAll(ctx, ms)
}

// Edit is a partial update of a meeting: the fields named in Fields, with their new values in Meeting.
type Edit struct {
	Fields  []string
	Meeting domain.Meeting
}

// UpdateMeeting edits a planned or postponed meeting. In an approved plan the change is
// recorded and the plan announced again with its next revision.
func (s *Service) UpdateMeeting(ctx context.Context, ref Ref, e Edit) (domain.Meeting, error) {
	if ref.Etag == "" {
		return domain.Meeting{}, Errors.Invalid("ETAG_REQUIRED", "send the etag of the meeting you edited",
			apierr.FieldViolation{Field: "meeting.etag", Description: "required"})
	}
	a, err := s.writer(ctx)
	if err != nil {
		return domain.Meeting{}, err
	}
	if slices.Contains(e.Fields, "speakers") {
		vs, err := s.checkSpeakers(ctx, e.Meeting.Speakers, "meeting.speakers")
		if err != nil {
			return domain.Meeting{}, err
		}
		if len(vs) > 0 {
			return domain.Meeting{}, Errors.Invalid("INVALID_MEETING", "the meeting cannot be changed: "+summary(vs), vs...)
		}
	}
	return s.changeMeeting(ctx, a, ref, nil, func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error) {
		if !cur.State.Open() {
			return MeetingStep{}, &domain.RuleError{Reason: "NOT_OPEN", Message: fmt.Sprintf("%s is %s: only a planned or postponed meeting is edited", cur.Name(), cur.State)}
		}
		if err := domain.MeetingsChangeable(plan); err != nil {
			return MeetingStep{}, err
		}
		next, kind, note := applyEdit(cur, e)
		if vs := next.Check(); len(vs) > 0 {
			fv := violations(vs, "meeting")
			return MeetingStep{}, Errors.Invalid("INVALID_MEETING", "the meeting cannot be changed: "+summary(fv), fv...)
		}
		if kind == domain.ChangeUnspecified {
			return MeetingStep{}, Errors.Invalid("NOTHING_CHANGED", "the update changes nothing",
				apierr.FieldViolation{Field: "update_mask", Description: "the named fields already have these values"})
		}
		return MeetingStep{Meeting: next, Kind: kind, Note: note}, nil
	})
}

// applyEdit returns the edited meeting, the kind of change (rescheduled when the time moved)
// and what changed in words.
func applyEdit(cur domain.Meeting, e Edit) (domain.Meeting, domain.ChangeKind, string) {
	next := cur
	next.Speakers = slices.Clone(cur.Speakers)
	var notes []string
	kind := domain.ChangeUnspecified
	edited := func(what, from, to string) {
		if from != to {
			notes = append(notes, fmt.Sprintf("%s: «%s» → «%s»", what, from, to))
			if kind == domain.ChangeUnspecified {
				kind = domain.ChangeEdited
			}
		}
	}
	v := e.Meeting
	for _, f := range e.Fields {
		switch f {
		case "topic":
			edited("тема", cur.Topic, v.Topic)
			next.Topic = v.Topic
		case "audience":
			edited("аудитория", cur.Audience, v.Audience)
			next.Audience = v.Audience
		case "district":
			edited("район", cur.District, v.District)
			next.District = v.District
		case "venue":
			edited("место", cur.Venue, v.Venue)
			next.Venue = v.Venue
		case "speakers":
			if !slices.Equal(cur.Speakers, v.Speakers) {
				notes = append(notes, fmt.Sprintf("выступающие: %d → %d", len(cur.Speakers), len(v.Speakers)))
				if kind == domain.ChangeUnspecified {
					kind = domain.ChangeEdited
				}
			}
			next.Speakers = slices.Clone(v.Speakers)
		case "start_time":
			next.Start = v.Start
			if !slices.Contains(e.Fields, "end_time") {
				next.End = v.Start.Add(cur.End.Sub(cur.Start)) // keeps the meeting's length
			}
		case "end_time":
			next.End = v.End
		}
	}
	if !next.Start.Equal(cur.Start) || !next.End.Equal(cur.End) {
		kind = domain.ChangeRescheduled
		notes = append([]string{fmt.Sprintf("время: %s–%s → %s–%s", domain.CityTime(cur.Start), cur.End.In(domain.CityZone).Format("15:04"),
			domain.CityTime(next.Start), next.End.In(domain.CityZone).Format("15:04"))}, notes...)
	}
	return next, kind, strings.Join(notes, "; ")
}

// DeleteMeeting withdraws a proposal from a plan not yet approved, or an unscheduled meeting
// not yet held.
func (s *Service) DeleteMeeting(ctx context.Context, ref Ref) error {
	a, err := s.writer(ctx)
	if err != nil {
		return err
	}
	_, err = s.changeMeeting(ctx, a, ref, nil, func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error) {
		if cur.State == domain.MeetingHeld {
			return MeetingStep{}, &domain.RuleError{Reason: "HELD", Message: cur.Name() + " was held: its report stays"}
		}
		if plan != nil {
			if err := plan.AcceptsChanges(); err != nil {
				return MeetingStep{}, err
			}
			if plan.State == domain.PlanApproved {
				return MeetingStep{}, &domain.RuleError{Reason: "PLAN_APPROVED",
					Message: plan.ID.Name() + " is approved: cancel the meeting instead, so the change is recorded"}
			}
		}
		return MeetingStep{Meeting: cur, Kind: domain.ChangeRemoved, Delete: true}, nil
	})
	return err
}

// CancelMeeting cancels a planned or postponed meeting.
func (s *Service) CancelMeeting(ctx context.Context, ref Ref, reason string) (domain.Meeting, error) {
	a, err := s.writer(ctx)
	if err != nil {
		return domain.Meeting{}, err
	}
	return s.changeMeeting(ctx, a, ref, nil, func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error) {
		if err := domain.MeetingsChangeable(plan); err != nil {
			return MeetingStep{}, err
		}
		if err := cur.Cancel(reason); err != nil {
			return MeetingStep{}, err
		}
		return MeetingStep{Meeting: cur, Kind: domain.ChangeCancelled, Note: reason}, nil
	})
}

// PostponeMeeting moves a planned or postponed meeting to a new time, keeping the old one.
func (s *Service) PostponeMeeting(ctx context.Context, ref Ref, start, end time.Time, reason string) (domain.Meeting, error) {
	a, err := s.writer(ctx)
	if err != nil {
		return domain.Meeting{}, err
	}
	return s.changeMeeting(ctx, a, ref, nil, func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error) {
		if err := domain.MeetingsChangeable(plan); err != nil {
			return MeetingStep{}, err
		}
		from := cur.Start
		if err := cur.Postpone(start, end, reason); err != nil {
			return MeetingStep{}, err
		}
		return MeetingStep{Meeting: cur, Kind: domain.ChangePostponed,
			Note: fmt.Sprintf("перенесена: %s → %s; %s", domain.CityTime(from), domain.CityTime(cur.Start), reason)}, nil
	})
}

// ReportInput is a closing report as the caller sends it.
type ReportInput struct {
	Attendance *int
	Summary    string
	Materials  []domain.Material
	Questions  []domain.Question
}

// ReportMeeting files the closing report: the meeting becomes held, its questions are stored,
// and each follow-up question is referred to appeals once. A retry with the same request_id
// returns the meeting as it is.
func (s *Service) ReportMeeting(ctx context.Context, ref Ref, in ReportInput, idem *idempotency.Key) (domain.Meeting, error) {
	a, err := s.writer(ctx)
	if err != nil {
		return domain.Meeting{}, err
	}
	vs := violations(domain.ReportCheck(in.Attendance, in.Questions), "")
	asked := make([]string, 0, len(in.Questions))
	for _, q := range in.Questions {
		if q.ClassifierCode != "" {
			asked = append(asked, q.ClassifierCode)
		}
	}
	unknown, err := s.repo.UnknownClassifierCodes(ctx, asked)
	if err != nil {
		return domain.Meeting{}, err
	}
	for i, q := range in.Questions {
		if slices.Contains(unknown, q.ClassifierCode) {
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("report.questions[%d].classifier_code", i),
				Description: q.ClassifierCode + " is not in the ССТУ classifier"})
		}
		if q.Resolution == domain.ResolutionFollowUp && q.Department != "" {
			d, known, err := s.repo.Department(ctx, q.Department)
			if err != nil {
				return domain.Meeting{}, err
			}
			if !known || !d.Active {
				vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("report.questions[%d].department", i),
					Description: fmt.Sprintf("no active department %q in the organisation directory", q.Department)})
			}
		}
	}
	if len(vs) > 0 {
		return domain.Meeting{}, Errors.Invalid("INVALID_REPORT", "the report cannot be filed: "+summary(vs), vs...)
	}
	return s.changeMeeting(ctx, a, ref, idem, func(cur domain.Meeting, _ *domain.Plan) (MeetingStep, error) {
		now := s.stamp()
		r := domain.Report{Attendance: *in.Attendance, Summary: in.Summary, Materials: in.Materials,
			Reporter: a.p.Login, ReporterName: a.p.Name, Time: now}
		if err := cur.Hold(r, s.now()); err != nil {
			return MeetingStep{}, err
		}
		qs := make([]domain.Question, len(in.Questions))
		followUps := 0
		for i, q := range in.Questions {
			id, err := uuid.NewV7()
			if err != nil {
				return MeetingStep{}, err
			}
			q.ID, q.MeetingID, q.Position = id, cur.ID, i+1
			if q.Resolution == domain.ResolutionFollowUp {
				followUps++
				if q.Department == "" {
					q.Department = cur.Department
				}
			}
			q.Start()
			qs[i] = q
		}
		note := fmt.Sprintf("присутствовало %d; вопросов %d, из них на контроль %d", r.Attendance, len(qs), followUps)
		return MeetingStep{Meeting: cur, Kind: domain.ChangeReported, Note: note, Questions: qs}, nil
	})
}

// changeMeeting runs a step on meeting ref: the caller must be allowed to change it and the
// etag must be current; decide applies the rule of the step.
func (s *Service) changeMeeting(ctx context.Context, a access, ref Ref, idem *idempotency.Key,
	decide func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error)) (domain.Meeting, error) {
	now := s.stamp()
	m, err := s.repo.ChangeMeeting(ctx, ref.ID, idem, a.actor(), now, func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error) {
		if err := a.mayChange(cur); err != nil {
			return MeetingStep{}, err
		}
		if ref.Etag != strconv.FormatInt(cur.Version, 10) {
			return MeetingStep{}, etagMismatch(ref.name())
		}
		st, err := decide(cur, plan)
		if err != nil {
			return MeetingStep{}, ruleError(err)
		}
		st.Meeting.Version, st.Meeting.UpdateTime = cur.Version+1, now
		return st, nil
	})
	if errors.Is(err, ErrRequestIDReused) {
		return domain.Meeting{}, Errors.Error(codes.AlreadyExists, "REQUEST_ID_REUSED",
			"this request_id was already used for a different request; use a new one", nil)
	}
	if err != nil {
		return domain.Meeting{}, notFound(err, ref.name())
	}
	if m.ID == uuid.Nil { // deleted
		return m, nil
	}
	return s.shown(ctx, m)
}

// ListChanges lists the change log of a plan or of a meeting, oldest first.
func (s *Service) ListChanges(ctx context.Context, q ChangeQuery) ([]Change, error) {
	if _, err := s.reader(ctx); err != nil {
		return nil, err
	}
	switch {
	case q.Plan != nil:
		if _, err := s.repo.GetPlan(ctx, *q.Plan); err != nil {
			return nil, notFound(err, q.Plan.Name())
		}
	case q.Meeting != nil:
		if _, err := s.repo.GetMeeting(ctx, *q.Meeting); err != nil {
			return nil, notFound(err, domain.MeetingName(*q.Meeting))
		}
	}
	return s.repo.Changes(ctx, q)
}

// Questions lists the questions of a meeting.
func (s *Service) Questions(ctx context.Context, meeting uuid.UUID) ([]domain.Question, error) {
	m, err := s.GetMeeting(ctx, meeting)
	if err != nil {
		return nil, err
	}
	return m.Questions, nil
}

// Question returns one question of a meeting.
func (s *Service) Question(ctx context.Context, meeting, question uuid.UUID) (domain.Question, error) {
	qs, err := s.Questions(ctx, meeting)
	if err != nil {
		return domain.Question{}, err
	}
	for _, q := range qs {
		if q.ID == question {
			return q, nil
		}
	}
	return domain.Question{}, Errors.NotFound(domain.QuestionName(meeting, question))
}

// shown fills in what a meeting is shown with: names from the directory and the classifier.
func (s *Service) shown(ctx context.Context, m domain.Meeting) (domain.Meeting, error) {
	ms, err := s.shownAll(ctx, []domain.Meeting{m})
	if err != nil {
		return domain.Meeting{}, err
	}
	return ms[0], nil
}

func (s *Service) shownAll(ctx context.Context, ms []domain.Meeting) ([]domain.Meeting, error) {
	if len(ms) == 0 {
		return ms, nil
	}
	var ids []uuid.UUID
	var asked []string
	for _, m := range ms {
		ids = append(ids, m.Speakers...)
		for _, q := range m.Questions {
			asked = append(asked, q.ClassifierCode)
		}
	}
	officials, err := s.repo.Officials(ctx, ids)
	if err != nil {
		return nil, err
	}
	depts, err := s.repo.DepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	districts, err := s.districts(ctx)
	if err != nil {
		return nil, err
	}
	classifier := map[string]string{}
	if len(asked) > 0 {
		if classifier, err = s.repo.ClassifierNames(ctx, asked); err != nil {
			return nil, err
		}
	}
	for i := range ms {
		m := &ms[i]
		m.DepartmentName, m.DistrictName = depts[m.Department], districts[m.District]
		m.SpeakerDetails = make([]domain.Person, len(m.Speakers))
		for j, id := range m.Speakers {
			o := officials[id]
			m.SpeakerDetails[j] = domain.Person{FullName: o.FullName, Position: o.Position}
		}
		for j := range m.Questions {
			q := &m.Questions[j]
			q.ClassifierName, q.DepartmentName = classifier[q.ClassifierCode], depts[q.Department]
		}
	}
	return ms, nil
}

// districts are the directory's district names, the city's own where the copy has none.
func (s *Service) districts(ctx context.Context) (map[string]string, error) {
	names, err := s.repo.Districts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for code, name := range domain.Districts {
		out[code] = name
	}
	for code, name := range names {
		out[code] = name
	}
	return out, nil
}
