package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// AnalyticsStore reads the figures of the appeals analytics (GetAppealStatistics).
type AnalyticsStore interface {
	// CountAppeals counts the appeals registered in r that scope may see, in one snapshot.
	CountAppeals(ctx context.Context, r StatisticsRange, scope Scope) (AppealCounts, error)
}

// MaxStatisticsDays is the longest period the analytics count at once (five years).
const MaxStatisticsDays = 5*366 + 1

// GrowingTopicsMin is how many appeals a topic needs in the period to be listed as growing:
// below it, one or two appeals more make a huge growth that means nothing.
const GrowingTopicsMin = 5

// GrowingTopicsMax is the length of the growing topics list.
const GrowingTopicsMax = 10

// StatisticsQuery selects the appeals registered in a period.
type StatisticsQuery struct {
	From, To    domain.Date // city days, both inclusive
	Departments []string    // only these lead departments; empty: every one the caller may see
}

// StatisticsRange is what the store counts: appeals registered in [From, To), the topics also
// in the previous period of the same length [PreviousFrom, From); open appeals whose answer
// deadline is before Today are overdue.
type StatisticsRange struct {
	From, To, PreviousFrom time.Time
	Today                  domain.Date
	Departments            []string // nil: no filter besides the scope
}

// Figures are the counts of a set of appeals. An appeal is in exactly one of: answered,
// forwarded, left without answer, returned, correspondence ended, in work.
type Figures struct {
	Appeals             int
	Answered            int // answered on substance
	AnsweredOnTime      int // by the (possibly extended) deadline
	Supported           int // answered: «поддержано»
	Explained           int // answered: «разъяснено»
	NotSupported        int // answered: «не поддержано»
	Forwarded           int // sent to the competent body
	LeftWithoutAnswer   int
	Returned            int
	CorrespondenceEnded int
	InWork              int // still open
	Overdue             int // open, and the answer deadline has passed
	Repeated            int
	DaysToAnswer        int // sum over the answered, calendar days in city time
}

// OnTimeShare is answered on time / answered (0 when none answered).
func (f Figures) OnTimeShare() float64 { return ratio(f.AnsweredOnTime, f.Answered) }

// AverageDaysToAnswer is the mean of registration to answer, calendar days.
func (f Figures) AverageDaysToAnswer() float64 { return ratio(f.DaysToAnswer, f.Answered) }

// RepeatedShare is repeated / appeals.
func (f Figures) RepeatedShare() float64 { return ratio(f.Repeated, f.Appeals) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (f *Figures) add(g Figures) {
	f.Appeals += g.Appeals
	f.Answered += g.Answered
	f.AnsweredOnTime += g.AnsweredOnTime
	f.Supported += g.Supported
	f.Explained += g.Explained
	f.NotSupported += g.NotSupported
	f.Forwarded += g.Forwarded
	f.LeftWithoutAnswer += g.LeftWithoutAnswer
	f.Returned += g.Returned
	f.CorrespondenceEnded += g.CorrespondenceEnded
	f.InWork += g.InWork
	f.Overdue += g.Overdue
	f.Repeated += g.Repeated
	f.DaysToAnswer += g.DaysToAnswer
}

// ClassifierLevel numbers the levels of the ССТУ classifier.
type ClassifierLevel int

const (
	LevelSection  ClassifierLevel = 1 // раздел
	LevelTopic    ClassifierLevel = 2 // тематика
	LevelTheme    ClassifierLevel = 3 // тема
	LevelQuestion ClassifierLevel = 4 // вопрос (a level-5 code counts under its question)
)

// AppealCounts is what the store counts. An appeal counts once under every classifier code
// of each level it raises, so the rows of a level may add up to more than the total.
type AppealCounts struct {
	Total        Figures
	Classifier   []ClassifierCount
	ByDistrict   []Row // Key: district code ("" for none), Name: from the directory copy, may be empty
	ByDepartment []Row // Key: department code, Name: from the directory copy, may be empty
	ByChannel    map[domain.Channel]Figures
}

// ClassifierCount is one classifier code's figures, and its count in the previous period.
type ClassifierCount struct {
	Level    ClassifierLevel
	Row      // Key: the code, e.g. 0005.0005.0000.0000; Name: from the classifier
	Previous int
}

// Row is one line of a breakdown.
type Row struct {
	Key  string
	Name string
	Figures
}

// TopicGrowth is a topic whose count grew against the previous period.
type TopicGrowth struct {
	Code, Name string
	Appeals    int
	Previous   int
	Growth     float64 // (appeals - previous) / max(previous, 1)
}

// Statistics is the analytics of a period.
type Statistics struct {
	From, To     domain.Date
	Departments  []string // the filter asked for (empty: all visible)
	Total        Figures
	BySection    []Row // most appeals first
	ByTopic      []Row // тематика (level 2), most appeals first
	ByQuestion   []Row // вопрос (level 4), in code order: the federal report's rows
	ByDistrict   []Row // the five districts in a fixed order, then "" (no district) if any
	ByDepartment []Row // most appeals first
	ByChannel    []Row // every channel, in the API's order; Key: the API's enum name
	// Growing are the themes (тема, level 3) that grew fastest against the previous period of
	// the same length, with at least GrowingTopicsMin appeals; at most GrowingTopicsMax.
	Growing []TopicGrowth
}

// Channels in the API's order, with their API names and Russian names.
var Channels = []struct {
	Channel   domain.Channel
	Key, Name string
}{
	{domain.ChannelLetter, "CHANNEL_LETTER", "Письменное обращение (почта)"},
	{domain.ChannelElectronic, "CHANNEL_ELECTRONIC", "Электронная почта, портал"},
	{domain.ChannelPersonalReception, "CHANNEL_PERSONAL_RECEPTION", "Личный приём"},
	{domain.ChannelPhone, "CHANNEL_PHONE", "Телефон"},
	{domain.ChannelOutreachMeeting, "CHANNEL_OUTREACH_MEETING", "Информационная встреча с жителями"},
	{domain.ChannelFeedbackPlatform, "CHANNEL_FEEDBACK_PLATFORM", "Платформа обратной связи (ПОС)"},
}

// Districts are the city's districts in the order the reports list them, with their names as
// the directory has them (shared/data/districts.csv), used when the directory copy has none.
var Districts = []struct{ Code, Name string }{
	{"ZHD", "Железнодорожный"},
	{"IND", "Индустриальный"},
	{"KIR", "Кировский"},
	{"KRF", "Краснофлотский"},
	{"CEN", "Центральный"},
}

// NoDistrictName names the row of appeals not tied to a district.
const NoDistrictName = "Район не указан"

// AppealStatistics counts the appeals registered in the period that the caller may see
// (the same visibility as ListAppeals).
func (s *Service) AppealStatistics(ctx context.Context, q StatisticsQuery) (Statistics, error) {
	_, scope, err := s.caller(ctx)
	if err != nil {
		return Statistics{}, err
	}
	if err := q.check(); err != nil {
		return Statistics{}, err
	}
	from, to := q.From.Time(), q.To.AddDays(1).Time()
	r := StatisticsRange{
		From: from, To: to,
		PreviousFrom: q.From.AddDays(-q.From.DaysUntil(q.To) - 1).Time(),
		Today:        domain.DateOf(s.now()),
	}
	if len(q.Departments) > 0 {
		r.Departments = q.Departments
	}
	c, err := s.repo.CountAppeals(ctx, r, scope)
	if err != nil {
		return Statistics{}, err
	}
	return statisticsOf(q, c), nil
}

func (q StatisticsQuery) check() error {
	var vs []apierr.FieldViolation
	for _, d := range []struct {
		field string
		date  domain.Date
	}{{"start_date", q.From}, {"end_date", q.To}} {
		if !validDate(d.date) {
			vs = append(vs, apierr.FieldViolation{Field: d.field, Description: "a full calendar date (year, month and day) is required"})
		}
	}
	if len(vs) == 0 {
		switch n := q.From.DaysUntil(q.To); {
		case n < 0:
			vs = append(vs, apierr.FieldViolation{Field: "end_date", Description: "the period ends before it starts"})
		case n >= MaxStatisticsDays:
			vs = append(vs, apierr.FieldViolation{Field: "end_date", Description: fmt.Sprintf("the period is longer than %d days", MaxStatisticsDays)})
		}
	}
	for i, d := range q.Departments {
		if d == "" || len(d) > 32 {
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("departments[%d]", i), Description: "not a department code"})
		}
	}
	if len(vs) > 0 {
		return Errors.Invalid("INVALID_PERIOD", "the statistics cannot be counted: "+summary(vs), vs...)
	}
	return nil
}

func validDate(d domain.Date) bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Day() == d.Day
}

// statisticsOf orders and names the store's counts.
func statisticsOf(q StatisticsQuery, c AppealCounts) Statistics {
	st := Statistics{From: q.From, To: q.To, Departments: q.Departments, Total: c.Total}
	var themes []ClassifierCount
	for _, cc := range c.Classifier {
		if cc.Level == LevelTheme {
			themes = append(themes, cc)
		}
		if cc.Appeals == 0 {
			continue // counted in the previous period only
		}
		switch cc.Level {
		case LevelSection:
			st.BySection = append(st.BySection, cc.Row)
		case LevelTopic:
			st.ByTopic = append(st.ByTopic, cc.Row)
		case LevelQuestion:
			st.ByQuestion = append(st.ByQuestion, cc.Row)
		}
	}
	byCount(st.BySection)
	byCount(st.ByTopic)
	slices.SortFunc(st.ByQuestion, func(a, b Row) int { return cmp.Compare(a.Key, b.Key) })

	districts := map[string]Row{}
	for _, r := range c.ByDistrict {
		districts[r.Key] = r
	}
	for _, d := range Districts {
		r := districts[d.Code]
		delete(districts, d.Code)
		r.Key = d.Code
		if r.Name == "" {
			r.Name = d.Name
		}
		st.ByDistrict = append(st.ByDistrict, r)
	}
	var others []Row // unknown codes and "", after the five
	for _, r := range districts {
		if r.Key == "" {
			r.Name = NoDistrictName
		} else if r.Name == "" {
			r.Name = r.Key
		}
		others = append(others, r)
	}
	slices.SortFunc(others, func(a, b Row) int {
		if (a.Key == "") != (b.Key == "") {
			return cmp.Compare(b.Key, a.Key) // "" last
		}
		return cmp.Compare(a.Key, b.Key)
	})
	st.ByDistrict = append(st.ByDistrict, others...)

	for _, r := range c.ByDepartment {
		if r.Name == "" {
			r.Name = r.Key
		}
		st.ByDepartment = append(st.ByDepartment, r)
	}
	byCount(st.ByDepartment)

	for _, ch := range Channels {
		st.ByChannel = append(st.ByChannel, Row{Key: ch.Key, Name: ch.Name, Figures: c.ByChannel[ch.Channel]})
	}

	for _, t := range themes {
		if t.Appeals < GrowingTopicsMin || t.Appeals <= t.Previous {
			continue
		}
		st.Growing = append(st.Growing, TopicGrowth{Code: t.Key, Name: t.Name, Appeals: t.Appeals, Previous: t.Previous,
			Growth: float64(t.Appeals-t.Previous) / float64(max(t.Previous, 1))})
	}
	slices.SortFunc(st.Growing, func(a, b TopicGrowth) int {
		return cmp.Or(cmp.Compare(b.Growth, a.Growth), cmp.Compare(b.Appeals-b.Previous, a.Appeals-a.Previous), cmp.Compare(a.Code, b.Code))
	})
	if len(st.Growing) > GrowingTopicsMax {
		st.Growing = st.Growing[:GrowingTopicsMax]
	}
	return st
}

// byCount orders rows by appeals, most first, then by key.
func byCount(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int { return cmp.Or(cmp.Compare(b.Appeals, a.Appeals), cmp.Compare(a.Key, b.Key)) })
}

// Sum adds up rows (e.g. to check a breakdown against the total).
func Sum(rows []Row) Figures {
	var f Figures
	for _, r := range rows {
		f.add(r.Figures)
	}
	return f
}
