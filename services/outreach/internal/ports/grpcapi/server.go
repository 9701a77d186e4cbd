// Package grpcapi serves the outreach gRPC API: it maps protobuf to the use cases and back.
package grpcapi

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/emptypb"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/fieldmask"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

const defaultPageSize = 50

// PublicMethods are the methods anyone may call without signing in (public data only).
var PublicMethods = []string{
	outreachv1.OutreachService_ListPublicMeetings_FullMethodName,
	outreachv1.OutreachService_GetPublicCalendar_FullMethodName,
	outreachv1.OutreachService_GetDepartmentCalendar_FullMethodName,
	outreachv1.OutreachService_GetSpeakerCalendar_FullMethodName,
}

// Server implements outreachv1.OutreachServiceServer.
type Server struct {
	outreachv1.UnimplementedOutreachServiceServer
	svc *app.Service
}

// New returns the gRPC server of the outreach service.
func New(svc *app.Service) *Server { return &Server{svc: svc} }

func etag(version int64) string { return strconv.FormatInt(version, 10) }

func pageSize(n int32) int {
	if n == 0 {
		return defaultPageSize
	}
	return int(n)
}

// --- plans ---

func (s *Server) CreateMeetingPlan(ctx context.Context, req *outreachv1.CreateMeetingPlanRequest) (*outreachv1.MeetingPlan, error) {
	p := req.GetMeetingPlan()
	id := domain.PlanID{Year: int(p.GetYear()), Month: int(p.GetMonth()), Election: p.GetElectionPeriod()}
	if err := id.Check(); err != nil {
		field := "meeting_plan.month"
		if p.GetYear() < 2000 || p.GetYear() > 2100 {
			field = "meeting_plan.year"
		}
		return nil, app.Errors.Invalid("INVALID_PLAN", err.Error(), apierr.FieldViolation{Field: field, Description: err.Error()})
	}
	out, err := s.svc.CreatePlan(ctx, id)
	if err != nil {
		return nil, err
	}
	return planToProto(out), nil
}

func (s *Server) GetMeetingPlan(ctx context.Context, req *outreachv1.GetMeetingPlanRequest) (*outreachv1.MeetingPlan, error) {
	id, err := planID("name", req.GetName())
	if err != nil {
		return nil, err
	}
	p, err := s.svc.GetPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	return planToProto(p), nil
}

func (s *Server) ListMeetingPlans(ctx context.Context, req *outreachv1.ListMeetingPlansRequest) (*outreachv1.ListMeetingPlansResponse, error) {
	q := app.PlanQuery{Limit: pageSize(req.GetPageSize()) + 1}
	conds, err := listing.ParseFilter(app.Errors, req.GetFilter())
	if err != nil {
		return nil, err
	}
	for _, c := range conds {
		if c.Op != "=" {
			return nil, listing.BadFilter(app.Errors, "%s supports only =", c.Field)
		}
		switch c.Field {
		case "year":
			if q.Year, err = strconv.Atoi(c.Value); err != nil {
				return nil, listing.BadFilter(app.Errors, "year %q is not a number", c.Value)
			}
		case "state":
			v, ok := outreachv1.MeetingPlanState_value["MEETING_PLAN_STATE_"+strings.TrimPrefix(c.Value, "MEETING_PLAN_STATE_")]
			if !ok || v == 0 {
				return nil, listing.BadFilter(app.Errors, "state %q is not DRAFT, SUBMITTED, APPROVED or RETURNED", c.Value)
			}
			q.State = domain.PlanState(v)
		case "election_period":
			b, err := strconv.ParseBool(c.Value)
			if err != nil {
				return nil, listing.BadFilter(app.Errors, "election_period %q is not true or false", c.Value)
			}
			q.Election = &b
		default:
			return nil, listing.BadFilter(app.Errors, "unknown field %q; use year, state, election_period", c.Field)
		}
	}
	fp := listing.Fingerprint("ListMeetingPlans", req.GetFilter())
	if req.GetPageToken() != "" {
		keys, err := listing.DecodeToken(app.Errors, req.GetPageToken(), fp, 1)
		if err != nil {
			return nil, err
		}
		q.After = keys[0]
	}
	plans, err := s.svc.ListPlans(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &outreachv1.ListMeetingPlansResponse{}
	if len(plans) == q.Limit {
		plans = plans[:len(plans)-1]
		resp.NextPageToken = listing.EncodeToken(fp, plans[len(plans)-1].ID.String())
	}
	for _, p := range plans {
		resp.MeetingPlans = append(resp.MeetingPlans, planToProto(p))
	}
	return resp, nil
}

func (s *Server) planStep(name string, run func(domain.PlanID) (domain.Plan, error)) (*outreachv1.MeetingPlan, error) {
	id, err := planID("name", name)
	if err != nil {
		return nil, err
	}
	p, err := run(id)
	if err != nil {
		return nil, err
	}
	return planToProto(p), nil
}

func (s *Server) SubmitMeetingPlan(ctx context.Context, req *outreachv1.SubmitMeetingPlanRequest) (*outreachv1.MeetingPlan, error) {
	return s.planStep(req.GetName(), func(id domain.PlanID) (domain.Plan, error) {
		return s.svc.SubmitPlan(ctx, id, req.GetEtag())
	})
}

func (s *Server) ApproveMeetingPlan(ctx context.Context, req *outreachv1.ApproveMeetingPlanRequest) (*outreachv1.MeetingPlan, error) {
	return s.planStep(req.GetName(), func(id domain.PlanID) (domain.Plan, error) {
		return s.svc.ApprovePlan(ctx, id, req.GetEtag())
	})
}

func (s *Server) ReturnMeetingPlan(ctx context.Context, req *outreachv1.ReturnMeetingPlanRequest) (*outreachv1.MeetingPlan, error) {
	return s.planStep(req.GetName(), func(id domain.PlanID) (domain.Plan, error) {
		return s.svc.ReturnPlan(ctx, id, req.GetEtag(), req.GetComment())
	})
}

func (s *Server) ListMeetingPlanChanges(ctx context.Context, req *outreachv1.ListMeetingPlanChangesRequest) (*outreachv1.ListMeetingPlanChangesResponse, error) {
	id, err := planID("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	q := app.ChangeQuery{Plan: &id, AfterApproval: req.GetAfterApproval()}
	changes, next, err := s.changes(ctx, q, req.GetPageSize(), req.GetPageToken(), "ListMeetingPlanChanges", req.GetParent(), strconv.FormatBool(req.GetAfterApproval()))
	if err != nil {
		return nil, err
	}
	return &outreachv1.ListMeetingPlanChangesResponse{Changes: changes, NextPageToken: next}, nil
}

func (s *Server) changes(ctx context.Context, q app.ChangeQuery, size int32, token string, fpParts ...string) ([]*outreachv1.Change, string, error) {
	fp := listing.Fingerprint(fpParts...)
	if token != "" {
		keys, err := listing.DecodeToken(app.Errors, token, fp, 1)
		if err != nil {
			return nil, "", err
		}
		if q.AfterID, err = strconv.ParseInt(keys[0], 10, 64); err != nil {
			return nil, "", listing.BadPageToken(app.Errors)
		}
	}
	q.Limit = pageSize(size) + 1
	cs, err := s.svc.ListChanges(ctx, q)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cs) == q.Limit {
		cs = cs[:len(cs)-1]
		next = listing.EncodeToken(fp, strconv.FormatInt(cs[len(cs)-1].ID, 10))
	}
	out := make([]*outreachv1.Change, len(cs))
	for i, c := range cs {
		out[i] = changeToProto(c)
	}
	return out, next, nil
}

// --- meetings ---

func meetingFromProto(m *outreachv1.Meeting) (domain.Meeting, error) {
	out := domain.Meeting{Topic: strings.TrimSpace(m.GetTopic()), Audience: m.GetAudience(), District: m.GetDistrict(),
		Venue: strings.TrimSpace(m.GetVenue()), Start: timeOf(m.GetStartTime()), End: timeOf(m.GetEndTime()), Department: m.GetDepartment()}
	if m.GetPlan() != "" {
		id, err := planID("meeting.plan", m.GetPlan())
		if err != nil {
			return out, err
		}
		out.Plan = &id
	}
	speakers, err := officialIDs("meeting.speakers", m.GetSpeakers())
	out.Speakers = speakers
	return out, err
}

func (s *Server) CreateMeeting(ctx context.Context, req *outreachv1.CreateMeetingRequest) (*outreachv1.Meeting, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateMeeting", req)
	if err != nil {
		return nil, err
	}
	m, err := meetingFromProto(req.GetMeeting())
	if err != nil {
		return nil, err
	}
	out, err := s.svc.CreateMeeting(ctx, m, idem)
	if err != nil {
		return nil, err
	}
	return meetingToProto(out, s.svc.Now()), nil
}

func (s *Server) GetMeeting(ctx context.Context, req *outreachv1.GetMeetingRequest) (*outreachv1.Meeting, error) {
	id, err := meetingID("name", req.GetName())
	if err != nil {
		return nil, err
	}
	m, err := s.svc.GetMeeting(ctx, id)
	if err != nil {
		return nil, err
	}
	return meetingToProto(m, s.svc.Now()), nil
}

func (s *Server) ListMeetings(ctx context.Context, req *outreachv1.ListMeetingsRequest) (*outreachv1.ListMeetingsResponse, error) {
	q, err := parseMeetingFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	switch strings.Join(strings.Fields(req.GetOrderBy()), " ") {
	case "", "start_time", "start_time asc":
	case "start_time desc":
		q.Desc = true
	default:
		return nil, app.Errors.Invalid("INVALID_ORDER_BY", "unsupported order_by",
			apierr.FieldViolation{Field: "order_by", Description: "use start_time or start_time desc"})
	}
	fp := listing.Fingerprint("ListMeetings", req.GetFilter(), req.GetOrderBy())
	if q.After, err = decodeCursor(req.GetPageToken(), fp); err != nil {
		return nil, err
	}
	q.Limit = pageSize(req.GetPageSize()) + 1
	ms, err := s.svc.ListMeetings(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &outreachv1.ListMeetingsResponse{}
	if len(ms) == q.Limit {
		ms = ms[:len(ms)-1]
		resp.NextPageToken = encodeCursor(ms[len(ms)-1], fp)
	}
	now := s.svc.Now()
	for _, m := range ms {
		resp.Meetings = append(resp.Meetings, meetingToProto(m, now))
	}
	return resp, nil
}

func encodeCursor(m domain.Meeting, fp string) string {
	return listing.EncodeToken(fp, m.Start.Format(time.RFC3339Nano), m.ID.String())
}

func decodeCursor(token, fp string) (*app.Cursor, error) {
	if token == "" {
		return nil, nil
	}
	keys, err := listing.DecodeToken(app.Errors, token, fp, 2)
	if err != nil {
		return nil, err
	}
	t, errT := time.Parse(time.RFC3339Nano, keys[0])
	id, errID := uuid.Parse(keys[1])
	if errT != nil || errID != nil {
		return nil, listing.BadPageToken(app.Errors)
	}
	return &app.Cursor{Start: t, ID: id}, nil
}

// updatable are the fields UpdateMeeting edits.
var updatable = []string{"topic", "speakers", "audience", "district", "venue", "start_time", "end_time"}

func (s *Server) UpdateMeeting(ctx context.Context, req *outreachv1.UpdateMeetingRequest) (*outreachv1.Meeting, error) {
	m := req.GetMeeting()
	id, err := meetingID("meeting.name", m.GetName())
	if err != nil {
		return nil, err
	}
	fields, err := fieldmask.Fields(app.Errors, req.GetUpdateMask(), m, updatable)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, app.Errors.Invalid("NOTHING_TO_UPDATE", "name the fields to change in update_mask",
			apierr.FieldViolation{Field: "update_mask", Description: "no editable field; editable: " + strings.Join(updatable, ", ")})
	}
	values, err := meetingFromProto(&outreachv1.Meeting{Topic: m.GetTopic(), Speakers: m.GetSpeakers(), Audience: m.GetAudience(),
		District: m.GetDistrict(), Venue: m.GetVenue(), StartTime: m.GetStartTime(), EndTime: m.GetEndTime()})
	if err != nil {
		return nil, err
	}
	out, err := s.svc.UpdateMeeting(ctx, app.Ref{ID: id, Etag: m.GetEtag()}, app.Edit{Fields: fields, Meeting: values})
	if err != nil {
		return nil, err
	}
	return meetingToProto(out, s.svc.Now()), nil
}

func (s *Server) DeleteMeeting(ctx context.Context, req *outreachv1.DeleteMeetingRequest) (*emptypb.Empty, error) {
	id, err := meetingID("name", req.GetName())
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteMeeting(ctx, app.Ref{ID: id, Etag: req.GetEtag()}); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

func (s *Server) meetingStep(name, etag string, run func(app.Ref) (domain.Meeting, error)) (*outreachv1.Meeting, error) {
	id, err := meetingID("name", name)
	if err != nil {
		return nil, err
	}
	m, err := run(app.Ref{ID: id, Etag: etag})
	if err != nil {
		return nil, err
	}
	return meetingToProto(m, s.svc.Now()), nil
}

func (s *Server) CancelMeeting(ctx context.Context, req *outreachv1.CancelMeetingRequest) (*outreachv1.Meeting, error) {
	return s.meetingStep(req.GetName(), req.GetEtag(), func(r app.Ref) (domain.Meeting, error) {
		return s.svc.CancelMeeting(ctx, r, req.GetReason())
	})
}

func (s *Server) PostponeMeeting(ctx context.Context, req *outreachv1.PostponeMeetingRequest) (*outreachv1.Meeting, error) {
	return s.meetingStep(req.GetName(), req.GetEtag(), func(r app.Ref) (domain.Meeting, error) {
		return s.svc.PostponeMeeting(ctx, r, timeOf(req.GetStartTime()), timeOf(req.GetEndTime()), req.GetReason())
	})
}

func (s *Server) ReportMeeting(ctx context.Context, req *outreachv1.ReportMeetingRequest) (*outreachv1.Meeting, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "ReportMeeting", req)
	if err != nil {
		return nil, err
	}
	r := req.GetReport()
	in := app.ReportInput{Summary: r.GetSummary()}
	if r.Attendance != nil {
		a := int(r.GetAttendance())
		in.Attendance = &a
	}
	for _, m := range r.GetMaterials() {
		in.Materials = append(in.Materials, domain.Material{Title: m.GetTitle(), URI: m.GetUri()})
	}
	for _, q := range r.GetQuestions() {
		in.Questions = append(in.Questions, questionFromProto(q))
	}
	return s.meetingStep(req.GetName(), req.GetEtag(), func(ref app.Ref) (domain.Meeting, error) {
		return s.svc.ReportMeeting(ctx, ref, in, idem)
	})
}

func (s *Server) ListMeetingChanges(ctx context.Context, req *outreachv1.ListMeetingChangesRequest) (*outreachv1.ListMeetingChangesResponse, error) {
	id, err := meetingID("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	changes, next, err := s.changes(ctx, app.ChangeQuery{Meeting: &id}, req.GetPageSize(), req.GetPageToken(), "ListMeetingChanges", req.GetParent())
	if err != nil {
		return nil, err
	}
	return &outreachv1.ListMeetingChangesResponse{Changes: changes, NextPageToken: next}, nil
}

// --- questions ---

func (s *Server) GetQuestion(ctx context.Context, req *outreachv1.GetQuestionRequest) (*outreachv1.Question, error) {
	mid, qid, ok := domain.ParseQuestionName(req.GetName())
	if !ok {
		return nil, app.Errors.Invalid("INVALID_NAME", "name must be meetings/{uuid}/questions/{uuid}",
			apierr.FieldViolation{Field: "name", Description: "not meetings/{uuid}/questions/{uuid}"})
	}
	q, err := s.svc.Question(ctx, mid, qid)
	if err != nil {
		return nil, err
	}
	return questionToProto(q), nil
}

func (s *Server) ListQuestions(ctx context.Context, req *outreachv1.ListQuestionsRequest) (*outreachv1.ListQuestionsResponse, error) {
	id, err := meetingID("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	qs, err := s.svc.Questions(ctx, id)
	if err != nil {
		return nil, err
	}
	resp := &outreachv1.ListQuestionsResponse{}
	for _, q := range qs {
		resp.Questions = append(resp.Questions, questionToProto(q))
	}
	return resp, nil
}

// --- statistics ---

func checkDate(field string, d *date.Date) error {
	if d == nil {
		return app.Errors.Invalid("DATE_REQUIRED", field+" is required", apierr.FieldViolation{Field: field, Description: "required"})
	}
	t := dateOf(d)
	if d.GetYear() < 2000 || d.GetYear() > 2100 || int(d.GetMonth()) != int(t.Month()) || int(d.GetDay()) != t.Day() {
		return app.Errors.Invalid("INVALID_DATE", field+" is not a calendar date", apierr.FieldViolation{Field: field, Description: "not a calendar date"})
	}
	return nil
}

func (s *Server) GetOutreachStatistics(ctx context.Context, req *outreachv1.GetOutreachStatisticsRequest) (*outreachv1.OutreachStatistics, error) {
	if err := checkDate("start_date", req.GetStartDate()); err != nil {
		return nil, err
	}
	if err := checkDate("end_date", req.GetEndDate()); err != nil {
		return nil, err
	}
	st, err := s.svc.GetStatistics(ctx, dateOf(req.GetStartDate()), dateOf(req.GetEndDate()), req.GetDepartments())
	if err != nil {
		return nil, err
	}
	return &outreachv1.OutreachStatistics{
		StartDate: req.GetStartDate(), EndDate: req.GetEndDate(),
		MeetingsPlanned: int32(st.Planned), MeetingsHeld: int32(st.Held), MeetingsCancelled: int32(st.Cancelled),
		ReportsOverdue: int32(st.ReportsOverdue), PeopleReached: int32(st.People), Questions: int32(st.Questions),
		QuestionsAnsweredOnTheSpot: int32(st.OnTheSpot), QuestionsReferred: int32(st.Referred), UnscheduledHeld: int32(st.UnscheduledHeld),
		ByMonth: rowsToProto(st.ByMonth), ByDistrict: rowsToProto(st.ByDistrict), ByDepartment: rowsToProto(st.ByDepartment),
		BySpeaker: rowsToProto(st.BySpeaker), Year: int32(st.Year), YearMeetingsHeld: int32(st.YearHeld), YearPeopleReached: int32(st.YearPeople),
	}, nil
}

// --- the public schedule ---

func (s *Server) ListPublicMeetings(ctx context.Context, req *outreachv1.ListPublicMeetingsRequest) (*outreachv1.ListPublicMeetingsResponse, error) {
	q := app.PublicQuery{District: req.GetDistrict(), Limit: pageSize(req.GetPageSize()) + 1}
	if req.GetStartDate() != nil {
		if err := checkDate("start_date", req.GetStartDate()); err != nil {
			return nil, err
		}
		q.From = dateOf(req.GetStartDate())
	}
	if req.GetEndDate() != nil {
		if err := checkDate("end_date", req.GetEndDate()); err != nil {
			return nil, err
		}
		q.To = dateOf(req.GetEndDate()).AddDate(0, 0, 1)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return nil, app.Errors.Invalid("INVALID_PERIOD", "end_date is before start_date",
			apierr.FieldViolation{Field: "end_date", Description: "must not be before start_date"})
	}
	fp := listing.Fingerprint("ListPublicMeetings", req.GetDistrict(), dateKey(req.GetStartDate()), dateKey(req.GetEndDate()))
	var err error
	if q.After, err = decodeCursor(req.GetPageToken(), fp); err != nil {
		return nil, err
	}
	ms, err := s.svc.PublicMeetings(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &outreachv1.ListPublicMeetingsResponse{}
	if len(ms) == q.Limit {
		ms = ms[:len(ms)-1]
		resp.NextPageToken = encodeCursor(ms[len(ms)-1], fp)
	}
	for _, m := range ms {
		resp.Meetings = append(resp.Meetings, publicToProto(m))
	}
	return resp, nil
}

func dateKey(d *date.Date) string {
	if d == nil {
		return ""
	}
	return dateOf(d).Format(time.DateOnly)
}
