package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

var allStates = []State{StateReceived, StateRegistered, StateAssigned, StateInProgress, StateAnswered,
	StateForwarded, StateReturned, StateLeftWithoutAnswer, StateCorrespondenceEnded}

// The allowed transitions, written out state by state (R=registered, A=assigned, P=in progress,
// closed: answered, forwarded, returned, left without answer, correspondence ended).
var wantAllowed = map[Action]string{
	//                           rcv reg asg prg ans fwd ret lwa end
	ActionUpdated:             " .   x   x   x   .   .   .   .   . ",
	ActionAssigned:            " .   x   x   x   .   .   .   .   . ",
	ActionStarted:             " .   .   x   .   .   .   .   .   . ",
	ActionForwarded:           " .   x   x   x   .   .   .   .   . ",
	ActionExtended:            " .   x   x   x   .   .   .   .   . ",
	ActionAnswered:            " .   .   x   x   .   .   .   .   . ",
	ActionReturned:            " .   x   x   x   .   .   .   .   . ",
	ActionLeftWithoutAnswer:   " .   x   x   x   .   .   .   .   . ",
	ActionCorrespondenceEnded: " .   x   x   x   .   .   .   .   . ",
	ActionReopened:            " .   .   .   .   x   .   x   x   x ",
	ActionMarkedDuplicate:     " x   x   x   x   x   x   x   x   x ",
}

func TestTransitionTable(t *testing.T) {
	for act, row := range wantAllowed {
		marks := strings.Fields(row)
		if len(marks) != len(allStates) {
			t.Fatalf("%s: %d marks", act, len(marks))
		}
		for i, s := range allStates {
			err := Allowed(act, s)
			if want := marks[i] == "x"; (err == nil) != want {
				t.Errorf("%s from %s: allowed=%v, want %v (%v)", act, s, err == nil, want, err)
			}
			var re *RuleError
			if err != nil && (!errors.As(err, &re) || re.Reason == "") {
				t.Errorf("%s from %s: %v is not a named rule", act, s, err)
			}
		}
	}
	if len(wantAllowed) != len(Transitions) {
		t.Fatalf("the table tests %d actions, the machine has %d", len(wantAllowed), len(Transitions))
	}
}

func TestRefusalsNameTheRule(t *testing.T) {
	for _, c := range []struct {
		act    Action
		from   State
		reason string
	}{
		{ActionAnswered, StateRegistered, "NOT_ASSIGNED"},
		{ActionStarted, StateRegistered, "NOT_ASSIGNED"},
		{ActionExtended, StateAnswered, "APPEAL_CLOSED"},
		{ActionReopened, StateInProgress, "NOT_CLOSED"},
		{ActionReopened, StateForwarded, "FORWARDED_NOT_REOPENABLE"},
	} {
		if got := reason(Allowed(c.act, c.from)); got != c.reason {
			t.Errorf("%s from %s: %s, want %s", c.act, c.from, got, c.reason)
		}
	}
}

func reason(err error) string {
	var re *RuleError
	if errors.As(err, &re) {
		return re.Reason
	}
	if err != nil {
		return "unnamed: " + err.Error()
	}
	return ""
}

// registered is an appeal registered on 2 March 2026 (city time): answer due 1 April,
// forward due 9 March.
func registered(t *testing.T) (Appeal, time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	a := Register(uuid.New(), Registration{Channel: ChannelLetter, Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"},
		Applicant: &Applicant{FullName: "Иванов И. И.", PostalAddress: "Хабаровск"}}, now, 1, nil)
	if a.Anonymous || a.AnswerDueDate != (Date{2026, time.April, 1}) || a.ForwardDueDate != (Date{2026, time.March, 9}) {
		t.Fatalf("registered: %+v", a)
	}
	return a, now
}

// ok(t)(step) is the appeal after a step that must succeed.
func ok(t *testing.T) func(Step, error) Appeal {
	return func(st Step, err error) Appeal {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return st.Appeal
	}
}

func TestTheLawsMainPath(t *testing.T) {
	a, now := registered(t)
	a = ok(t)(a.Assign(Assignment{CoExecutors: []string{"UDVB"}, Executor: "clerk.zhd"}, now))
	if a.State != StateAssigned || a.Executor != "clerk.zhd" || a.CoExecutors[0] != "UDVB" {
		t.Fatalf("assigned: %+v", a)
	}
	a = ok(t)(a.Start(now))
	st, err := a.AnswerIt(AnswerWith{Text: "Перерасчёт сделан", Result: AnswerResultSupported, Signer: "Попов Д. С."}, now.AddDate(0, 0, 30))
	a = ok(t)(st, err)
	if a.State != StateAnswered || !a.Answer.OnTime || a.CloseTime.IsZero() || st.Action != ActionAnswered {
		t.Fatalf("answered on the last day: %+v", a)
	}
}

func TestAnswerAfterTheDeadlineIsLate(t *testing.T) {
	a, now := registered(t)
	a = ok(t)(a.Assign(Assignment{}, now))
	late := time.Date(2026, 4, 1, 14, 30, 0, 0, time.UTC) // 2 April 00:30 in Khabarovsk
	a = ok(t)(a.AnswerIt(AnswerWith{Text: "x", Result: AnswerResultExplained, Signer: "y"}, late))
	if a.Answer.OnTime {
		t.Fatal("an answer on 2 April for 1 April counted on time")
	}
}

func TestExtension(t *testing.T) {
	a, now := registered(t)
	if _, err := a.Extend(31, "долго", "head", now); reason(err) != "EXTENSION_TOO_LONG" {
		t.Fatalf("31 days: %v", err)
	}
	if _, err := a.Extend(10, " ", "head", now); reason(err) != "EXTENSION_REASON_REQUIRED" {
		t.Fatalf("no reason: %v", err)
	}
	a.DueSoonNotified = now
	b := ok(t)(a.Extend(30, "запрос в краевое министерство", "head.zhd", now))
	if b.AnswerDueDate != (Date{2026, time.May, 1}) || b.Extension.Days != 30 || !b.DueSoonNotified.IsZero() {
		t.Fatalf("extended: %+v", b)
	}
	if _, err := b.Extend(1, "ещё", "head.zhd", now); reason(err) != "EXTENSION_ALREADY_USED" {
		t.Fatalf("second extension: %v", err)
	}
	// Answered on 20 April: on time against the extended deadline.
	b = ok(t)(b.Assign(Assignment{}, now))
	b = ok(t)(b.AnswerIt(AnswerWith{Text: "x", Result: AnswerResultSupported, Signer: "y"}, time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)))
	if !b.Answer.OnTime {
		t.Fatal("on time against the extended deadline")
	}
	if _, err := a.Extend(5, "поздно", "head", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)); reason(err) != "DEADLINE_PASSED" {
		t.Fatalf("after the deadline: %v", err)
	}
}

func TestForwarding(t *testing.T) {
	a, now := registered(t)
	if _, err := a.Forward(ForwardTo{Body: "Министерство ЖКХ Хабаровского края", ComplaintAgainst: "министерство  ЖКХ хабаровского края.", ApplicantNotified: true}, now); reason(err) != "COMPLAINT_TO_ACCUSED_BODY" {
		t.Fatalf("complaint to the accused body: %v", err)
	}
	if _, err := a.Forward(ForwardTo{Body: "Прокуратура"}, now); reason(err) != "APPLICANT_NOT_NOTIFIED" {
		t.Fatalf("without notice: %v", err)
	}
	b := ok(t)(a.Forward(ForwardTo{Body: "Прокуратура города Хабаровска", ComplaintAgainst: "Управление дорог", ApplicantNotified: true}, now))
	if b.State != StateForwarded || b.Forwarding.Late || b.Forwarding.Body == "" {
		t.Fatalf("forwarded: %+v", b.Forwarding)
	}
	late := ok(t)(a.Forward(ForwardTo{Body: "Прокуратура", ApplicantNotified: true}, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)))
	if !late.Forwarding.Late {
		t.Fatal("forwarded on 10 March for 9 March is not flagged late")
	}
	anon := a
	anon.Anonymous = true
	ok(t)(anon.Forward(ForwardTo{Body: "УМВД по г. Хабаровску"}, now)) // a crime report: no one to notify
}

func TestAnonymousAndOralAnswers(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, p := range []*Applicant{nil, {FullName: "Иванов"}, {PostalAddress: "Хабаровск"}, {FullName: "Иванов", Email: "i@example.ru"}} {
		a := Register(uuid.New(), Registration{Channel: ChannelLetter, Text: "x", Anonymous: p == nil, Applicant: p}, now, 1, nil)
		if !a.Anonymous {
			t.Fatalf("applicant %+v by letter is not anonymous", p)
		}
		a = ok(t)(a.Assign(Assignment{}, now))
		if _, err := a.AnswerIt(AnswerWith{Text: "x", Result: AnswerResultSupported, Signer: "y"}, now); reason(err) != "ANSWER_TO_ANONYMOUS" {
			t.Fatalf("answer to anonymous: %v", err)
		}
		ok(t)(a.Leave(LeaveReasonAnonymous, "", now))
	}
	// By e-mail, an e-mail address is where the answer goes.
	e := Register(uuid.New(), Registration{Channel: ChannelElectronic, Text: "x", Applicant: &Applicant{FullName: "Иванов", Email: "i@example.ru"}}, now, 1, nil)
	if e.Anonymous {
		t.Fatal("an electronic appeal with a name and an e-mail address is anonymous")
	}
	if _, err := e.Leave(LeaveReasonAnonymous, "", now); reason(err) != "NOT_ANONYMOUS" {
		t.Fatalf("leave a named appeal as anonymous: %v", err)
	}

	r := Register(uuid.New(), Registration{Channel: ChannelPersonalReception, Text: "x", ReceptionCard: &ReceptionCard{Official: "Мэр"},
		Applicant: &Applicant{FullName: "Иванов", PostalAddress: "Хабаровск"}}, now, 1, nil)
	r = ok(t)(r.Assign(Assignment{}, now))
	oral := AnswerWith{Text: "Разъяснено на приёме", Result: AnswerResultExplained, Signer: "Мэр", Oral: true}
	if _, err := r.AnswerIt(oral, now); reason(err) != "ORAL_ANSWER_WITHOUT_CONSENT" {
		t.Fatalf("oral without consent: %v", err)
	}
	r.ReceptionCard.OralAnswerConsented = true
	if a := ok(t)(r.AnswerIt(oral, now)); !a.Answer.Oral {
		t.Fatal("oral answer not recorded")
	}
}

func TestClosingAndReopening(t *testing.T) {
	a, now := registered(t)
	for _, r := range []LeaveReason{LeaveReasonObscene, LeaveReasonUnreadable, LeaveReasonCourtDecision, LeaveReasonProtectedSecret, LeaveReasonNoSubstance} {
		b := ok(t)(a.Leave(r, "комментарий", now))
		if b.State != StateLeftWithoutAnswer || b.LeaveReason != r || b.CloseTime.IsZero() {
			t.Fatalf("left (%d): %+v", r, b)
		}
	}
	if _, err := a.Leave(LeaveReasonUnspecified, "", now); reason(err) != "LEAVE_REASON_REQUIRED" {
		t.Fatalf("no reason: %v", err)
	}
	ret := ok(t)(a.Return("отозвано заявителем", now))
	if ret.State != StateReturned || ret.ClosingReason == "" {
		t.Fatalf("returned: %+v", ret)
	}
	later := now.AddDate(0, 2, 0)
	re := ok(t)(ret.Reopen("повторное рассмотрение по протесту прокурора", later))
	if re.State != StateInProgress || !re.CloseTime.IsZero() || re.ClosingReason != "" || re.AnswerDueDate != DateOf(later).AddDays(30) {
		t.Fatalf("reopened: %+v", re)
	}
	if _, err := re.Reopen("ещё", later); reason(err) != "NOT_CLOSED" {
		t.Fatalf("reopen an open appeal: %v", err)
	}
}

func TestEndCorrespondence(t *testing.T) {
	a, now := registered(t)
	if _, err := a.EndCorrespondence("нет новых доводов", true, now); reason(err) != "NOT_REPEATED" {
		t.Fatalf("not repeated: %v", err)
	}
	a.Repeated, a.PreviousAppeals = true, []uuid.UUID{uuid.New()}
	if _, err := a.EndCorrespondence("нет новых доводов", false, now); reason(err) != "NO_PREVIOUS_ANSWER" {
		t.Fatalf("no previous answer: %v", err)
	}
	if b := ok(t)(a.EndCorrespondence("нет новых доводов", true, now)); b.State != StateCorrespondenceEnded {
		t.Fatalf("ended: %v", b.State)
	}
}

func TestMarkDuplicate(t *testing.T) {
	a, now := registered(t)
	other := uuid.New()
	if _, err := a.MarkDuplicate(a.ID, uuid.Nil, now); reason(err) != "DUPLICATE_OF_ITSELF" {
		t.Fatalf("itself: %v", err)
	}
	if _, err := a.MarkDuplicate(other, a.ID, now); reason(err) != "DUPLICATE_CYCLE" {
		t.Fatalf("cycle: %v", err)
	}
	if b := ok(t)(a.MarkDuplicate(other, uuid.Nil, now)); b.DuplicateOf != other || b.State != a.State {
		t.Fatalf("duplicate: %+v", b)
	}
}

func TestAssignRefusesTheLeadAsCoExecutor(t *testing.T) {
	a, now := registered(t)
	a.Department = "KUR-ZHD"
	if _, err := a.Assign(Assignment{CoExecutors: []string{"KUR-ZHD"}}, now); reason(err) != "CO_EXECUTOR_IS_LEAD" {
		t.Fatalf("lead as co-executor: %v", err)
	}
}

func TestCorrect(t *testing.T) {
	a, now := registered(t)
	st, vs, err := a.Correct(Correction{Fields: []string{"text", "signatories"}, Text: "исправленный текст", Signatories: 3}, now)
	if err != nil || len(vs) != 1 || vs[0].Field != "signatories" {
		t.Fatalf("signatories of a single appeal: %v %v", vs, err)
	}
	st, vs, err = a.Correct(Correction{Fields: []string{"text", "addressee"}, Text: "исправленный текст", Addressee: "Мэру"}, now)
	if err != nil || len(vs) > 0 || st.Appeal.Text != "исправленный текст" || st.Appeal.Addressee != "Мэру" || st.Appeal.Channel != a.Channel {
		t.Fatalf("corrected: %+v %v %v", st.Appeal, vs, err)
	}
	closed := ok(t)(a.Return("r", now))
	if _, _, err := closed.Correct(Correction{Fields: []string{"text"}, Text: "y"}, now); reason(err) != "APPEAL_CLOSED" {
		t.Fatalf("correct a closed appeal: %v", err)
	}
}
