package grpcapi

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func tsp(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func timeOf(t *timestamppb.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.AsTime()
}

// planID reads `meetingPlans/{YYYY-MM[-election]}` from field.
func planID(field, name string) (domain.PlanID, error) {
	rest, ok := strings.CutPrefix(name, "meetingPlans/")
	id, err := domain.ParsePlanID(rest)
	if !ok || err != nil {
		return domain.PlanID{}, app.Errors.Invalid("INVALID_NAME", field+" must be meetingPlans/{YYYY-MM} or meetingPlans/{YYYY-MM}-election",
			apierr.FieldViolation{Field: field, Description: "not meetingPlans/{YYYY-MM}[-election]"})
	}
	return id, nil
}

// meetingID reads `meetings/{uuid}` from field.
func meetingID(field, name string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(name, "meetings/")
	id, err := uuid.Parse(rest)
	if !ok || err != nil {
		return uuid.Nil, app.Errors.Invalid("INVALID_NAME", field+" must be meetings/{uuid}",
			apierr.FieldViolation{Field: field, Description: "not meetings/{uuid}"})
	}
	return id, nil
}

// officialIDs reads `officials/{uuid}` names from field.
func officialIDs(field string, names []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(names))
	for i, n := range names {
		id, err := uuid.Parse(strings.TrimPrefix(n, "officials/"))
		if err != nil || !strings.HasPrefix(n, "officials/") {
			return nil, app.Errors.Invalid("INVALID_SPEAKER", field+" must name officials/{uuid}",
				apierr.FieldViolation{Field: field, Description: n + " is not officials/{uuid}"})
		}
		out[i] = id
	}
	return out, nil
}

func planToProto(p domain.Plan) *outreachv1.MeetingPlan {
	return &outreachv1.MeetingPlan{
		Name: p.ID.Name(), Year: int32(p.ID.Year), Month: int32(p.ID.Month), ElectionPeriod: p.ID.Election,
		DisplayName: p.ID.DisplayName(), State: outreachv1.MeetingPlanState(p.State), MeetingCount: int32(p.MeetingCount),
		Submitter: p.Submitter, SubmitTime: tsp(p.SubmitTime), Approver: p.Approver, ApproverName: p.ApproverName,
		ApproveTime: tsp(p.ApproveTime), ReturnComment: p.ReturnComment, ReturnTime: tsp(p.ReturnTime),
		Revision: int32(p.Revision), CreateTime: ts(p.CreateTime), UpdateTime: ts(p.UpdateTime), Etag: etag(p.Version),
	}
}

func speakersToProto(m domain.Meeting) []*outreachv1.Speaker {
	out := make([]*outreachv1.Speaker, len(m.Speakers))
	for i, id := range m.Speakers {
		s := &outreachv1.Speaker{Official: "officials/" + id.String()}
		if i < len(m.SpeakerDetails) {
			s.FullName, s.Position = m.SpeakerDetails[i].FullName, m.SpeakerDetails[i].Position
		}
		out[i] = s
	}
	return out
}

func officialNames(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "officials/" + id.String()
	}
	return out
}

func meetingToProto(m domain.Meeting, now time.Time) *outreachv1.Meeting {
	out := &outreachv1.Meeting{
		Name: m.Name(), Unscheduled: m.Unscheduled(), Topic: m.Topic, Speakers: officialNames(m.Speakers),
		SpeakerDetails: speakersToProto(m), Audience: m.Audience, District: m.District, DistrictDisplayName: m.DistrictName,
		Venue: m.Venue, StartTime: ts(m.Start), EndTime: ts(m.End), Department: m.Department,
		DepartmentDisplayName: m.DepartmentName, Organiser: m.Organiser, OrganiserName: m.OrganiserName,
		State: outreachv1.MeetingState(m.State), PreviousStartTime: tsp(m.PreviousStart), StateReason: m.StateReason,
		ReportOverdue: m.ReportOverdue(now), CreateTime: ts(m.CreateTime), UpdateTime: ts(m.UpdateTime), Etag: etag(m.Version),
	}
	if m.Plan != nil {
		out.Plan, out.PlanState = m.Plan.Name(), outreachv1.MeetingPlanState(m.PlanState)
	}
	if r := m.Report; r != nil {
		attendance := int32(r.Attendance)
		rep := &outreachv1.MeetingReport{Attendance: &attendance, Summary: r.Summary, Reporter: r.Reporter,
			ReporterName: r.ReporterName, ReportTime: ts(r.Time)}
		for _, mat := range r.Materials {
			rep.Materials = append(rep.Materials, &outreachv1.Material{Title: mat.Title, Uri: mat.URI})
		}
		for _, q := range m.Questions {
			rep.Questions = append(rep.Questions, questionToProto(q))
		}
		out.Report = rep
	}
	return out
}

func questionToProto(q domain.Question) *outreachv1.Question {
	out := &outreachv1.Question{
		Name: q.Name(), Text: q.Text, ClassifierCode: q.ClassifierCode, ClassifierDisplayName: q.ClassifierName,
		Resolution: outreachv1.QuestionResolution(q.Resolution), Answer: q.Answer, Department: q.Department,
		DepartmentDisplayName: q.DepartmentName, State: outreachv1.QuestionState(q.State),
		AppealRegistrationNumber: q.AppealNumber, AppealRegisterTime: tsp(q.AppealRegisterTime),
		AppealAnswerTime: tsp(q.AppealAnswerTime), AppealAnswerResult: appealsv1.AnswerResult(q.AppealResult),
		AppealAnsweredOnTime: q.AppealOnTime,
	}
	if q.Resolution != domain.ResolutionFollowUp {
		out.Department, out.DepartmentDisplayName = "", ""
	}
	if q.Appeal != nil {
		out.Appeal = "appeals/" + q.Appeal.String()
	}
	return out
}

func questionFromProto(q *outreachv1.Question) domain.Question {
	return domain.Question{Text: q.GetText(), ClassifierCode: q.GetClassifierCode(), Resolution: domain.Resolution(q.GetResolution()),
		Answer: q.GetAnswer(), Department: q.GetDepartment()}
}

// publicToProto shows a meeting as residents see it: no organiser, questions, report or plan workflow.
func publicToProto(m domain.Meeting) *outreachv1.PublicMeeting {
	return &outreachv1.PublicMeeting{
		Name: m.Name(), Topic: m.Topic, Speakers: speakersToProto(m), Audience: m.Audience, District: m.District,
		DistrictDisplayName: m.DistrictName, Venue: m.Venue, StartTime: ts(m.Start), EndTime: ts(m.End),
		DepartmentDisplayName: m.DepartmentName, State: outreachv1.MeetingState(m.State), PreviousStartTime: tsp(m.PreviousStart),
	}
}

func changeToProto(c app.Change) *outreachv1.Change {
	out := &outreachv1.Change{Time: ts(c.Time), Actor: c.Actor.Login, ActorName: c.Actor.Name, Kind: outreachv1.ChangeKind(c.Kind),
		MeetingTopic: c.MeetingTopic, PlanRevision: int32(c.PlanRevision), Note: c.Note}
	if c.Meeting != nil {
		out.Meeting = domain.MeetingName(*c.Meeting)
	}
	if c.Plan != nil {
		out.Plan = c.Plan.Name()
	}
	return out
}

func rowsToProto(rows []app.StatsRow) []*outreachv1.OutreachStatisticsRow {
	out := make([]*outreachv1.OutreachStatisticsRow, len(rows))
	for i, r := range rows {
		out[i] = &outreachv1.OutreachStatisticsRow{Key: r.Key, DisplayName: r.Name, MeetingsHeld: int32(r.Held),
			PeopleReached: int32(r.People), Questions: int32(r.Questions)}
	}
	return out
}

func dateOf(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, domain.CityZone)
}
