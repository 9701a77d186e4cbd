package appeals_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func answerReq(a *appealsv1.Appeal) *appealsv1.AnswerAppealRequest {
	return &appealsv1.AnswerAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Text: "Перерасчёт платы за январь произведён",
		Result: appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED, Signer: "Попов Дмитрий Сергеевич"}
}

// assignAndStart takes a registered appeal to in progress as clerk.zhd.
func (h *harness) assignAndStart(t *testing.T, a *appealsv1.Appeal) *appealsv1.Appeal {
	t.Helper()
	ctx := h.as(t, "clerk.zhd")
	a = must[*appealsv1.Appeal](t)(h.client.AssignAppeal(ctx, &appealsv1.AssignAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Executor: "clerk.zhd"}))
	return must[*appealsv1.Appeal](t)(h.client.StartAppeal(ctx, &appealsv1.StartAppealRequest{Name: a.GetName(), Etag: a.GetEtag()}))
}

func TestRegisterAssignStartAnswer(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
		r.Appeal.Source = "meetings/5f0c2d36-0b5e-4a8e-9c61-1f2d3e4f5a6b/questions/1"
		r.Appeal.Addressee = "Мэру города Хабаровска"
	})
	if a.GetEtag() != "1" || a.GetDeadlineState() != appealsv1.DeadlineState_DEADLINE_STATE_ON_TIME || a.GetAnonymous() ||
		a.GetForwardDueDate() == nil || a.GetAddressee() != "Мэру города Хабаровска" {
		t.Fatalf("registered: %v", a)
	}

	a = must[*appealsv1.Appeal](t)(h.client.AssignAppeal(ctx, &appealsv1.AssignAppealRequest{
		Name: a.GetName(), Etag: a.GetEtag(), CoExecutors: []string{"UDVB"}, Executor: "clerk.zhd"}))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_ASSIGNED || a.GetExecutor() != "clerk.zhd" ||
		!slices.Equal(a.GetCoExecutors(), []string{"UDVB"}) || a.GetEtag() != "2" {
		t.Fatalf("assigned: %v", a)
	}
	// Answering before work starts is allowed from assigned; starting first is the usual path.
	a = must[*appealsv1.Appeal](t)(h.client.StartAppeal(ctx, &appealsv1.StartAppealRequest{Name: a.GetName(), Etag: a.GetEtag()}))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS {
		t.Fatalf("started: %v", a.GetState())
	}
	a = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(ctx, answerReq(a)))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_ANSWERED || !a.GetAnswer().GetOnTime() ||
		a.GetAnswer().GetSigner() != "Попов Дмитрий Сергеевич" || a.GetDeadlineState() != appealsv1.DeadlineState_DEADLINE_STATE_CLOSED {
		t.Fatalf("answered: %v", a)
	}
	if got := h.get(t, a); got.GetEtag() != a.GetEtag() || got.GetAnswer().GetText() != a.GetAnswer().GetText() {
		t.Fatalf("stored %v, returned %v", got, a)
	}

	want := []string{"registered", "assigned", "started", "answered"}
	if got := h.history(t, "clerk.zhd", a); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	entries := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(ctx, &appealsv1.ListAppealHistoryRequest{Parent: a.GetName()}))
	for i, e := range entries.GetEntries() {
		if e.GetActor() != "clerk.zhd" || e.GetActorName() != "Иванова Мария Петровна" {
			t.Errorf("entry %d by %q %q", i, e.GetActor(), e.GetActorName())
		}
		if i > 0 && e.GetTime().AsTime().Before(entries.GetEntries()[i-1].GetTime().AsTime()) {
			t.Errorf("entry %d is older than the one before", i)
		}
	}
	if last := entries.GetEntries()[3]; last.GetState() != appealsv1.AppealState_APPEAL_STATE_ANSWERED {
		t.Errorf("the answer entry's state: %v", last.GetState())
	}
	// History pages.
	page := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(ctx, &appealsv1.ListAppealHistoryRequest{Parent: a.GetName(), PageSize: 3}))
	next := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(ctx, &appealsv1.ListAppealHistoryRequest{Parent: a.GetName(), PageSize: 3, PageToken: page.GetNextPageToken()}))
	if len(page.GetEntries()) != 3 || len(next.GetEntries()) != 1 || next.GetEntries()[0].GetAction() != "answered" || next.GetNextPageToken() != "" {
		t.Fatalf("history pages: %d + %d", len(page.GetEntries()), len(next.GetEntries()))
	}

	if n := h.eventsOf(t, "appeal_state_changed", a.GetName()); n != 3 {
		t.Errorf("%d AppealStateChanged, want 3", n)
	}
	for _, e := range h.events(t) {
		if strings.HasSuffix(e.Subject, "appeal_answered") {
			ans := decode(t, e.Data, &appealsv1.AppealAnswered{})
			if ans.GetAppeal() != a.GetName() || !ans.GetOnTime() || ans.GetSource() != a.GetSource() ||
				ans.GetResult() != appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED {
				t.Errorf("AppealAnswered %v", ans)
			}
		}
	}
	if n := h.eventsOf(t, "appeal_answered", a.GetName()); n != 1 {
		t.Errorf("%d AppealAnswered, want 1", n)
	}
}

func TestStaleEtagIsAborted(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	assigned := must[*appealsv1.Appeal](t)(h.client.AssignAppeal(ctx, &appealsv1.AssignAppealRequest{Name: a.GetName(), Etag: a.GetEtag()}))

	_, err := h.client.StartAppeal(ctx, &appealsv1.StartAppealRequest{Name: a.GetName(), Etag: a.GetEtag()})
	expect(t, err, codes.Aborted, "ETAG_MISMATCH")
	_, err = h.client.UpdateAppeal(ctx, &appealsv1.UpdateAppealRequest{Appeal: &appealsv1.Appeal{Name: a.GetName(), Etag: a.GetEtag(), Text: "новый текст"}})
	expect(t, err, codes.Aborted, "ETAG_MISMATCH")
	_, err = h.client.UpdateAppeal(ctx, &appealsv1.UpdateAppealRequest{Appeal: &appealsv1.Appeal{Name: a.GetName(), Text: "новый текст"}})
	testkit.ExpectViolation(t, err, "appeal.etag")
	_, err = h.client.StartAppeal(ctx, &appealsv1.StartAppealRequest{Name: a.GetName()})
	testkit.ExpectViolation(t, err, "etag")

	// Two clerks act on the same version at once: one wins, the other is told to reread.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = h.client.StartAppeal(ctx, &appealsv1.StartAppealRequest{Name: a.GetName(), Etag: assigned.GetEtag()})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			expect(t, err, codes.Aborted, "ETAG_MISMATCH")
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 4 concurrent starts succeeded", ok)
	}
	if got := h.history(t, "clerk.zhd", a); !slices.Equal(got, []string{"registered", "assigned", "started"}) {
		t.Fatalf("history %v", got)
	}
}

func TestExtensionByTheHeadOnceAtMostThirtyDays(t *testing.T) {
	t.Parallel()
	h := start(t)
	a := h.register(t, "clerk.zhd", nil)
	extend := func(login string, a *appealsv1.Appeal, days int32) (*appealsv1.Appeal, error) {
		return h.client.ExtendAppeal(h.as(t, login), &appealsv1.ExtendAppealRequest{Name: a.GetName(), Etag: a.GetEtag(),
			Days: days, Reason: "запрошены материалы в краевом министерстве ЖКХ"})
	}
	_, err := extend("clerk.zhd", a, 10)
	expect(t, err, codes.PermissionDenied, "NOT_A_HEAD")
	_, err = extend("admin", a, 10)
	expect(t, err, codes.PermissionDenied, "NOT_A_HEAD")
	_, err = extend("head.zhd", a, 31)
	testkit.ExpectViolation(t, err, "days")
	_, err = h.client.ExtendAppeal(h.as(t, "head.zhd"), &appealsv1.ExtendAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Days: 5})
	testkit.ExpectViolation(t, err, "reason")

	b := must[*appealsv1.Appeal](t)(extend("head.zhd", a, 30))
	due, was := b.GetAnswerDueDate(), a.GetAnswerDueDate()
	if got, want := civil(due), civil(was).AddDate(0, 0, 30); !got.Equal(want) {
		t.Fatalf("answer due %v, want %v", got, want)
	}
	if e := b.GetExtension(); e.GetDays() != 30 || e.GetExtendedBy() != "head.zhd" || e.GetReason() == "" || e.GetExtendTime() == nil {
		t.Fatalf("extension %v", e)
	}
	_, err = extend("head.zhd", b, 1)
	expect(t, err, codes.FailedPrecondition, "EXTENSION_ALREADY_USED")

	// Answered within the extended deadline: on time.
	b = h.assignAndStart(t, b)
	h.clock.Advance(45 * oneDay)
	b = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(h.as(t, "clerk.zhd"), answerReq(b)))
	if !b.GetAnswer().GetOnTime() {
		t.Fatal("answered on day 45 of an extended deadline: not on time")
	}
	if got := h.history(t, "head.zhd", b); !slices.Contains(got, "extended") {
		t.Fatalf("history %v", got)
	}
}

func TestForwardToTheCompetentBody(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	fwd := func(a *appealsv1.Appeal, body, against string, notified bool) (*appealsv1.Appeal, error) {
		return h.client.ForwardAppeal(ctx, &appealsv1.ForwardAppealRequest{Name: a.GetName(), Etag: a.GetEtag(),
			Body: body, ComplaintAgainst: against, ApplicantNotified: notified})
	}
	_, err := fwd(a, "Министерство ЖКХ Хабаровского края", "министерство ЖКХ Хабаровского края", true)
	expect(t, err, codes.FailedPrecondition, "COMPLAINT_TO_ACCUSED_BODY")
	_, err = fwd(a, "Государственная жилищная инспекция края", "", false)
	expect(t, err, codes.FailedPrecondition, "APPLICANT_NOT_NOTIFIED")
	b := must[*appealsv1.Appeal](t)(fwd(a, "Государственная жилищная инспекция края", "Министерство ЖКХ Хабаровского края", true))
	if b.GetState() != appealsv1.AppealState_APPEAL_STATE_FORWARDED || b.GetForwarding().GetLate() ||
		!b.GetForwarding().GetApplicantNotified() || b.GetForwarding().GetBody() != "Государственная жилищная инспекция края" {
		t.Fatalf("forwarded: %v", b)
	}
	_, err = h.client.ReopenAppeal(ctx, &appealsv1.ReopenAppealRequest{Name: b.GetName(), Etag: b.GetEtag(), Reason: "ошибка"})
	expect(t, err, codes.FailedPrecondition, "FORWARDED_NOT_REOPENABLE")

	// Forwarding after the 7 days is still done, and recorded as late.
	c := h.register(t, "clerk.zhd", nil)
	h.clock.Advance(8 * oneDay)
	c = must[*appealsv1.Appeal](t)(fwd(c, "Прокуратура города Хабаровска", "", true))
	if !c.GetForwarding().GetLate() {
		t.Fatal("forwarded on day 8: not flagged late")
	}
	entries := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(ctx, &appealsv1.ListAppealHistoryRequest{Parent: c.GetName()}))
	if last := entries.GetEntries()[len(entries.GetEntries())-1]; last.GetAction() != "forwarded" || !strings.Contains(last.GetNote(), "late") {
		t.Fatalf("history entry %v", last)
	}
}

func TestLeaveWithoutAnswerForEachReason(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	leave := func(a *appealsv1.Appeal, r appealsv1.LeaveReason) (*appealsv1.Appeal, error) {
		return h.client.LeaveAppealWithoutAnswer(ctx, &appealsv1.LeaveAppealWithoutAnswerRequest{Name: a.GetName(), Etag: a.GetEtag(),
			Reason: r, Comment: "заявитель предупреждён"})
	}
	for _, r := range []appealsv1.LeaveReason{appealsv1.LeaveReason_LEAVE_REASON_OBSCENE, appealsv1.LeaveReason_LEAVE_REASON_UNREADABLE,
		appealsv1.LeaveReason_LEAVE_REASON_COURT_DECISION, appealsv1.LeaveReason_LEAVE_REASON_PROTECTED_SECRET,
		appealsv1.LeaveReason_LEAVE_REASON_NO_SUBSTANCE} {
		a := h.register(t, "clerk.zhd", nil)
		b := must[*appealsv1.Appeal](t)(leave(a, r))
		if b.GetState() != appealsv1.AppealState_APPEAL_STATE_LEFT_WITHOUT_ANSWER || b.GetLeaveReason() != r || b.GetClosingReason() == "" {
			t.Fatalf("left (%v): %v", r, b)
		}
	}
	named := h.register(t, "clerk.zhd", nil)
	_, err := leave(named, appealsv1.LeaveReason_LEAVE_REASON_ANONYMOUS)
	expect(t, err, codes.FailedPrecondition, "NOT_ANONYMOUS")

	// An anonymous appeal: registered all the same, never answered, left without answer or
	// (a crime report) forwarded without a notice.
	anon := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) { r.Applicant = nil; r.Appeal.Anonymous = true })
	noAddress := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
		r.Applicant = &appealsv1.Applicant{FullName: "Сидоров"}
	})
	if !anon.GetAnonymous() || !noAddress.GetAnonymous() {
		t.Fatalf("anonymous: %v, %v", anon.GetAnonymous(), noAddress.GetAnonymous())
	}
	_, err = h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Appeal: newAppeal()})
	testkit.ExpectViolation(t, err, "applicant")

	anon = h.assignAndStart(t, anon)
	_, err = h.client.AnswerAppeal(ctx, answerReq(anon))
	expect(t, err, codes.FailedPrecondition, "ANSWER_TO_ANONYMOUS")
	anon = must[*appealsv1.Appeal](t)(leave(anon, appealsv1.LeaveReason_LEAVE_REASON_ANONYMOUS))
	if anon.GetLeaveReason() != appealsv1.LeaveReason_LEAVE_REASON_ANONYMOUS {
		t.Fatalf("left: %v", anon)
	}
	crime := must[*appealsv1.Appeal](t)(h.client.ForwardAppeal(ctx, &appealsv1.ForwardAppealRequest{Name: noAddress.GetName(),
		Etag: noAddress.GetEtag(), Body: "УМВД России по г. Хабаровску"}))
	if crime.GetState() != appealsv1.AppealState_APPEAL_STATE_FORWARDED {
		t.Fatalf("a crime report: %v", crime.GetState())
	}
}

func TestOralAnswerNeedsConsentOnTheReceptionCard(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	card := &appealsv1.ReceptionCard{Official: "Попов Д. С.", Summary: "Просит отремонтировать крыльцо"}
	_, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: func() *appealsv1.Appeal {
		a := newAppeal()
		a.ReceptionCard = card
		return a
	}()})
	testkit.ExpectViolation(t, err, "appeal.reception_card") // a card belongs to a personal reception

	reception := func(consent bool) *appealsv1.Appeal {
		return h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
			r.Appeal.Channel = appealsv1.Channel_CHANNEL_PERSONAL_RECEPTION
			r.Appeal.ReceptionCard = &appealsv1.ReceptionCard{Official: card.Official, Summary: card.Summary, OralAnswerConsented: consent}
		})
	}
	oral := func(a *appealsv1.Appeal) (*appealsv1.Appeal, error) {
		req := answerReq(a)
		req.Oral = true
		return h.client.AnswerAppeal(ctx, req)
	}
	a := h.assignAndStart(t, reception(false))
	if a.GetReceptionCard().GetSummary() != card.Summary {
		t.Fatalf("reception card %v", a.GetReceptionCard())
	}
	_, err = oral(a)
	expect(t, err, codes.FailedPrecondition, "ORAL_ANSWER_WITHOUT_CONSENT")
	b := must[*appealsv1.Appeal](t)(oral(h.assignAndStart(t, reception(true))))
	if !b.GetAnswer().GetOral() {
		t.Fatal("oral answer not recorded")
	}
}

func TestReturnAndReopen(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	_, err := h.client.ReopenAppeal(ctx, &appealsv1.ReopenAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Reason: "x"})
	expect(t, err, codes.FailedPrecondition, "NOT_CLOSED")
	_, err = h.client.AnswerAppeal(ctx, answerReq(a))
	expect(t, err, codes.FailedPrecondition, "NOT_ASSIGNED")

	a = must[*appealsv1.Appeal](t)(h.client.ReturnAppeal(ctx, &appealsv1.ReturnAppealRequest{Name: a.GetName(), Etag: a.GetEtag(),
		Reason: "заявитель отозвал обращение"}))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_RETURNED || a.GetClosingReason() != "заявитель отозвал обращение" {
		t.Fatalf("returned: %v", a)
	}
	_, err = h.client.AssignAppeal(ctx, &appealsv1.AssignAppealRequest{Name: a.GetName(), Etag: a.GetEtag()})
	expect(t, err, codes.FailedPrecondition, "APPEAL_CLOSED")

	h.clock.Advance(40 * oneDay)
	a = must[*appealsv1.Appeal](t)(h.client.ReopenAppeal(ctx, &appealsv1.ReopenAppealRequest{Name: a.GetName(), Etag: a.GetEtag(),
		Reason: "заявитель просит продолжить рассмотрение"}))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS || a.GetClosingReason() != "" ||
		a.GetDeadlineState() != appealsv1.DeadlineState_DEADLINE_STATE_ON_TIME {
		t.Fatalf("reopened: %v", a)
	}
	a = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(ctx, answerReq(a)))
	a = must[*appealsv1.Appeal](t)(h.client.ReopenAppeal(ctx, &appealsv1.ReopenAppealRequest{Name: a.GetName(), Etag: a.GetEtag(),
		Reason: "ответ неполный"}))
	if a.GetAnswer() != nil || a.GetState() != appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS {
		t.Fatalf("reopened after the answer: %v", a)
	}
	want := []string{"registered", "returned", "reopened", "answered", "reopened"}
	if got := h.history(t, "clerk.zhd", a); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

func TestMarkDuplicate(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	first := h.register(t, "clerk.zhd", nil)
	second := h.register(t, "clerk.zhd", nil)
	foreign := h.register(t, "clerk.ind", func(r *appealsv1.CreateAppealRequest) { r.Appeal.Department = "" })
	mark := func(a *appealsv1.Appeal, of string) (*appealsv1.Appeal, error) {
		return h.client.MarkDuplicate(ctx, &appealsv1.MarkDuplicateRequest{Name: a.GetName(), Etag: a.GetEtag(), DuplicateOf: of})
	}
	_, err := mark(second, second.GetName())
	expect(t, err, codes.FailedPrecondition, "DUPLICATE_OF_ITSELF")
	_, err = mark(second, foreign.GetName()) // another department's: as if it did not exist
	testkit.ExpectViolation(t, err, "duplicate_of")
	_, err = mark(second, "appeals/"+uuid.NewString())
	testkit.ExpectViolation(t, err, "duplicate_of")

	second = must[*appealsv1.Appeal](t)(mark(second, first.GetName()))
	if second.GetDuplicateOf() != first.GetName() || second.GetState() != appealsv1.AppealState_APPEAL_STATE_REGISTERED {
		t.Fatalf("marked: %v", second)
	}
	_, err = mark(first, second.GetName())
	expect(t, err, codes.FailedPrecondition, "DUPLICATE_CYCLE")
	if got := h.history(t, "clerk.zhd", second); !slices.Equal(got, []string{"registered", "marked_duplicate"}) {
		t.Fatalf("history %v", got)
	}
}

func TestUpdateCorrectsTheRegistrationCard(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	other := h.register(t, "clerk.zhd", nil)
	foreign := h.register(t, "clerk.ind", func(r *appealsv1.CreateAppealRequest) { r.Appeal.Department = "" })

	upd := func(a *appealsv1.Appeal, paths ...string) (*appealsv1.Appeal, error) {
		return h.client.UpdateAppeal(ctx, &appealsv1.UpdateAppealRequest{Appeal: a, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
	}
	edit := &appealsv1.Appeal{Name: a.GetName(), Etag: a.GetEtag(), Text: "Исправленный текст обращения",
		ClassifierCodes: []string{"0005.0005.0056.1156"}, Addressee: "Главе района", Channel: appealsv1.Channel_CHANNEL_LETTER,
		RelatedAppeals: []string{other.GetName()}}
	b := must[*appealsv1.Appeal](t)(upd(edit, "text", "classifier_codes", "addressee", "related_appeals"))
	if b.GetText() != edit.GetText() || b.GetAddressee() != "Главе района" || b.GetChannel() != a.GetChannel() ||
		!slices.Equal(b.GetRelatedAppeals(), []string{other.GetName()}) || b.GetEtag() != "2" || b.GetDistrict() != a.GetDistrict() {
		t.Fatalf("updated: %v", b)
	}
	_, err := upd(&appealsv1.Appeal{Name: a.GetName(), Etag: b.GetEtag(), Text: "x"}, "state")
	testkit.ExpectViolation(t, err, "update_mask")
	_, err = upd(&appealsv1.Appeal{Name: a.GetName(), Etag: b.GetEtag(), RelatedAppeals: []string{foreign.GetName()}}, "related_appeals")
	testkit.ExpectViolation(t, err, "appeal.related_appeals[0]")
	_, err = upd(&appealsv1.Appeal{Name: a.GetName(), Etag: b.GetEtag(), ClassifierCodes: []string{"0009.0009.0009.0009"}}, "classifier_codes")
	testkit.ExpectViolation(t, err, "appeal.classifier_codes[0]")
	// An empty mask takes the fields present.
	b = must[*appealsv1.Appeal](t)(h.client.UpdateAppeal(ctx, &appealsv1.UpdateAppealRequest{Appeal: &appealsv1.Appeal{
		Name: a.GetName(), Etag: b.GetEtag(), District: "CEN"}}))
	if b.GetDistrict() != "CEN" || b.GetText() != edit.GetText() {
		t.Fatalf("partial update: %v", b)
	}
	if got := h.history(t, "clerk.zhd", b); !slices.Equal(got, []string{"registered", "updated", "updated"}) {
		t.Fatalf("history %v", got)
	}
	b = must[*appealsv1.Appeal](t)(h.client.ReturnAppeal(ctx, &appealsv1.ReturnAppealRequest{Name: b.GetName(), Etag: b.GetEtag(), Reason: "r"}))
	_, err = upd(&appealsv1.Appeal{Name: a.GetName(), Etag: b.GetEtag(), Text: "x"}, "text")
	expect(t, err, codes.FailedPrecondition, "APPEAL_CLOSED")
}

func TestAssignRoutesToActiveDepartments(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	assign := func(a *appealsv1.Appeal, dept string, co ...string) (*appealsv1.Appeal, error) {
		return h.client.AssignAppeal(ctx, &appealsv1.AssignAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Department: dept, CoExecutors: co})
	}
	_, err := assign(a, "", "NOPE")
	testkit.ExpectViolation(t, err, "co_executors[0]")
	_, err = assign(a, "NOPE")
	testkit.ExpectViolation(t, err, "department")
	_, err = assign(a, "", "KUR-ZHD")
	expect(t, err, codes.FailedPrecondition, "CO_EXECUTOR_IS_LEAD")

	a = must[*appealsv1.Appeal](t)(assign(a, "", "KUR-IND"))
	// The co-executing department sees the appeal and its applicant, but does not change it.
	ind := h.as(t, "clerk.ind")
	must[*appealsv1.Appeal](t)(h.client.GetAppeal(ind, &appealsv1.GetAppealRequest{Name: a.GetName()}))
	must[*appealsv1.Applicant](t)(h.client.GetApplicant(ind, &appealsv1.GetApplicantRequest{Name: a.GetName() + "/applicant", Purpose: "подготовка ответа"}))
	list := must[*appealsv1.ListAppealsResponse](t)(h.client.ListAppeals(ind, &appealsv1.ListAppealsRequest{}))
	if len(list.GetAppeals()) != 1 {
		t.Fatalf("the co-executor lists %d appeals", len(list.GetAppeals()))
	}
	_, err = h.client.StartAppeal(ind, &appealsv1.StartAppealRequest{Name: a.GetName(), Etag: a.GetEtag()})
	expect(t, err, codes.PermissionDenied, "NOT_LEAD_DEPARTMENT")

	// Routed to another lead department: it leaves the clerk's sight.
	a = must[*appealsv1.Appeal](t)(assign(a, "OOG"))
	if a.GetDepartment() != "OOG" || a.GetDepartmentDisplayName() == "" || len(a.GetCoExecutors()) != 0 {
		t.Fatalf("rerouted: %v", a)
	}
	_, err = h.client.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: a.GetName()})
	expect(t, err, codes.NotFound, "NOT_FOUND")
	must[*appealsv1.Appeal](t)(h.client.GetAppeal(h.as(t, "clerk.oog"), &appealsv1.GetAppealRequest{Name: a.GetName()}))
}
