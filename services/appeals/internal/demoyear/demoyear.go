// Package demoyear generates a year of citizens' appeals shaped like Khabarovsk's 2017 (22,884
// appeals, most on housing and utilities): seasonal peaks (heating in autumn and winter, snow in
// winter, yards in spring and summer), the five districts, the departments that handle each
// question, the channels, about 15% repeated appeals, most answered within 30 days, some
// extended, a few late or still overdue, some forwarded, returned or left without an answer.
//
// Generate is pure and deterministic: the same year and cut-off give the same appeals, field for
// field. Applicants are synthetic («Житель 00123»), never real people.
package demoyear

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// AppealsPerYear is the administration's 2017 count.
const AppealsPerYear = 22884

// CreatedBy marks the rows of a generated year (appeals.created_by).
const CreatedBy = "demo-year"

// Appeal is one generated appeal as the workflow would have left it at the cut-off.
type Appeal struct {
	ID                 uuid.UUID
	RegistrationNumber string
	ReceiveTime        time.Time
	RegisterTime       time.Time
	Channel            domain.Channel
	Text               string
	ClassifierCodes    []string
	District           string
	Department         string
	Collective         bool
	Signatories        int
	Anonymous          bool
	Addressee          string
	ReceptionCard      *domain.ReceptionCard // a personal reception's
	Executor           string
	CoExecutors        []string
	State              domain.State
	RegisterDueDate    domain.Date
	ForwardDueDate     domain.Date
	AnswerDueDate      domain.Date // with the extension

	ExtensionDays   int
	ExtensionReason string
	ExtendedBy      string
	ExtendTime      time.Time // zero: not extended

	AnswerTime   time.Time // zero: not answered on substance
	AnswerOnTime bool
	AnswerResult domain.AnswerResult
	AnswerText   string
	AnswerSigner string
	AnswerOral   bool

	ForwardedTo       string
	ForwardTime       time.Time // zero: not forwarded
	ForwardLate       bool
	ApplicantNotified bool

	ClosingReason string
	LeaveReason   domain.LeaveReason
	CloseTime     time.Time // zero: open

	DueSoonNotified time.Time // zero: not marked
	OverdueNotified time.Time

	Repeated       bool
	PreviousAppeal []uuid.UUID // newest first
	Applicant      int         // synthetic applicant number; 0 for an anonymous appeal

	UpdateTime time.Time
	Version    int64
	History    []Event
}

// Event is an entry of the appeal's history.
type Event struct {
	Time      time.Time
	Actor     string // login, or "system" for the deadline job
	ActorName string
	Action    domain.Action
	State     domain.State
	Note      string
}

// Open reports whether the appeal is still being worked on.
func (a *Appeal) Open() bool {
	switch a.State {
	case domain.StateReceived, domain.StateRegistered, domain.StateAssigned, domain.StateInProgress:
		return true
	}
	return false
}

// ApplicantName is the synthetic applicant's name, e.g. «Житель 00123».
func ApplicantName(n int) string { return "Житель " + pad(n, 5) }

// ApplicantAddress is the synthetic applicant's address: recognisably not a real one.
func ApplicantAddress(n int) string {
	return "г. Хабаровск, демонстрационный адрес № " + pad(n, 5)
}

func pad(n, width int) string {
	s := itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Generate returns the year's appeals in registration order, as they stood at asOf: appeals
// registered after asOf are left out, and what would happen to the others later has not
// happened yet. A year that ended (with its deadlines) before asOf has AppealsPerYear appeals.
func Generate(year int, asOf time.Time) []Appeal {
	g := &generator{
		rng:  rand.New(rand.NewPCG(uint64(year), AppealsPerYear)),
		year: year,
		asOf: asOf,
	}
	g.prepare()
	plans := g.register()
	g.repeat(plans)
	out := make([]Appeal, 0, len(plans))
	for i := range plans {
		a, ok := g.live(&plans[i])
		if ok {
			out = append(out, a)
		}
	}
	return out
}

type generator struct {
	rng  *rand.Rand
	year int
	asOf time.Time

	seasons [12][]float64 // topic weights per month, scaled
	monthly [12]float64   // their sums
}

// plan is an appeal's whole life as it will happen; live cuts it at asOf.
type plan struct {
	Appeal
	topic     int
	outcome   outcome
	assigned  time.Time
	started   time.Time
	closeAt   time.Time // answer, forwarding, return, leaving, ending; zero: never (stays overdue)
	extendAt  time.Time
	extension int
}

type outcome int

const (
	answered outcome = iota
	forwarded
	returned
	leftWithoutAnswer
	correspondenceEnded
	neverAnswered
)

func (g *generator) prepare() {
	for _, t := range topics {
		mean := 0.0
		for _, v := range t.season {
			mean += v
		}
		mean /= 12
		for m := range 12 {
			w := t.weight * t.season[m] / mean
			g.seasons[m] = append(g.seasons[m], w)
			g.monthly[m] += w
		}
	}
}

// dayWeight is how busy a registration day is: weekdays, the New Year holidays and the
// public holidays of the federal calendar.
func dayWeight(d time.Time) float64 {
	switch d.Weekday() {
	case time.Saturday:
		return 0.12
	case time.Sunday:
		return 0.05
	}
	m, day := d.Month(), d.Day()
	switch {
	case m == time.January && day <= 8,
		m == time.February && day == 23, m == time.March && day == 8,
		m == time.May && (day == 1 || day == 9), m == time.June && day == 12, m == time.November && day == 4:
		return 0.08
	}
	return 1
}

// register spreads the year's appeals over its days (largest remainder, so the total is exact)
// and draws each one's registration card.
func (g *generator) register() []plan {
	start := time.Date(g.year, time.January, 1, 0, 0, 0, 0, domain.CityZone)
	end := start.AddDate(1, 0, 0)
	var days []time.Time
	var weights []float64
	total := 0.0
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		w := dayWeight(d) * g.monthly[d.Month()-1]
		days = append(days, d)
		weights = append(weights, w)
		total += w
	}
	counts := make([]int, len(days))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(days))
	assigned := 0
	for i, w := range weights {
		exact := w / total * AppealsPerYear
		counts[i] = int(math.Floor(exact))
		assigned += counts[i]
		rems[i] = rem{i, exact - math.Floor(exact)}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return a.i - b.i
	})
	for k := 0; assigned < AppealsPerYear; k++ {
		counts[rems[k].i]++
		assigned++
	}

	plans := make([]plan, 0, AppealsPerYear)
	for i, d := range days {
		month := d.Month() - 1
		// Registration times within the working day, in order.
		times := make([]time.Time, counts[i])
		for k := range times {
			sec := 9*3600 + g.rng.IntN(9*3600)
			times[k] = d.Add(time.Duration(sec)*time.Second + time.Duration(g.rng.IntN(1_000_000))*time.Microsecond)
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for _, t := range times {
			plans = append(plans, g.card(t, g.pick(g.seasons[month], g.monthly[month])))
		}
	}
	for i := range plans {
		p := &plans[i]
		p.RegistrationNumber = domain.RegistrationNumber(g.year, i+1)
	}
	return plans
}

func (g *generator) pick(weights []float64, total float64) int {
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *generator) pickDistrict() string {
	x := g.rng.Float64() * 100
	for _, d := range districts {
		if x < d.weight {
			return d.code
		}
		x -= d.weight
	}
	return districts[len(districts)-1].code
}

// Channels in 2017: mostly letters and e-mail, then personal reception and the phone line.
var channels = []struct {
	ch     domain.Channel
	weight float64
}{
	{domain.ChannelElectronic, 40}, {domain.ChannelLetter, 33}, {domain.ChannelPersonalReception, 11},
	{domain.ChannelPhone, 8}, {domain.ChannelOutreachMeeting, 4}, {domain.ChannelFeedbackPlatform, 4},
}

func (g *generator) pickChannel() domain.Channel {
	x := g.rng.Float64() * 100
	for _, c := range channels {
		if x < c.weight {
			return c.ch
		}
		x -= c.weight
	}
	return domain.ChannelElectronic
}

// card draws the registration card of an appeal registered at t on topic ti.
func (g *generator) card(t time.Time, ti int) plan {
	tp := topics[ti]
	p := plan{topic: ti}
	a := &p.Appeal
	a.ID = uuidV7(t, g.rng)
	a.RegisterTime = t.UTC()
	a.Channel = g.pickChannel()
	// Letters spend a day or two in the post room; e-mail waits over a weekend; the rest are
	// registered as they come.
	lag := 0
	switch a.Channel {
	case domain.ChannelLetter, domain.ChannelOutreachMeeting:
		lag = g.rng.IntN(3)
	case domain.ChannelElectronic, domain.ChannelFeedbackPlatform:
		lag = g.rng.IntN(2)
	}
	a.ReceiveTime = a.RegisterTime.Add(-time.Duration(lag)*24*time.Hour - time.Duration(g.rng.IntN(3*3600))*time.Second)
	a.Text = tp.texts[g.rng.IntN(len(tp.texts))]
	a.ClassifierCodes = []string{tp.code}
	a.District = g.pickDistrict()
	a.Department = tp.dept
	if a.Department == district {
		a.Department = "KUR-" + a.District
	} else if g.rng.IntN(10) < 3 {
		a.District = "" // a city-wide matter
	}
	// One in twenty raises a second question, usually of the same kind.
	if g.rng.IntN(20) == 0 {
		other := topics[g.pick(g.seasons[t.Month()-1], g.monthly[t.Month()-1])].code
		if other != tp.code {
			a.ClassifierCodes = append(a.ClassifierCodes, other)
		}
	}
	// Now and then a second department executes the appeal with the lead one.
	if g.rng.IntN(100) < 4 {
		switch {
		case strings.HasPrefix(a.Department, "KUR-"):
			a.CoExecutors = []string{"UDVB"}
		case a.District != "":
			a.CoExecutors = []string{"KUR-" + a.District}
		}
	}
	switch r := g.rng.IntN(1000); {
	case r < 30:
		a.Collective, a.Signatories = true, 3+g.rng.IntN(150)
	case r < 55 && a.Channel != domain.ChannelPersonalReception && a.Channel != domain.ChannelPhone:
		a.Anonymous = true
	}
	switch {
	case a.Channel == domain.ChannelPersonalReception || g.rng.IntN(100) < 35:
		a.Addressee = "Мэру города Хабаровска"
	case strings.HasPrefix(a.Department, "KUR-"):
		a.Addressee = "Председателю комитета по управлению районом"
	default:
		a.Addressee = "В администрацию города Хабаровска"
	}
	reg := domain.DateOf(a.RegisterTime)
	if a.Channel == domain.ChannelPersonalReception {
		a.ReceptionCard = &domain.ReceptionCard{
			Official: receptionOfficials[g.rng.IntN(len(receptionOfficials))],
			Date:     domain.DateOf(a.ReceiveTime),
			Summary:  a.Text,
		}
	}
	a.RegisterDueDate = domain.DateOf(a.ReceiveTime).AddDays(domain.RegisterWithinDays)
	a.ForwardDueDate = reg.AddDays(7)
	a.AnswerDueDate = reg.AddDays(domain.AnswerWithinDays)
	a.Executor = clerkOf(a.Department)
	return p
}

// repeat makes about 15% of the appeals repeated: the same (synthetic) applicant asking the
// same question again within 12 months, linked to the earlier appeals. Everyone else is a new
// applicant.
func (g *generator) repeat(plans []plan) {
	next := 0
	for i := range plans {
		p := &plans[i]
		if p.Anonymous {
			continue
		}
		if i >= 200 && g.rng.IntN(1000) < 166 {
			// An earlier appeal of the last four months, not anonymous.
			lo := max(0, i-AppealsPerYear/3)
			for range 8 {
				j := lo + g.rng.IntN(i-lo)
				e := &plans[j]
				if e.Anonymous || e.ClassifierCodes[0] != p.ClassifierCodes[0] && g.rng.IntN(4) > 0 {
					continue
				}
				p.Repeated = true
				p.Applicant = e.Applicant
				p.ClassifierCodes = slices.Clone(e.ClassifierCodes)
				p.topic = e.topic
				p.Text = "Повторно: " + topics[e.topic].texts[g.rng.IntN(len(topics[e.topic].texts))]
				p.District, p.Department, p.Executor, p.CoExecutors = e.District, e.Department, e.Executor, e.CoExecutors
				p.PreviousAppeal = append([]uuid.UUID{e.ID}, e.PreviousAppeal...)
				break
			}
			if p.Repeated {
				continue
			}
		}
		next++
		p.Applicant = next
	}
	for i := range plans {
		g.fate(&plans[i])
	}
}

// fate decides how the appeal ends and when.
func (g *generator) fate(p *plan) {
	tp := topics[p.topic]
	reg := p.RegisterTime
	p.assigned = workTime(reg.Add(time.Duration(2+g.rng.IntN(20))*time.Hour), g.rng)
	p.started = workTime(p.assigned.Add(time.Duration(1+g.rng.IntN(30))*time.Hour), g.rng)
	r := g.rng.Float64()
	switch {
	case p.Anonymous && r < 0.85:
		p.outcome = leftWithoutAnswer
		p.LeaveReason = domain.LeaveReasonAnonymous
	case p.Anonymous:
		p.outcome = forwarded
		p.ForwardedTo = bodyTrafficPolice
	case r < tp.forward:
		p.outcome = forwarded
		p.ForwardedTo = tp.body
	case r < tp.forward+0.010:
		p.outcome = leftWithoutAnswer
		p.LeaveReason = []domain.LeaveReason{domain.LeaveReasonObscene, domain.LeaveReasonUnreadable, domain.LeaveReasonNoSubstance, domain.LeaveReasonCourtDecision}[g.rng.IntN(4)]
	case r < tp.forward+0.014:
		p.outcome = returned
	case r < tp.forward+0.018:
		p.outcome = neverAnswered
	case p.Repeated && r < tp.forward+0.068:
		p.outcome = correspondenceEnded
	default:
		p.outcome = answered
	}
	due := p.AnswerDueDate
	switch p.outcome {
	case forwarded:
		days := 1 + g.rng.IntN(6)
		if g.rng.IntN(20) == 0 {
			days = 8 + g.rng.IntN(4) // late
		}
		p.closeAt = workTime(reg.AddDate(0, 0, days), g.rng)
		p.ForwardLate = domain.DateOf(p.closeAt).Time().After(p.ForwardDueDate.Time())
		p.ApplicantNotified = !p.Anonymous
	case leftWithoutAnswer, returned:
		p.closeAt = workTime(reg.AddDate(0, 0, 1+g.rng.IntN(6)), g.rng)
	case correspondenceEnded:
		p.closeAt = workTime(reg.AddDate(0, 0, 3+g.rng.IntN(18)), g.rng)
	case answered:
		var days int
		switch x := g.rng.Float64(); {
		case p.Channel == domain.ChannelPersonalReception && x < 0.35:
			days = 0 // answered orally at the reception, as the applicant agreed
			p.AnswerOral = true
			card := *p.ReceptionCard
			card.OralAnswerConsented = true
			p.ReceptionCard = &card
		case x < 0.15:
			days = 1 + g.rng.IntN(7)
		case x < 0.83:
			days = 8 + (g.rng.IntN(20)+g.rng.IntN(20))/2 // 8-27, most around 17
		case x < 0.95:
			days = 27 + g.rng.IntN(4) // up to the deadline
		default:
			days = 31 + g.rng.IntN(15) // late
		}
		if days >= 25 && g.rng.IntN(100) < 22 {
			// The head extended the deadline (once, up to 30 days) before it ran out.
			p.extension = []int{10, 14, 20, 30}[g.rng.IntN(4)]
			p.extendAt = workTime(reg.AddDate(0, 0, 20+g.rng.IntN(8)), g.rng)
			p.ExtensionReason = extensionReasons[g.rng.IntN(len(extensionReasons))]
			p.ExtendedBy = headOf(p.Department)
			due = due.AddDays(p.extension)
			if days < 31 || g.rng.IntN(3) > 0 {
				days = 30 + g.rng.IntN(p.extension+1)
				if g.rng.IntN(12) == 0 {
					days += 2 + g.rng.IntN(5) // even the extended deadline missed
				}
			}
		}
		if p.AnswerOral {
			// Assigned to the official at the reception, answered there.
			p.assigned = reg.Add(time.Duration(1+g.rng.IntN(3)) * time.Minute)
			p.started = p.assigned.Add(time.Minute)
			p.closeAt = reg.Add(time.Duration(10+g.rng.IntN(50)) * time.Minute)
		} else {
			p.closeAt = workTime(reg.AddDate(0, 0, days), g.rng)
		}
		if !p.closeAt.After(p.started) { // the executor answers once she has it
			p.closeAt = p.started.Add(time.Duration(10+g.rng.IntN(110)) * time.Minute)
		}
		p.AnswerOnTime = !domain.DateOf(p.closeAt).Time().After(due.Time())
		switch x := g.rng.IntN(100); {
		case x < 34:
			p.AnswerResult = domain.AnswerResultSupported
		case x < 88:
			p.AnswerResult = domain.AnswerResultExplained
		default:
			p.AnswerResult = domain.AnswerResultNotSupported
		}
		p.AnswerText = answerTexts[p.AnswerResult]
		p.AnswerSigner = signerOf(p.Department)
	}
}

// workTime moves t into working hours (9:00-18:00, Monday to Friday, city time).
func workTime(t time.Time, rng *rand.Rand) time.Time {
	c := t.In(domain.CityZone)
	if c.Hour() >= 18 {
		c = time.Date(c.Year(), c.Month(), c.Day()+1, 9, rng.IntN(60), 0, 0, domain.CityZone)
	} else if c.Hour() < 9 {
		c = time.Date(c.Year(), c.Month(), c.Day(), 9, rng.IntN(60), 0, 0, domain.CityZone)
	}
	for c.Weekday() == time.Saturday || c.Weekday() == time.Sunday {
		c = c.AddDate(0, 0, 1)
	}
	return c.UTC().Truncate(time.Second).Add(time.Duration(rng.IntN(1_000_000)) * time.Microsecond)
}

// live is the appeal as it stood at asOf, or false when it was not yet registered.
func (g *generator) live(p *plan) (Appeal, bool) {
	if p.RegisterTime.After(g.asOf) {
		return Appeal{}, false
	}
	a := p.Appeal
	a.ForwardedTo, a.ForwardLate, a.ApplicantNotified = "", false, false
	a.AnswerOnTime, a.AnswerResult, a.AnswerText, a.AnswerSigner, a.AnswerOral = false, 0, "", "", false
	a.LeaveReason, a.ExtensionReason, a.ExtendedBy = 0, "", ""
	a.State = domain.StateRegistered
	a.Version = 1
	registrar := clerkOf("OOG")
	if strings.HasPrefix(a.Department, "KUR-") {
		registrar = clerkOf(a.Department)
	}
	a.History = []Event{{a.RegisterTime, registrar, actorName(registrar), domain.ActionRegistered, domain.StateRegistered, ""}}
	a.UpdateTime = a.RegisterTime
	happen := func(t time.Time, actor string, action domain.Action, s domain.State, note string) bool {
		if t.After(g.asOf) {
			return false
		}
		a.State = s
		a.Version++
		a.UpdateTime = t
		a.History = append(a.History, Event{t, actor, actorName(actor), action, s, note})
		return true
	}
	closeAt := p.closeAt
	if closeAt.IsZero() {
		closeAt = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if p.assigned.Before(closeAt) {
		if !happen(p.assigned, registrar, domain.ActionAssigned, domain.StateAssigned, "") {
			return a, true
		}
	}
	if p.started.Before(closeAt) {
		if !happen(p.started, a.Executor, domain.ActionStarted, domain.StateInProgress, "") {
			return a, true
		}
	}
	due := a.AnswerDueDate
	if !p.extendAt.IsZero() && p.extendAt.Before(closeAt) {
		if !happen(p.extendAt, p.ExtendedBy, domain.ActionExtended, a.State, p.ExtensionReason) {
			return a, true
		}
		a.ExtensionDays, a.ExtensionReason, a.ExtendedBy, a.ExtendTime = p.extension, p.ExtensionReason, p.ExtendedBy, p.extendAt
		due = due.AddDays(p.extension)
		a.AnswerDueDate = due
	}
	// The deadline job: due soon 5 days before the (extended) deadline, overdue the day after.
	if soon := morning(due.AddDays(-5)); soon.Before(closeAt) && soon.After(a.RegisterTime) {
		if !happen(soon, "system", domain.ActionDueSoon, a.State, "") {
			return a, true
		}
		a.DueSoonNotified = soon
	}
	if late := morning(due.AddDays(1)); late.Before(closeAt) {
		if !happen(late, "system", domain.ActionOverdue, a.State, "") {
			return a, true
		}
		a.OverdueNotified = late
	}
	if p.closeAt.IsZero() || p.closeAt.After(g.asOf) {
		return a, true
	}
	t := p.closeAt
	switch p.outcome {
	case answered:
		happen(t, a.Executor, domain.ActionAnswered, domain.StateAnswered, "")
		a.AnswerTime, a.AnswerOnTime, a.AnswerResult, a.AnswerText, a.AnswerSigner, a.AnswerOral =
			t, p.AnswerOnTime, p.AnswerResult, p.AnswerText, p.AnswerSigner, p.AnswerOral
	case forwarded:
		happen(t, a.Executor, domain.ActionForwarded, domain.StateForwarded, p.ForwardedTo)
		a.ForwardedTo, a.ForwardTime, a.ForwardLate, a.ApplicantNotified = p.ForwardedTo, t, p.ForwardLate, p.ApplicantNotified
	case returned:
		a.ClosingReason = "Заявитель отозвал обращение"
		happen(t, a.Executor, domain.ActionReturned, domain.StateReturned, a.ClosingReason)
	case leftWithoutAnswer:
		a.LeaveReason = p.LeaveReason
		a.ClosingReason = closingReasons[p.LeaveReason]
		happen(t, a.Executor, domain.ActionLeftWithoutAnswer, domain.StateLeftWithoutAnswer, a.ClosingReason)
	case correspondenceEnded:
		a.ClosingReason = "Повторное обращение без новых доводов; переписка прекращена, заявитель уведомлён"
		happen(t, headOf(a.Department), domain.ActionCorrespondenceEnded, domain.StateCorrespondenceEnded, a.ClosingReason)
	}
	a.CloseTime = t
	return a, true
}

// morning is 09:00 city time of d, when the deadline job marks the day's appeals.
func morning(d domain.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, domain.CityZone).UTC()
}

// uuidV7 is a version 7 UUID for time t whose random bits come from rng, so that ids are
// time-ordered like the workflow's and the same on every run.
func uuidV7(t time.Time, rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	r1, r2 := rng.Uint64(), rng.Uint64()
	for i := 6; i < 16; i++ {
		if i < 14 {
			u[i] = byte(r1 >> (8 * (i - 6)))
		} else {
			u[i] = byte(r2 >> (8 * (i - 14)))
		}
	}
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u
}
