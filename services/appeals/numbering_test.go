package appeals_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/service"
)

// seqOf is the sequence part of a registration number of year, e.g. 2026-000123 → 123.
func seqOf(t *testing.T, year int, number string) int {
	t.Helper()
	rest, ok := strings.CutPrefix(number, fmt.Sprintf("%d-", year))
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || len(rest) < 6 {
		t.Fatalf("registration number %q is not %d-NNNNNN", number, year)
	}
	return n
}

// registeredNumbers maps each AppealRegistered event's appeal to the number it carries.
func (h *harness) registeredNumbers(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, e := range h.events(t) {
		if strings.HasSuffix(e.Subject, "appeal_registered") {
			m := decode(t, e.Data, &appealsv1.AppealRegistered{})
			out[m.GetAppeal()] = append(out[m.GetAppeal()], m.GetRegistrationNumber())
		}
	}
	return out
}

// TestConcurrentRegistrationsNumberedWithoutGaps: registrations made at once commit side by side
// and are numbered in groups after their commits; still the year's numbers are 1..N, none
// missing or repeated, follow the registration times, and every create call and every
// AppealRegistered event shows the appeal's own number.
func TestConcurrentRegistrationsNumberedWithoutGaps(t *testing.T) {
	t.Parallel()
	h := start(t)
	const clients, each = 8, 5
	ctx := h.as(t, "clerk.zhd")
	var mu sync.Mutex
	var created []*appealsv1.Appeal
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				a := newAppeal()
				a.Text = fmt.Sprintf("Обращение %d-%d: прошу сделать перерасчёт платы за отопление", c, i)
				got, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{
					Appeal: a, Applicant: applicant(), RequestId: uuid.NewString()})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				created = append(created, got)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	const n = clients * each
	if len(created) != n {
		t.Fatalf("%d appeals created, want %d", len(created), n)
	}
	year, _ := strconv.Atoi(created[0].GetRegistrationNumber()[:4])
	// In registration-time order (ties by id, as the numbering orders them) the numbers are 1..n.
	slices.SortFunc(created, func(a, b *appealsv1.Appeal) int {
		if c := a.GetRegisterTime().AsTime().Compare(b.GetRegisterTime().AsTime()); c != 0 {
			return c
		}
		return strings.Compare(a.GetName(), b.GetName())
	})
	for i, a := range created {
		if got := seqOf(t, year, a.GetRegistrationNumber()); got != i+1 {
			t.Errorf("appeal %d in registration order (%s, registered %s) has number %s, want sequence %d",
				i+1, a.GetName(), a.GetRegisterTime().AsTime().Format(time.RFC3339Nano), a.GetRegistrationNumber(), i+1)
		}
		if a.GetEtag() == "" {
			t.Errorf("%s: no etag", a.GetName())
		}
		// Get shows the number the create answered with.
		if got := h.get(t, a); got.GetRegistrationNumber() != a.GetRegistrationNumber() || got.GetEtag() != a.GetEtag() {
			t.Errorf("%s: get shows %s (etag %s), create answered %s (etag %s)", a.GetName(),
				got.GetRegistrationNumber(), got.GetEtag(), a.GetRegistrationNumber(), a.GetEtag())
		}
	}
	events := h.registeredNumbers(t)
	for _, a := range created {
		if got := events[a.GetName()]; len(got) != 1 || got[0] != a.GetRegistrationNumber() {
			t.Errorf("%s: AppealRegistered events carry %v, want one with %s", a.GetName(), got, a.GetRegistrationNumber())
		}
	}
	if len(events) != n {
		t.Errorf("AppealRegistered for %d appeals, want %d", len(events), n)
	}
	if got := h.Count(t, "SELECT last FROM registration_counters WHERE year = "+strconv.Itoa(year)); got != n {
		t.Errorf("the year's counter is at %d, want %d", got, n)
	}
}

// unnumberedCopy stores, as a registration whose process stopped right after its commit would
// leave it, a copy of appeal a without a registration number, and returns its name.
func (h *harness) unnumberedCopy(t *testing.T, a *appealsv1.Appeal) string {
	t.Helper()
	id := uuid.New()
	if _, err := h.Pool.Exec(context.Background(), `
		INSERT INTO appeals SELECT (jsonb_populate_record(NULL::appeals, to_jsonb(a) || jsonb_build_object(
			'id', $2::uuid, 'registration_number', NULL, 'version', 0, 'register_time', a.register_time + interval '1 ms'))).*
		FROM appeals a WHERE a.id = $1`, strings.TrimPrefix(a.GetName(), "appeals/"), id); err != nil {
		t.Fatal(err)
	}
	return "appeals/" + id.String()
}

// TestNumberingSweepNumbersLeftovers: an appeal committed without a number (its registering
// process stopped before the numbering step) is numbered by the sweep, with its event.
func TestNumberingSweepNumbersLeftovers(t *testing.T) {
	t.Parallel()
	h := start(t) // the sweep runs every 50 ms
	first := h.register(t, "clerk.zhd", nil)
	year, _ := strconv.Atoi(first.GetRegistrationNumber()[:4])
	left := h.unnumberedCopy(t, first)
	var number string
	waitUntil(t, "the left-over appeal is numbered", func() bool {
		got, err := h.client.GetAppeal(h.as(t, "admin"), &appealsv1.GetAppealRequest{Name: left})
		if err != nil {
			t.Fatal(err)
		}
		number = got.GetRegistrationNumber()
		return number != ""
	})
	if seqOf(t, year, number) != seqOf(t, year, first.GetRegistrationNumber())+1 {
		t.Fatalf("left-over numbered %s after %s, want the next number", number, first.GetRegistrationNumber())
	}
	if got := h.registeredNumbers(t)[left]; len(got) != 1 || got[0] != number {
		t.Fatalf("the left-over's AppealRegistered events carry %v, want one with %s", got, number)
	}
}

// TestUnnumberedAppealNotListedAndNumberedByNextRegistration: between its two commits an appeal
// is not in the registry and reads with an empty number, never a wrong one; the next
// registration's numbering step numbers it before itself.
func TestUnnumberedAppealNotListedAndNumberedByNextRegistration(t *testing.T) {
	t.Parallel()
	h := startWith(t, service.Settings{NumberingInterval: time.Hour}) // the sweep ran at start only
	first := h.register(t, "clerk.zhd", nil)
	year, _ := strconv.Atoi(first.GetRegistrationNumber()[:4])
	left := h.unnumberedCopy(t, first)

	ctx := h.as(t, "clerk.zhd")
	page, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page.GetAppeals() {
		if a.GetName() == left || a.GetRegistrationNumber() == "" {
			t.Fatalf("the registry lists an appeal without its number: %v", a)
		}
	}
	if len(page.GetAppeals()) != 1 {
		t.Fatalf("registry: %d appeals, want the numbered one", len(page.GetAppeals()))
	}
	got, err := h.client.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: left})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetRegistrationNumber() != "" {
		t.Fatalf("unnumbered appeal reads with number %q", got.GetRegistrationNumber())
	}

	next := h.register(t, "clerk.zhd", nil)
	got = h.get(t, &appealsv1.Appeal{Name: left})
	if seqOf(t, year, got.GetRegistrationNumber()) != 2 || seqOf(t, year, next.GetRegistrationNumber()) != 3 {
		t.Fatalf("left-over %s, next registration %s: want %d-000002 and %d-000003",
			got.GetRegistrationNumber(), next.GetRegistrationNumber(), year, year)
	}
}
