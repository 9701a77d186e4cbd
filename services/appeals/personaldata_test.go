package appeals_test

import (
	"bytes"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/service"
)

func (h *harness) applicant(t *testing.T, login string, a *appealsv1.Appeal) (*appealsv1.Applicant, error) {
	return h.client.GetApplicant(h.as(t, login), &appealsv1.GetApplicantRequest{Name: a.GetName() + "/applicant", Purpose: "подготовка ответа"})
}

func (h *harness) audit(t *testing.T, filter string) []*appealsv1.AuditRecord {
	t.Helper()
	resp := must[*appealsv1.ListAuditRecordsResponse](t)(h.client.ListAuditRecords(h.as(t, "auditor"),
		&appealsv1.ListAuditRecordsRequest{Filter: filter, PageSize: 1000}))
	return resp.GetRecords()
}

func TestApplicantOnlyForThoseWorkingOnTheAppealAndEveryReadAudited(t *testing.T) {
	t.Parallel()
	h := start(t)
	a := h.register(t, "clerk.zhd", nil)
	own := h.register(t, "integrator", nil) // for KUR-ZHD, by the integrator

	p := must[*appealsv1.Applicant](t)(h.applicant(t, "clerk.zhd", a))
	want := applicant()
	if p.GetFullName() != want.GetFullName() || p.GetPostalAddress() != want.GetPostalAddress() || p.GetEmail() != want.GetEmail() ||
		p.GetPhone() != want.GetPhone() || p.GetName() != a.GetName()+"/applicant" || p.GetDestroyTime() != nil {
		t.Fatalf("applicant %v", p)
	}
	must[*appealsv1.Applicant](t)(h.applicant(t, "head.zhd", a))
	must[*appealsv1.Applicant](t)(h.applicant(t, "integrator", own))

	for _, c := range []struct {
		login  string
		appeal *appealsv1.Appeal
		code   codes.Code
		reason string
	}{
		{"clerk.ind", a, codes.NotFound, "NOT_FOUND"},  // another department
		{"integrator", a, codes.NotFound, "NOT_FOUND"}, // not registered by it
		{"admin", a, codes.PermissionDenied, "NO_PERSONAL_DATA_ACCESS"},
		{"auditor", a, codes.PermissionDenied, "NO_PERSONAL_DATA_ACCESS"},
		{"curator", a, codes.PermissionDenied, "NO_PERSONAL_DATA_ACCESS"},
		{"mayor", a, codes.PermissionDenied, "NO_PERSONAL_DATA_ACCESS"},
		{"vicemayor", a, codes.PermissionDenied, "NO_PERSONAL_DATA_ACCESS"},
	} {
		_, err := h.applicant(t, c.login, c.appeal)
		expect(t, err, c.code, c.reason)
	}
	_, err := h.client.GetApplicant(h.as(t, "clerk.zhd"), &appealsv1.GetApplicantRequest{Name: a.GetName() + "/applicant"})
	if err == nil {
		t.Fatal("a read without a purpose")
	}

	// Three reads succeeded, three records; refusals read nothing.
	records := h.audit(t, "")
	if len(records) != 3 {
		t.Fatalf("%d audit records, want 3: %v", len(records), records)
	}
	newest := records[0]
	if newest.GetActor() != "integrator" || newest.GetAction() != "READ_APPLICANT" || newest.GetAppeal() != own.GetName() ||
		newest.GetPurpose() != "подготовка ответа" || newest.GetActorName() != "Фёдорова Анна Владимировна" {
		t.Fatalf("newest record %v", newest)
	}
	if got := h.audit(t, `appeal = "`+a.GetName()+`" AND actor = "head.zhd" AND action = READ_APPLICANT`); len(got) != 1 {
		t.Fatalf("filtered: %v", got)
	}
	if got := h.audit(t, `time >= "2000-01-01" AND time < "2000-02-01"`); len(got) != 0 {
		t.Fatalf("time filter: %v", got)
	}
	page := must[*appealsv1.ListAuditRecordsResponse](t)(h.client.ListAuditRecords(h.as(t, "auditor"), &appealsv1.ListAuditRecordsRequest{PageSize: 2}))
	next := must[*appealsv1.ListAuditRecordsResponse](t)(h.client.ListAuditRecords(h.as(t, "auditor"), &appealsv1.ListAuditRecordsRequest{PageSize: 2, PageToken: page.GetNextPageToken()}))
	if len(page.GetRecords()) != 2 || len(next.GetRecords()) != 1 || next.GetNextPageToken() != "" {
		t.Fatalf("audit pages: %d + %d", len(page.GetRecords()), len(next.GetRecords()))
	}
	for _, login := range []string{"clerk.zhd", "admin", "head.zhd"} {
		_, err := h.client.ListAuditRecords(h.as(t, login), &appealsv1.ListAuditRecordsRequest{})
		expect(t, err, codes.PermissionDenied, "NOT_AN_AUDITOR")
	}
	// The auditor reads appeals' metadata and history, never the applicant.
	must[*appealsv1.Appeal](t)(h.client.GetAppeal(h.as(t, "auditor"), &appealsv1.GetAppealRequest{Name: a.GetName()}))
	h.history(t, "auditor", a)
}

func TestNoPersonalDataInEvents(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	person := &appealsv1.Applicant{FullName: "Кукушкина Евдокия Спиридоновна", PostalAddress: "680030, г. Хабаровск, ул. Пушкина, д. 45, кв. 17",
		Email: "kukushkina.e@example.ru", Phone: "+7 914 777-66-55"}
	a := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) { r.Applicant = person })
	a = h.assignAndStart(t, a)
	a = must[*appealsv1.Appeal](t)(h.client.ExtendAppeal(h.as(t, "head.zhd"), &appealsv1.ExtendAppealRequest{Name: a.GetName(), Etag: a.GetEtag(), Days: 5, Reason: "экспертиза"}))
	a = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(ctx, answerReq(a)))
	b := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) { r.Applicant = person }) // repeated
	b = must[*appealsv1.Appeal](t)(h.client.ForwardAppeal(ctx, &appealsv1.ForwardAppealRequest{Name: b.GetName(), Etag: b.GetEtag(),
		Body: "Прокуратура", ApplicantNotified: true}))
	c := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) { r.Applicant = person })
	h.clock.Advance(27 * oneDay)
	waitUntil(t, "AppealDueSoon", func() bool { return h.eventsOf(t, "appeal_due_soon", c.GetName()) == 1 })
	h.clock.Advance(13 * oneDay)
	waitUntil(t, "AppealOverdue", func() bool { return h.eventsOf(t, "appeal_overdue", c.GetName()) == 1 })

	events := h.events(t)
	subjects := map[string]int{}
	for _, e := range events {
		subjects[e.Subject]++
		for _, pd := range []string{person.GetFullName(), "Кукушкина", person.GetPostalAddress(), "Пушкина", person.GetEmail(), "kukushkina",
			person.GetPhone(), "777-66-55", "9147776655"} {
			if bytes.Contains(e.Data, []byte(pd)) {
				t.Errorf("%s carries personal data %q", e.Subject, pd)
			}
		}
	}
	for _, s := range []string{"registered", "state_changed", "answered", "due_soon", "overdue"} {
		if subjects["cityhall.appeals.v1.appeal_"+s] == 0 {
			t.Errorf("no appeal_%s event checked (%v)", s, subjects)
		}
	}
	// Nor in the history.
	var notes bytes.Buffer
	for _, x := range []*appealsv1.Appeal{a, b, c} {
		resp := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(ctx, &appealsv1.ListAppealHistoryRequest{Parent: x.GetName()}))
		for _, e := range resp.GetEntries() {
			notes.WriteString(e.GetNote())
		}
	}
	if bytes.Contains(notes.Bytes(), []byte("Кукушкина")) || bytes.Contains(notes.Bytes(), []byte("Пушкина")) {
		t.Errorf("history notes carry personal data: %s", notes.String())
	}
}

func TestRetentionDestroysPersonalDataAndRecordsIt(t *testing.T) {
	t.Parallel()
	h := startWith(t, service.Settings{PDRetention: 30 * 24 * time.Hour})
	ctx := h.as(t, "clerk.zhd")
	closed := h.register(t, "clerk.zhd", nil)
	closed = must[*appealsv1.Appeal](t)(h.client.ReturnAppeal(ctx, &appealsv1.ReturnAppealRequest{Name: closed.GetName(), Etag: closed.GetEtag(), Reason: "отозвано"}))
	open := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
		r.Applicant = &appealsv1.Applicant{FullName: "Иванов Иван", PostalAddress: "Хабаровск, ул. Мира, 3"}
	})
	h.clock.Advance(20 * oneDay)
	lately := h.register(t, "clerk.zhd", nil)
	lately = must[*appealsv1.Appeal](t)(h.client.ReturnAppeal(ctx, &appealsv1.ReturnAppealRequest{Name: lately.GetName(), Etag: lately.GetEtag(), Reason: "отозвано"}))

	h.clock.Advance(11 * oneDay) // the first closed 31 days ago, the other 11
	waitUntil(t, "destruction", func() bool { return h.get(t, closed).GetApplicantDataDestroyed() })
	time.Sleep(200 * time.Millisecond) // more runs: nothing else goes

	p := must[*appealsv1.Applicant](t)(h.applicant(t, "clerk.zhd", closed))
	if p.GetFullName() != "" || p.GetPostalAddress() != "" || p.GetEmail() != "" || p.GetPhone() != "" || p.GetDestroyTime() == nil {
		t.Fatalf("after destruction: %v", p)
	}
	for _, x := range []*appealsv1.Appeal{open, lately} {
		if h.get(t, x).GetApplicantDataDestroyed() || must[*appealsv1.Applicant](t)(h.applicant(t, "clerk.zhd", x)).GetFullName() == "" {
			t.Fatalf("%s destroyed too early", x.GetRegistrationNumber())
		}
	}
	if n := h.Count(t, `SELECT count(*) FROM applicants WHERE appeal_id = $1 AND (name_address_key <> '' OR email_key <> '' OR phone_key <> '')`,
		uuidOf(t, closed)); n != 0 {
		t.Fatal("the match keys survived the destruction")
	}
	hist := h.history(t, "clerk.zhd", closed)
	if hist[len(hist)-1] != "applicant_data_destroyed" {
		t.Fatalf("history %v", hist)
	}
	destroyed := h.audit(t, `action = DESTROY`)
	if len(destroyed) != 1 || destroyed[0].GetAppeal() != closed.GetName() || destroyed[0].GetActor() != "system" {
		t.Fatalf("audit %v", destroyed)
	}
	// A destroyed applicant no longer makes a new appeal repeated.
	again := h.register(t, "clerk.zhd", nil)
	if len(again.GetPreviousAppeals()) != 1 || again.GetPreviousAppeals()[0] != lately.GetName() {
		t.Fatalf("previous appeals after the destruction: %v", again.GetPreviousAppeals())
	}
}
