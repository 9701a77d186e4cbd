package appeals_test

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// listed is the names of the appeals clerk.zhd lists with filter.
func (h *harness) listed(t *testing.T, filter string) []string {
	t.Helper()
	resp := must[*appealsv1.ListAppealsResponse](t)(h.client.ListAppeals(h.as(t, "clerk.zhd"), &appealsv1.ListAppealsRequest{Filter: filter}))
	var out []string
	for _, a := range resp.GetAppeals() {
		out = append(out, a.GetName())
	}
	slices.Sort(out)
	return out
}

func sorted(names ...string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return out
}

func TestDueSoonAndOverdueArePublishedOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	late := h.register(t, "clerk.zhd", nil)
	answered := h.assignAndStart(t, h.register(t, "clerk.zhd", nil))
	answered = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(h.as(t, "clerk.zhd"), answerReq(answered)))
	h.clock.Advance(5 * oneDay)
	fresh := h.register(t, "clerk.zhd", nil) // due 5 days after the others
	if got := h.listed(t, `deadline_state = ON_TIME`); !slices.Equal(got, sorted(late.GetName(), fresh.GetName())) {
		t.Fatalf("on time: %v", got)
	}

	// 25 days after registration: 5 days left.
	h.clock.Advance(20 * oneDay)
	waitUntil(t, "AppealDueSoon", func() bool { return h.eventsOf(t, "appeal_due_soon", late.GetName()) == 1 })
	if got := h.get(t, late).GetDeadlineState(); got != appealsv1.DeadlineState_DEADLINE_STATE_DUE_SOON {
		t.Fatalf("deadline state %v", got)
	}
	if got := h.listed(t, `deadline_state = DUE_SOON`); !slices.Equal(got, []string{late.GetName()}) {
		t.Fatalf("due soon: %v", got)
	}
	if got := h.listed(t, `deadline_state = CLOSED`); !slices.Equal(got, []string{answered.GetName()}) {
		t.Fatalf("closed: %v", got)
	}

	// 31 days: overdue.
	h.clock.Advance(6 * oneDay)
	waitUntil(t, "AppealOverdue", func() bool { return h.eventsOf(t, "appeal_overdue", late.GetName()) == 1 })
	if got := h.listed(t, `deadline_state = OVERDUE`); !slices.Equal(got, []string{late.GetName()}) {
		t.Fatalf("overdue: %v", got)
	}
	if got := h.listed(t, `deadline_state = DUE_SOON AND department = "KUR-ZHD"`); !slices.Equal(got, []string{fresh.GetName()}) {
		t.Fatalf("due soon now: %v", got)
	}
	time.Sleep(300 * time.Millisecond) // several more runs of the job
	for _, c := range []struct {
		suffix string
		a      *appealsv1.Appeal
		want   int
	}{
		{"appeal_due_soon", late, 1}, {"appeal_overdue", late, 1},
		{"appeal_due_soon", fresh, 1}, {"appeal_overdue", fresh, 0},
		{"appeal_due_soon", answered, 0}, {"appeal_overdue", answered, 0},
	} {
		if n := h.eventsOf(t, c.suffix, c.a.GetName()); n != c.want {
			t.Errorf("%s of %s: %d, want %d", c.suffix, c.a.GetRegistrationNumber(), n, c.want)
		}
	}
	want := []string{"registered", "due_soon", "overdue"}
	if got := h.history(t, "clerk.zhd", late); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	entries := must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(h.as(t, "clerk.zhd"), &appealsv1.ListAppealHistoryRequest{Parent: late.GetName()}))
	if e := entries.GetEntries()[1]; e.GetActor() != "system" {
		t.Fatalf("due-soon entry by %q", e.GetActor())
	}

	// A deadline that has passed is not extended.
	_, err := h.client.ExtendAppeal(h.as(t, "head.zhd"), &appealsv1.ExtendAppealRequest{Name: late.GetName(), Etag: late.GetEtag(), Days: 10, Reason: "поздно"})
	expect(t, err, codes.FailedPrecondition, "DEADLINE_PASSED")

	// An extension moves the deadline: the new one is reminded again when it comes near.
	fresh = h.get(t, fresh)
	fresh = must[*appealsv1.Appeal](t)(h.client.ExtendAppeal(h.as(t, "head.zhd"), &appealsv1.ExtendAppealRequest{
		Name: fresh.GetName(), Etag: fresh.GetEtag(), Days: 20, Reason: "нужна экспертиза"}))
	if fresh.GetDeadlineState() != appealsv1.DeadlineState_DEADLINE_STATE_ON_TIME {
		t.Fatalf("after the extension: %v", fresh.GetDeadlineState())
	}
	h.clock.Advance(19 * oneDay)
	waitUntil(t, "AppealDueSoon of the extended deadline", func() bool { return h.eventsOf(t, "appeal_due_soon", fresh.GetName()) == 2 })
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	h := start(t)
	a := h.assignAndStart(t, h.register(t, "clerk.zhd", nil))
	b := h.register(t, "clerk.zhd", nil) // repeated: the same applicant on the same question
	if !b.GetRepeated() {
		t.Fatal("not repeated")
	}
	for filter, want := range map[string][]string{
		`repeated = true`:        {b.GetName()},
		`repeated = false`:       {a.GetName()},
		`executor = "clerk.zhd"`: {a.GetName()},
		`registration_number = "` + b.GetRegistrationNumber() + `"`: {b.GetName()},
		`state = IN_PROGRESS AND deadline_state = ON_TIME`:          {a.GetName()},
	} {
		if got := h.listed(t, filter); !slices.Equal(got, sorted(want...)) {
			t.Errorf("%s: %v, want %v", filter, got, want)
		}
	}
	for _, bad := range []string{`deadline_state = SOMETIME`, `repeated = maybe`, `registration_number = "123"`} {
		_, err := h.client.ListAppeals(h.as(t, "clerk.zhd"), &appealsv1.ListAppealsRequest{Filter: bad})
		if err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
