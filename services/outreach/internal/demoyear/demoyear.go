// Package demoyear generates a year of meetings with residents shaped like the city's 2017
// (about 1,000 meetings reaching over 22,000 people): monthly plans approved by the vice-mayor,
// fewer meetings in January and in summer, most in the district committees, every held meeting
// with its closing report. The same year and inputs give the same meetings.
package demoyear

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
)

// MeetingsPerYear is how many meetings a whole demo year has (2017: about 1,000).
const MeetingsPerYear = 1012

// monthWeights spread the year's meetings over its months (per mille): quiet in January and in
// July–August, busy before the heating season and in spring.
var monthWeights = [12]int{50, 80, 100, 110, 90, 70, 50, 60, 100, 110, 100, 80}

var topics = []struct{ topic, audience string }{
	{"О подготовке жилищного фонда к отопительному сезону", "председатели советов многоквартирных домов"},
	{"О капитальном ремонте многоквартирных домов", "жители микрорайона"},
	{"О благоустройстве дворовых территорий", "жители микрорайона, активисты ТОС"},
	{"О зимнем содержании дорог и тротуаров", "жители района"},
	{"О работе общественного транспорта", "жители микрорайона"},
	{"О работе управляющих компаний и тарифах ЖКХ", "председатели ТСЖ и советов домов"},
	{"Отчёт главы района о работе администрации", "жители района, депутаты городской думы"},
	{"О строительстве школ и детских садов", "родители, педагоги"},
	{"О ремонте дорог и освещении улиц", "жители микрорайона"},
	{"О безопасности детей в летний период", "родители, педагоги"},
	{"О профилактике пожаров в частном секторе", "жители частного сектора"},
	{"О подготовке к празднованию Дня города", "жители района, руководители учреждений культуры"},
}

// questions are classifier codes residents ask about at meetings, with a short text.
var questions = []struct{ code, text string }{
	{"0005.0005.0056.1156", "Когда включат отопление в доме?"},
	{"0005.0005.0056.1149", "Почему выросла плата за отопление?"},
	{"0005.0005.0056.1168", "Когда отремонтируют кровлю над подъездом?"},
	{"0005.0005.0056.1170", "Когда дом включат в программу капитального ремонта?"},
	{"0003.0009.0097.0698", "Можно ли установить детскую площадку во дворе?"},
	{"0003.0009.0097.0699", "Когда отремонтируют дорогу у остановки?"},
	{"0003.0009.0097.0690", "Когда восстановят освещение на улице?"},
	{"0003.0009.0097.0694", "Кто убирает снег с внутриквартальных проездов?"},
	{"0003.0009.0099.0733", "Будет ли продлён автобусный маршрут?"},
	{"0002.0013.0139.0329", "Когда откроется новый детский сад?"},
}

var venues = map[string][]string{
	"ZHD": {"Актовый зал МБОУ СОШ № 16", "Дом культуры «Железнодорожник»", "Библиотека-филиал № 3"},
	"IND": {"Актовый зал МБОУ СОШ № 47", "Дом культуры «Победа»", "Клуб ТОС «Большой Аэродром»"},
	"KIR": {"Актовый зал МБОУ СОШ № 32", "Библиотека-филиал № 11"},
	"KRF": {"Актовый зал МБОУ гимназия № 8", "Дом культуры «Радуга»"},
	"CEN": {"Большой зал администрации города", "Актовый зал МБОУ СОШ № 51"},
}

var districts = []string{"ZHD", "IND", "KIR", "KRF", "CEN"}

// Year is a generated year: its plans and meetings (held ones with their questions).
type Year struct {
	Plans    []domain.Plan
	Meetings []domain.Meeting // Questions filled for held ones
}

// Generate builds the year's plans and meetings. speakers are officials of the directory
// copy; only the months that end by until are generated, so a year that is still running ends
// where the live plans begin.
func Generate(year int, speakers []uuid.UUID, until time.Time) Year {
	r := rand.New(rand.NewPCG(uint64(year), 2017))
	var y Year
	total := 0
	for m := 1; m <= 12; m++ {
		n := MeetingsPerYear * monthWeights[m-1] / 1000
		if m == 12 {
			n = MeetingsPerYear - total // the rounding's remainder
		}
		total += n
		id := domain.PlanID{Year: year, Month: m}
		from, to := id.Bounds()
		if to.After(until) {
			continue
		}
		approve := from.AddDate(0, 0, -3).Add(10 * time.Hour)
		p := domain.Plan{ID: id, State: domain.PlanApproved, MeetingCount: n, Submitter: "admin", SubmitterName: "Новиков Павел Андреевич",
			SubmitTime: ptr(approve.AddDate(0, 0, -2)), Approver: "vicemayor", ApproverName: "Соколова Елена Александровна",
			ApproveTime: ptr(approve), Revision: 1, CreateTime: approve.AddDate(0, 0, -10), UpdateTime: approve, Version: 3}
		y.Plans = append(y.Plans, p)
		days := to.Sub(from).Hours() / 24
		for i := range n {
			d := districts[r.IntN(len(districts))]
			day := 1 + int(float64(i)*days/float64(n))
			start := time.Date(year, time.Month(m), day, 16+r.IntN(3), 30*r.IntN(2), 0, 0, domain.CityZone)
			t := topics[r.IntN(len(topics))]
			dept := "KUR-" + d
			switch r.IntN(10) {
			case 0:
				dept = "UDVB"
			case 1:
				dept = "UT"
			case 2:
				dept = "UO"
			}
			mt := domain.Meeting{
				ID: uuid.NewSHA1(namespace, fmt.Appendf(nil, "%d/%d/%d", year, m, i)), Plan: &p.ID, Topic: t.topic, Audience: t.audience,
				District: d, Venue: venues[d][r.IntN(len(venues[d]))], Start: start.UTC(), End: start.Add(90 * time.Minute).UTC(),
				Department: dept, Organiser: "admin", OrganiserName: "Новиков Павел Андреевич", State: domain.MeetingHeld,
				CreateTime: p.CreateTime, UpdateTime: start.Add(26 * time.Hour).UTC(), Version: 2,
			}
			if len(speakers) > 0 {
				mt.Speakers = []uuid.UUID{speakers[r.IntN(len(speakers))]}
				if r.IntN(4) == 0 {
					if other := speakers[r.IntN(len(speakers))]; other != mt.Speakers[0] {
						mt.Speakers = append(mt.Speakers, other)
					}
				}
			}
			if r.IntN(40) == 0 {
				mt.State, mt.StateReason = domain.MeetingCancelled, "Помещение занято под избирательный участок"
				y.Meetings = append(y.Meetings, mt)
				continue
			}
			// 5 to 40 residents, 22.5 on average: the year reaches about 22,000 people.
			mt.Report = &domain.Report{Attendance: 5 + r.IntN(36), Summary: "Проинформировали жителей, ответили на вопросы.",
				Materials: []domain.Material{{Title: "Презентация к встрече"}}, Reporter: "admin", ReporterName: "Новиков Павел Андреевич",
				Time: mt.UpdateTime}
			for k := range r.IntN(4) {
				q := questions[r.IntN(len(questions))]
				mt.Questions = append(mt.Questions, domain.Question{
					ID: uuid.NewSHA1(namespace, fmt.Appendf(nil, "%s/q%d", mt.ID, k)), MeetingID: mt.ID, Position: k + 1,
					Text: q.text, ClassifierCode: q.code, Resolution: domain.ResolutionAnswered,
					Answer: "Разъяснено на встрече; сроки работ названы.", State: domain.QuestionAnsweredOnTheSpot,
				})
			}
			y.Meetings = append(y.Meetings, mt)
		}
	}
	return y
}

// namespace makes the demo year's ids deterministic.
var namespace = uuid.MustParse("0c8b7f52-3d1e-4b8a-9e61-5a2f0d4c7b19")

func ptr[T any](v T) *T { return &v }
