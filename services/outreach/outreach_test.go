package outreach_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// A department plans a month, the vice-mayor returns and then approves it (announced with its
// meetings), changes after approval are recorded and announced with the next revision.
func TestPlanApprovalAndChangesAfterApproval(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(10)
	m1 := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	m2 := h.propose(t, "clerk.zhd", meeting(planName, at.AddDate(0, 0, 5), "ZHD"))
	if m1.GetDepartment() != "KUR-ZHD" || m1.GetOrganiser() != "clerk.zhd" || m1.GetState() != outreachv1.MeetingState_MEETING_STATE_PLANNED ||
		m1.GetSpeakerDetails()[0].GetFullName() != "Васильев Андрей Игоревич" || m1.GetPlanState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_DRAFT {
		t.Fatalf("proposed meeting = %v", m1)
	}
	p := h.plan(t, planName)
	if p.GetState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_DRAFT || p.GetMeetingCount() != 2 || p.GetRevision() != 0 {
		t.Fatalf("draft plan = %v", p)
	}

	// Clerks propose; heads send the plan on; only the vice-mayor (or an admin) decides.
	_, err := h.client.SubmitMeetingPlan(h.As(t, "clerk.zhd"), &outreachv1.SubmitMeetingPlanRequest{Name: planName, Etag: p.GetEtag()})
	expect(t, err, codes.PermissionDenied, "CANNOT_SUBMIT")
	p, err = h.client.SubmitMeetingPlan(h.As(t, "head.zhd"), &outreachv1.SubmitMeetingPlanRequest{Name: planName, Etag: p.GetEtag()})
	if err != nil || p.GetState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_SUBMITTED {
		t.Fatalf("submit: %v, %v", p, err)
	}
	_, err = h.client.CreateMeeting(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingRequest{Meeting: meeting(planName, at, "ZHD")})
	expect(t, err, codes.FailedPrecondition, "PLAN_UNDER_REVIEW")
	_, err = h.client.ApproveMeetingPlan(h.As(t, "head.zhd"), &outreachv1.ApproveMeetingPlanRequest{Name: planName, Etag: p.GetEtag()})
	expect(t, err, codes.PermissionDenied, "NOT_VICE_MAYOR")
	_, err = h.client.ApproveMeetingPlan(h.As(t, "mayor"), &outreachv1.ApproveMeetingPlanRequest{Name: planName, Etag: p.GetEtag()})
	expect(t, err, codes.PermissionDenied, "NOT_VICE_MAYOR")
	p, err = h.client.ReturnMeetingPlan(h.As(t, "vicemayor"), &outreachv1.ReturnMeetingPlanRequest{Name: planName, Etag: p.GetEtag(), Comment: "Добавьте встречу в Индустриальном районе"})
	if err != nil || p.GetState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_RETURNED || p.GetReturnComment() == "" {
		t.Fatalf("return: %v, %v", p, err)
	}
	h.propose(t, "clerk.ind", meeting(planName, at.AddDate(0, 0, 2), "IND"))
	if n := len(outreachEvents(t, h, "meeting_plan_approved", newPlanApproved)); n != 0 {
		t.Fatalf("%d MeetingPlanApproved before approval", n)
	}
	p = h.approve(t, planName)
	if p.GetState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_APPROVED || p.GetRevision() != 1 || p.GetApprover() != "vicemayor" {
		t.Fatalf("approved plan = %v", p)
	}
	announced := outreachEvents(t, h, "meeting_plan_approved", newPlanApproved)
	if len(announced) != 1 || announced[0].GetRevision() != 1 || len(announced[0].GetMeetings()) != 3 ||
		announced[0].GetPlan() != planName || announced[0].GetMeetings()[0].GetMeeting() != m1.GetName() ||
		announced[0].GetMeetings()[0].GetSpeakers()[0] != deputy {
		t.Fatalf("MeetingPlanApproved = %v", announced)
	}

	// Another department cannot touch the meeting; its own reschedules it: recorded, revision 2.
	_, err = h.client.CancelMeeting(h.As(t, "clerk.ind"), &outreachv1.CancelMeetingRequest{Name: m1.GetName(), Etag: m1.GetEtag(), Reason: "x"})
	expect(t, err, codes.PermissionDenied, "OTHER_DEPARTMENT")
	_, err = h.client.UpdateMeeting(h.As(t, "clerk.ind"), &outreachv1.UpdateMeetingRequest{
		Meeting: &outreachv1.Meeting{Name: m1.GetName(), Etag: m1.GetEtag(), Venue: "другое место"}})
	expect(t, err, codes.PermissionDenied, "OTHER_DEPARTMENT")
	moved := at.Add(2 * time.Hour)
	m1, err = h.client.UpdateMeeting(h.As(t, "clerk.zhd"), &outreachv1.UpdateMeetingRequest{
		Meeting:    &outreachv1.Meeting{Name: m1.GetName(), Etag: m1.GetEtag(), StartTime: timestamppb.New(moved)},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"start_time"}},
	})
	if err != nil || !m1.GetStartTime().AsTime().Equal(moved) || !m1.GetEndTime().AsTime().Equal(moved.Add(90*time.Minute)) {
		t.Fatalf("reschedule: %v, %v", m1, err)
	}
	// A stale etag is refused.
	_, err = h.client.CancelMeeting(h.As(t, "clerk.zhd"), &outreachv1.CancelMeetingRequest{Name: m2.GetName(), Etag: "999", Reason: "x"})
	expect(t, err, codes.Aborted, "ETAG_MISMATCH")
	m2, err = h.client.CancelMeeting(h.As(t, "head.zhd"), &outreachv1.CancelMeetingRequest{Name: m2.GetName(), Etag: m2.GetEtag(), Reason: "Ремонт в школе"})
	if err != nil || m2.GetState() != outreachv1.MeetingState_MEETING_STATE_CANCELLED {
		t.Fatalf("cancel: %v, %v", m2, err)
	}
	// Withdrawing from an approved plan is a cancellation, not a deletion.
	_, err = h.client.DeleteMeeting(h.As(t, "clerk.zhd"), &outreachv1.DeleteMeetingRequest{Name: m1.GetName(), Etag: m1.GetEtag()})
	expect(t, err, codes.FailedPrecondition, "PLAN_APPROVED")

	if p = h.plan(t, planName); p.GetRevision() != 3 {
		t.Fatalf("revision after two changes = %d, want 3", p.GetRevision())
	}
	announced = outreachEvents(t, h, "meeting_plan_approved", newPlanApproved)
	if len(announced) != 3 || announced[1].GetRevision() != 2 || announced[2].GetRevision() != 3 {
		t.Fatalf("revisions announced = %v", announced)
	}
	last := announced[2].GetMeetings()
	var sawMoved, sawCancelled bool
	for _, pm := range last {
		sawMoved = sawMoved || (pm.GetMeeting() == m1.GetName() && pm.GetStartTime().AsTime().Equal(moved))
		sawCancelled = sawCancelled || (pm.GetMeeting() == m2.GetName() && pm.GetCancelled())
	}
	if !sawMoved || !sawCancelled || len(last) != 3 {
		t.Fatalf("revision 3 meetings = %v", last)
	}

	changes, err := h.client.ListMeetingPlanChanges(h.As(t, "mayor"), &outreachv1.ListMeetingPlanChangesRequest{Parent: planName, AfterApproval: true})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []outreachv1.ChangeKind
	for _, c := range changes.GetChanges() {
		kinds = append(kinds, c.GetKind())
	}
	want := []outreachv1.ChangeKind{outreachv1.ChangeKind_CHANGE_KIND_PLAN_APPROVED, outreachv1.ChangeKind_CHANGE_KIND_RESCHEDULED, outreachv1.ChangeKind_CHANGE_KIND_CANCELLED}
	if len(kinds) != len(want) || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] ||
		changes.GetChanges()[1].GetActor() != "clerk.zhd" || changes.GetChanges()[1].GetPlanRevision() != 2 || changes.GetChanges()[1].GetNote() == "" {
		t.Fatalf("changes after approval = %v", changes.GetChanges())
	}
	all, err := h.client.ListMeetingPlanChanges(h.As(t, "mayor"), &outreachv1.ListMeetingPlanChangesRequest{Parent: planName})
	if err != nil || len(all.GetChanges()) != 9 { // added ×2, submitted, returned, added, submitted, approved, rescheduled, cancelled
		t.Fatalf("all changes: %d, %v", len(all.GetChanges()), err)
	}
}

func newPlanApproved() *outreachv1.MeetingPlanApproved { return &outreachv1.MeetingPlanApproved{} }

// A meeting is held and reported: attendance is required, a follow-up question is referred
// to appeals exactly once (even when the report is retried), and the appeal's registration
// and answer come back to the question; repeated appeals events change nothing.
func TestReportReferAndAnswerBack(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(12)
	m := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	h.approve(t, planName)
	m = h.get(t, m.GetName())

	report := func(attendance *int32, questions ...*outreachv1.Question) *outreachv1.ReportMeetingRequest {
		return &outreachv1.ReportMeetingRequest{Name: m.GetName(), Etag: m.GetEtag(), RequestId: uuid.NewString(), Report: &outreachv1.MeetingReport{
			Attendance: attendance, Questions: questions, Summary: "Обсудили подготовку к зиме",
			Materials: []*outreachv1.Material{{Title: "Презентация", Uri: "https://khabarovskadm.ru/files/zima.pdf"}},
		}}
	}
	spot := &outreachv1.Question{Text: "Когда включат отопление?", ClassifierCode: "0005.0005.0056.1156",
		Resolution: outreachv1.QuestionResolution_QUESTION_RESOLUTION_ANSWERED, Answer: "С 15 сентября по графику"}
	followUp := &outreachv1.Question{Text: "Протекает кровля дома 12", ClassifierCode: "0005.0005.0056.1168",
		Resolution: outreachv1.QuestionResolution_QUESTION_RESOLUTION_FOLLOW_UP}

	// Not before it took place.
	_, err := h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(proto.Int32(40)))
	expect(t, err, codes.FailedPrecondition, "NOT_STARTED")
	h.clock.AdvanceTo(at.Add(3 * time.Hour))

	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(nil))
	testkit.ExpectViolation(t, err, "report.attendance")
	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(proto.Int32(-1)))
	testkit.ExpectViolation(t, err, "report.attendance")
	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(proto.Int32(30),
		&outreachv1.Question{Text: "?", ClassifierCode: "9999.9999.9999.9999", Resolution: outreachv1.QuestionResolution_QUESTION_RESOLUTION_FOLLOW_UP}))
	testkit.ExpectViolation(t, err, "report.questions[0].classifier_code")
	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(proto.Int32(30),
		&outreachv1.Question{Text: "?", ClassifierCode: "0005.0005.0056.1156", Resolution: outreachv1.QuestionResolution_QUESTION_RESOLUTION_ANSWERED}))
	testkit.ExpectViolation(t, err, "report.questions[0].answer")
	_, err = h.client.ReportMeeting(h.As(t, "clerk.ind"), report(proto.Int32(30)))
	expect(t, err, codes.PermissionDenied, "OTHER_DEPARTMENT")

	req := report(proto.Int32(42), spot, followUp)
	held, err := h.client.ReportMeeting(h.As(t, "clerk.zhd"), req)
	if err != nil {
		t.Fatal(err)
	}
	qs := held.GetReport().GetQuestions()
	if held.GetState() != outreachv1.MeetingState_MEETING_STATE_HELD || held.GetReport().GetAttendance() != 42 || len(qs) != 2 ||
		qs[0].GetState() != outreachv1.QuestionState_QUESTION_STATE_ANSWERED_ON_THE_SPOT ||
		qs[1].GetState() != outreachv1.QuestionState_QUESTION_STATE_REFERRED || qs[1].GetDepartment() != "KUR-ZHD" ||
		qs[1].GetClassifierDisplayName() == "" || held.GetReport().GetMaterials()[0].GetTitle() != "Презентация" {
		t.Fatalf("held meeting = %v", held)
	}
	// The retry of the same request answers the same; the same etag with a new request is stale.
	again, err := h.client.ReportMeeting(h.As(t, "clerk.zhd"), req)
	if err != nil || again.GetEtag() != held.GetEtag() || len(again.GetReport().GetQuestions()) != 2 {
		t.Fatalf("retried report: %v, %v", again, err)
	}
	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), report(proto.Int32(42), spot, followUp))
	expect(t, err, codes.Aborted, "ETAG_MISMATCH")
	_, err = h.client.ReportMeeting(h.As(t, "clerk.zhd"), &outreachv1.ReportMeetingRequest{Name: m.GetName(), Etag: held.GetEtag(),
		Report: &outreachv1.MeetingReport{Attendance: proto.Int32(1)}})
	expect(t, err, codes.FailedPrecondition, "ALREADY_REPORTED")

	referred := outreachEvents(t, h, "question_referred", func() *outreachv1.QuestionReferred { return &outreachv1.QuestionReferred{} })
	if len(referred) != 1 || referred[0].GetQuestion() != qs[1].GetName() || referred[0].GetMeeting() != m.GetName() ||
		referred[0].GetDepartment() != "KUR-ZHD" || referred[0].GetDistrict() != "ZHD" || referred[0].GetClassifierCode() != "0005.0005.0056.1168" ||
		!referred[0].GetRaiseTime().AsTime().Equal(at) {
		t.Fatalf("QuestionReferred = %v", referred)
	}
	if heldEvents := outreachEvents(t, h, "meeting_held", func() *outreachv1.MeetingHeld { return &outreachv1.MeetingHeld{} }); len(heldEvents) != 1 ||
		heldEvents[0].GetAttendance() != 42 || heldEvents[0].GetQuestionCount() != 2 {
		t.Fatalf("MeetingHeld = %v", heldEvents)
	}

	// Appeals registers the question's appeal, then answers it; every event arrives twice.
	appeal := "appeals/" + uuid.NewString()
	registered := &appealsv1.AppealRegistered{Appeal: appeal, RegistrationNumber: "2026-000777", RegisterTime: timestamppb.New(at.Add(time.Hour)),
		Channel: appealsv1.Channel_CHANNEL_OUTREACH_MEETING, Department: "KUR-ZHD", Source: qs[1].GetName()}
	other := &appealsv1.AppealRegistered{Appeal: "appeals/" + uuid.NewString(), RegistrationNumber: "2026-000778",
		RegisterTime: timestamppb.Now(), Channel: appealsv1.Channel_CHANNEL_LETTER}
	h.publishAppeals(t, "appeal_registered", other)
	h.publishAppeals(t, "appeal_registered", registered)
	h.publishAppeals(t, "appeal_registered", registered)
	h.waitConsumed(t)
	q, err := h.client.GetQuestion(h.As(t, "clerk.oog"), &outreachv1.GetQuestionRequest{Name: qs[1].GetName()})
	if err != nil || q.GetState() != outreachv1.QuestionState_QUESTION_STATE_APPEAL_REGISTERED || q.GetAppeal() != appeal ||
		q.GetAppealRegistrationNumber() != "2026-000777" || q.GetText() != "Протекает кровля дома 12" {
		t.Fatalf("question after registration: %v, %v", q, err)
	}
	etag := h.get(t, m.GetName()).GetEtag()
	h.publishAppeals(t, "appeal_registered", registered)
	h.waitConsumed(t)
	if got := h.get(t, m.GetName()).GetEtag(); got != etag {
		t.Fatalf("a repeated AppealRegistered changed the meeting: etag %s -> %s", etag, got)
	}

	answerTime := at.AddDate(0, 0, 14)
	answered := &appealsv1.AppealAnswered{Appeal: appeal, RegistrationNumber: "2026-000777", Channel: appealsv1.Channel_CHANNEL_OUTREACH_MEETING,
		AnswerTime: timestamppb.New(answerTime), Result: appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED, OnTime: true, Source: qs[1].GetName()}
	h.publishAppeals(t, "appeal_answered", answered)
	h.publishAppeals(t, "appeal_answered", answered)
	h.waitConsumed(t)
	got := h.get(t, m.GetName()).GetReport().GetQuestions()[1]
	if got.GetState() != outreachv1.QuestionState_QUESTION_STATE_APPEAL_ANSWERED || !got.GetAppealAnswerTime().AsTime().Equal(answerTime) ||
		got.GetAppealAnswerResult() != appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED || !got.GetAppealAnsweredOnTime() ||
		got.GetAppealRegistrationNumber() != "2026-000777" {
		t.Fatalf("question after the answer = %v", got)
	}
	// A late registration event does not move the question back.
	h.publishAppeals(t, "appeal_registered", registered)
	h.waitConsumed(t)
	if s := h.get(t, m.GetName()).GetReport().GetQuestions()[1].GetState(); s != outreachv1.QuestionState_QUESTION_STATE_APPEAL_ANSWERED {
		t.Fatalf("state after a late registration event = %v", s)
	}
	if n := h.Count(t, "SELECT count(*) FROM questions WHERE appeal_id IS NOT NULL"); n != 1 {
		t.Fatalf("%d questions linked, want 1", n)
	}
}

// Proposals are checked: speakers from the directory, the plan's month, the caller's department.
func TestProposalChecks(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(3)
	bad := meeting(planName, at, "ZHD")
	bad.Speakers = []string{"officials/" + uuid.NewString()}
	_, err := h.client.CreateMeeting(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingRequest{Meeting: bad})
	testkit.ExpectViolation(t, err, "meeting.speakers[0]")

	bad = meeting(planName, at.AddDate(0, 2, 0), "ZHD")
	_, err = h.client.CreateMeeting(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingRequest{Meeting: bad})
	testkit.ExpectViolation(t, err, "meeting.start_time")

	bad = meeting(planName, at, "ZHD")
	bad.Topic = ""
	_, err = h.client.CreateMeeting(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingRequest{Meeting: bad})
	testkit.ExpectViolation(t, err, "meeting.topic")

	other := meeting(planName, at, "ZHD")
	other.Department = "KUR-IND"
	_, err = h.client.CreateMeeting(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingRequest{Meeting: other})
	expect(t, err, codes.PermissionDenied, "OTHER_DEPARTMENT")
	_, err = h.client.CreateMeeting(h.As(t, "mayor"), &outreachv1.CreateMeetingRequest{Meeting: meeting(planName, at, "ZHD")})
	expect(t, err, codes.PermissionDenied, "CANNOT_CHANGE")
	_, err = h.client.CreateMeeting(h.As(t, "admin"), &outreachv1.CreateMeetingRequest{Meeting: meeting(planName, at, "ZHD")})
	testkit.ExpectViolation(t, err, "meeting.department")

	// A retried proposal is stored once.
	req := &outreachv1.CreateMeetingRequest{Meeting: meeting("", at, "ZHD"), RequestId: uuid.NewString()}
	first, err := h.client.CreateMeeting(h.As(t, "clerk.zhd"), req)
	if err != nil || !first.GetUnscheduled() || first.GetPlan() != "" {
		t.Fatalf("unscheduled: %v, %v", first, err)
	}
	second, err := h.client.CreateMeeting(h.As(t, "clerk.zhd"), req)
	if err != nil || second.GetName() != first.GetName() || h.Count(t, "SELECT count(*) FROM meetings") != 1 {
		t.Fatalf("retry: %v, %v", second, err)
	}
	// Postponed: a move with the old time kept.
	moved, err := h.client.PostponeMeeting(h.As(t, "clerk.zhd"), &outreachv1.PostponeMeetingRequest{Name: first.GetName(), Etag: first.GetEtag(),
		StartTime: timestamppb.New(at.AddDate(0, 0, 7)), Reason: "Совпадает с субботником"})
	if err != nil || moved.GetState() != outreachv1.MeetingState_MEETING_STATE_POSTPONED || !moved.GetPreviousStartTime().AsTime().Equal(at) ||
		!moved.GetEndTime().AsTime().Equal(at.AddDate(0, 0, 7).Add(90*time.Minute)) {
		t.Fatalf("postponed: %v, %v", moved, err)
	}
	changes, err := h.client.ListMeetingChanges(h.As(t, "auditor"), &outreachv1.ListMeetingChangesRequest{Parent: first.GetName()})
	if err != nil || len(changes.GetChanges()) != 2 || changes.GetChanges()[1].GetKind() != outreachv1.ChangeKind_CHANGE_KIND_POSTPONED {
		t.Fatalf("meeting changes: %v, %v", changes, err)
	}
	// An election period's additional schedule is a plan of its own beside the month's.
	month := at.In(domain.CityZone)
	election, err := h.client.CreateMeetingPlan(h.As(t, "head.zhd"), &outreachv1.CreateMeetingPlanRequest{MeetingPlan: &outreachv1.MeetingPlan{
		Year: int32(month.Year()), Month: int32(month.Month()), ElectionPeriod: true}})
	if err != nil || election.GetName() != planName+"-election" || election.GetState() != outreachv1.MeetingPlanState_MEETING_PLAN_STATE_DRAFT ||
		election.GetDisplayName() == "" {
		t.Fatalf("election schedule: %v, %v", election, err)
	}
	_, err = h.client.CreateMeetingPlan(h.As(t, "head.zhd"), &outreachv1.CreateMeetingPlanRequest{MeetingPlan: &outreachv1.MeetingPlan{
		Year: int32(month.Year()), Month: int32(month.Month()), ElectionPeriod: true}})
	expect(t, err, codes.AlreadyExists, "PLAN_EXISTS")
	if m := h.propose(t, "clerk.zhd", meeting(election.GetName(), at, "ZHD")); m.GetPlan() != election.GetName() {
		t.Fatalf("meeting in the election schedule: %v", m)
	}
	_, err = h.client.CreateMeetingPlan(h.As(t, "clerk.zhd"), &outreachv1.CreateMeetingPlanRequest{MeetingPlan: &outreachv1.MeetingPlan{Year: 2026, Month: 13}})
	testkit.ExpectViolation(t, err, "meeting_plan.month")

	// A draft proposal may be withdrawn.
	draft := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	if _, err := h.client.DeleteMeeting(h.As(t, "clerk.zhd"), &outreachv1.DeleteMeetingRequest{Name: draft.GetName(), Etag: draft.GetEtag()}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetMeeting(h.As(t, "clerk.zhd"), &outreachv1.GetMeetingRequest{Name: draft.GetName()})
	expect(t, err, codes.NotFound, "NOT_FOUND")
}
