package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
)

// cityZone is Khabarovsk's time zone (the services' CityZone).
var cityZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Vladivostok")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Outcome is what becomes of a demo meeting.
type Outcome int

const (
	OutcomePlanned    Outcome = iota // still ahead
	OutcomeHeld                      // held, with its closing report
	OutcomeUnreported                // past, no report yet: the reminder job picks it up
	OutcomeCancelled
	OutcomePostponed
)

// DemoMeeting is one demo meeting with who proposes it and what becomes of it.
type DemoMeeting struct {
	Meeting *outreachv1.Meeting
	Login   string // who proposes and reports it
	Outcome Outcome
	Report  *outreachv1.MeetingReport
}

// DemoPlan is a month's plan and where it ends: approved, or submitted to the vice-mayor.
type DemoPlan struct {
	Name     string
	Approved bool
	Meetings []DemoMeeting
}

type outreachTopic struct {
	topic, audience string
	question        int // index into topics (appeals' demo topics): the question residents raise
}

var outreachTopics = []outreachTopic{
	{"О подготовке жилищного фонда к отопительному сезону", "председатели советов многоквартирных домов", 1},
	{"О капитальном ремонте многоквартирных домов в 2026 году", "жители микрорайона", 4},
	{"О благоустройстве дворовых территорий по программе «Формирование комфортной городской среды»", "жители микрорайона, активисты ТОС", 6},
	{"О зимнем содержании дорог и тротуаров", "жители района", 9},
	{"О работе общественного транспорта и новых маршрутах", "жители микрорайона", 12},
	{"О работе управляющих компаний и тарифах ЖКХ", "председатели ТСЖ и советов домов", 5},
	{"Отчёт главы района о работе администрации за квартал", "жители района, депутаты городской думы", 0},
	{"О строительстве школ и детских садов", "родители, педагоги", 13},
	{"О ремонте дорог и освещении улиц", "жители микрорайона", 7},
	{"О безопасности детей в летний период", "родители, педагоги", 3},
}

var outreachVenues = map[string][]string{
	"ZHD": {"Актовый зал МБОУ СОШ № 16", "Дом культуры «Железнодорожник»", "Библиотека-филиал № 3"},
	"IND": {"Актовый зал МБОУ СОШ № 47", "Дом культуры «Победа»", "Клуб ТОС «Большой Аэродром»"},
	"KIR": {"Актовый зал МБОУ СОШ № 32", "Библиотека-филиал № 11"},
	"KRF": {"Актовый зал МБОУ гимназия № 8", "Дом культуры «Радуга»"},
	"CEN": {"Большой зал администрации города, ул. Карла Маркса, 66", "Актовый зал МБОУ СОШ № 51"},
}

// departmentOf is the organiser of a demo meeting in district d: mostly its district committee.
func departmentOf(r *rand.Rand, d string) string {
	switch r.IntN(8) {
	case 0:
		return "UDVB"
	case 1:
		return "UT"
	}
	return "KUR-" + d
}

// loginFor is the demo account that proposes a department's meetings: its clerk where the
// demo has one, else the admin (who names the department).
func loginFor(dept string) string {
	switch dept {
	case "KUR-ZHD":
		return "clerk.zhd"
	case "KUR-IND":
		return "clerk.ind"
	case "OOG":
		return "clerk.oog"
	}
	return "admin"
}

// OutreachPlans builds the demo plans around now: last month's approved and held, this
// month's approved and under way, next month's submitted to the vice-mayor, and two
// unscheduled meetings (Name ""). speakers are official names from the directory; the same
// now and speakers give the same plans.
func OutreachPlans(now time.Time, speakers []string) []DemoPlan {
	now = now.In(cityZone)
	r := rand.New(rand.NewPCG(2017, 8))
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, cityZone)
	var plans []DemoPlan
	for i, month := range []time.Time{first.AddDate(0, -1, 0), first, first.AddDate(0, 1, 0)} {
		p := DemoPlan{Name: "meetingPlans/" + month.Format("2006-01"), Approved: i < 2}
		n := 24
		if i == 2 {
			n = 12
		}
		for j := range n {
			day := 1 + j*27/n + r.IntN(2)
			at := time.Date(month.Year(), month.Month(), day, 17+r.IntN(2), 30*r.IntN(2), 0, 0, cityZone)
			dm := demoMeeting(r, p.Name, at, speakers)
			switch {
			case at.Add(2 * time.Hour).After(now):
				dm.Outcome = OutcomePlanned
				if i == 1 && j%9 == 4 {
					dm.Outcome = OutcomePostponed
				}
			case j == 7:
				dm.Outcome = OutcomeCancelled
			case j%11 == 10:
				dm.Outcome = OutcomeUnreported
			default:
				dm.Outcome = OutcomeHeld
				dm.Report = demoReport(r, dm.Meeting)
			}
			p.Meetings = append(p.Meetings, dm)
		}
		plans = append(plans, p)
	}
	// Unscheduled meetings: called as needed, already held.
	extra := DemoPlan{}
	for _, back := range []int{3, 9} {
		at := time.Date(now.Year(), now.Month(), now.Day(), 11, 0, 0, 0, cityZone).AddDate(0, 0, -back)
		dm := demoMeeting(r, "", at, speakers)
		dm.Meeting.Topic = "Внеплановая встреча: " + dm.Meeting.Topic
		dm.Outcome, dm.Report = OutcomeHeld, demoReport(r, dm.Meeting)
		extra.Meetings = append(extra.Meetings, dm)
	}
	return append(plans, extra)
}

func demoMeeting(r *rand.Rand, plan string, at time.Time, speakers []string) DemoMeeting {
	d := districts[r.IntN(len(districts))]
	t := outreachTopics[r.IntN(len(outreachTopics))]
	dept := departmentOf(r, d)
	m := &outreachv1.Meeting{
		Plan: plan, Topic: t.topic, Audience: t.audience, District: d,
		Venue: outreachVenues[d][r.IntN(len(outreachVenues[d]))], StartTime: timestamppb.New(at),
		EndTime: timestamppb.New(at.Add(90 * time.Minute)), Department: dept,
	}
	if len(speakers) > 0 {
		m.Speakers = []string{speakers[r.IntN(len(speakers))]}
		if r.IntN(3) == 0 && len(speakers) > 1 {
			if other := speakers[r.IntN(len(speakers))]; other != m.Speakers[0] {
				m.Speakers = append(m.Speakers, other)
			}
		}
	}
	return DemoMeeting{Meeting: m, Login: loginFor(dept)}
}

func demoReport(r *rand.Rand, m *outreachv1.Meeting) *outreachv1.MeetingReport {
	rep := &outreachv1.MeetingReport{
		Attendance: proto.Int32(int32(8 + r.IntN(50))),
		Summary:    "Проинформировали жителей, ответили на вопросы; обращения взяты на контроль.",
		Materials:  []*outreachv1.Material{{Title: "Презентация к встрече"}},
	}
	var t outreachTopic
	for _, ot := range outreachTopics {
		if ot.topic == m.GetTopic() {
			t = ot
		}
	}
	for k := range 1 + r.IntN(3) {
		tp := topics[(t.question+k)%len(topics)]
		q := &outreachv1.Question{Text: tp.texts[r.IntN(len(tp.texts))], ClassifierCode: tp.code}
		if r.IntN(4) == 0 {
			q.Resolution, q.Department = outreachv1.QuestionResolution_QUESTION_RESOLUTION_FOLLOW_UP, tp.dept
		} else {
			q.Resolution, q.Answer = outreachv1.QuestionResolution_QUESTION_RESOLUTION_ANSWERED, "Разъяснено на встрече; сроки работ названы."
		}
		rep.Questions = append(rep.Questions, q)
	}
	return rep
}

// outreachNamespace makes the demo's request ids deterministic.
var outreachNamespace = uuid.MustParse("1b0e5c2a-9f3d-4a61-8c7e-2d4f6a8b0c13")

// LoadOutreach loads the demo plans and meetings over gRPC, as each account would, unless
// the outreach service already has plans. token mints a token for a demo login. It returns
// how many meetings it created.
func LoadOutreach(ctx context.Context, conn grpc.ClientConnInterface, token func(login string) (string, error), speakers []string, now time.Time) (int, error) {
	client := outreachv1.NewOutreachServiceClient(conn)
	as := func(login string) (context.Context, error) {
		tok, err := token(login)
		if err != nil {
			return nil, err
		}
		return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok), nil
	}
	admin, err := as("admin")
	if err != nil {
		return 0, err
	}
	existing, err := client.ListMeetingPlans(admin, &outreachv1.ListMeetingPlansRequest{PageSize: 1})
	if err != nil {
		return 0, err
	}
	if len(existing.GetMeetingPlans()) > 0 || len(speakers) == 0 {
		return 0, nil
	}
	// The officials reach outreach's directory copy shortly after start: wait for them.
	for i := 0; ; i++ {
		_, err := client.GetSpeakerCalendar(ctx, &outreachv1.GetSpeakerCalendarRequest{Speaker: speakers[0]})
		if err == nil {
			break
		}
		if status.Code(err) != codes.NotFound || i >= 150 {
			return 0, fmt.Errorf("outreach's directory copy has no officials yet: %w", err)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}

	created := 0
	for _, p := range OutreachPlans(now, speakers) {
		var held []struct {
			dm   DemoMeeting
			name string
		}
		for _, dm := range p.Meetings {
			c, err := as(dm.Login)
			if err != nil {
				return created, err
			}
			m := proto.Clone(dm.Meeting).(*outreachv1.Meeting)
			if dm.Login != "admin" {
				m.Department = "" // a clerk proposes for her own department
			}
			rid := uuid.NewSHA1(outreachNamespace, fmt.Appendf(nil, "%s/%d", p.Name, created)).String()
			out, err := client.CreateMeeting(c, &outreachv1.CreateMeetingRequest{Meeting: m, RequestId: rid})
			if err != nil {
				return created, fmt.Errorf("demo meeting %q: %w", m.GetTopic(), err)
			}
			created++
			held = append(held, struct {
				dm   DemoMeeting
				name string
			}{dm, out.GetName()})
		}
		if p.Name != "" {
			plan, err := client.GetMeetingPlan(admin, &outreachv1.GetMeetingPlanRequest{Name: p.Name})
			if err != nil {
				return created, err
			}
			if plan, err = client.SubmitMeetingPlan(admin, &outreachv1.SubmitMeetingPlanRequest{Name: p.Name, Etag: plan.GetEtag()}); err != nil {
				return created, fmt.Errorf("submit %s: %w", p.Name, err)
			}
			if p.Approved {
				vm, err := as("vicemayor")
				if err != nil {
					return created, err
				}
				if _, err = client.ApproveMeetingPlan(vm, &outreachv1.ApproveMeetingPlanRequest{Name: p.Name, Etag: plan.GetEtag()}); err != nil {
					return created, fmt.Errorf("approve %s: %w", p.Name, err)
				}
			}
		}
		for _, h := range held {
			if err := finish(ctx, client, as, h.dm, h.name); err != nil {
				return created, err
			}
		}
	}
	return created, nil
}

// finish brings a created demo meeting to its outcome.
func finish(ctx context.Context, client outreachv1.OutreachServiceClient, as func(string) (context.Context, error), dm DemoMeeting, name string) error {
	if dm.Outcome == OutcomePlanned || dm.Outcome == OutcomeUnreported {
		return nil
	}
	c, err := as(dm.Login)
	if err != nil {
		return err
	}
	m, err := client.GetMeeting(c, &outreachv1.GetMeetingRequest{Name: name})
	if err != nil {
		return err
	}
	switch dm.Outcome {
	case OutcomeHeld:
		_, err = client.ReportMeeting(c, &outreachv1.ReportMeetingRequest{Name: name, Etag: m.GetEtag(), Report: dm.Report})
	case OutcomeCancelled:
		_, err = client.CancelMeeting(c, &outreachv1.CancelMeetingRequest{Name: name, Etag: m.GetEtag(), Reason: "Помещение занято под избирательный участок"})
	case OutcomePostponed:
		start := m.GetStartTime().AsTime().Add(24 * time.Hour)
		if start.In(cityZone).Month() != m.GetStartTime().AsTime().In(cityZone).Month() {
			start = m.GetStartTime().AsTime().Add(-24 * time.Hour)
		}
		_, err = client.PostponeMeeting(c, &outreachv1.PostponeMeetingRequest{Name: name, Etag: m.GetEtag(),
			StartTime: timestamppb.New(start), Reason: "По просьбе совета дома"})
	}
	if err != nil {
		return fmt.Errorf("demo meeting %s: %w", name, err)
	}
	return nil
}

// SortedSpeakers orders official names so the demo is the same on every start.
func SortedSpeakers(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return out
}
