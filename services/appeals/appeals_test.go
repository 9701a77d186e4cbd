package appeals_test

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// applicant is a citizen with a name and a postal address: the appeal is not anonymous.
func applicant() *appealsv1.Applicant {
	return &appealsv1.Applicant{FullName: "Петров Пётр Петрович", PostalAddress: "680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2",
		Email: "petrov@example.ru", Phone: "+7 914 000-00-00"}
}

func newAppeal() *appealsv1.Appeal {
	return &appealsv1.Appeal{
		Channel:         appealsv1.Channel_CHANNEL_ELECTRONIC,
		Text:            "Прошу сделать перерасчёт платы за отопление за январь",
		ClassifierCodes: []string{"0005.0005.0056.1149"},
		District:        "ZHD",
	}
}

func TestRegisterGetAndList(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	created, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()})
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(time.FixedZone("Khabarovsk", 10*3600)).Year()
	if !regexp.MustCompile(`^\d{4}-\d{6}$`).MatchString(created.GetRegistrationNumber()) ||
		created.GetRegistrationNumber()[:4] != itoa(year) {
		t.Fatalf("registration number %q", created.GetRegistrationNumber())
	}
	if created.GetDepartment() != "KUR-ZHD" || created.GetState() != appealsv1.AppealState_APPEAL_STATE_REGISTERED {
		t.Fatalf("department %q state %v", created.GetDepartment(), created.GetState())
	}
	due := created.GetAnswerDueDate()
	reg := created.GetRegisterTime().AsTime().In(time.FixedZone("Khabarovsk", 10*3600))
	want := time.Date(reg.Year(), reg.Month(), reg.Day()+30, 0, 0, 0, 0, time.UTC)
	if int(due.GetYear()) != want.Year() || time.Month(due.GetMonth()) != want.Month() || int(due.GetDay()) != want.Day() {
		t.Fatalf("answer due %v, want %v", due, want.Format(time.DateOnly))
	}

	got, err := h.client.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: created.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got, created) {
		t.Fatalf("get differs from create:\n%v\n%v", got, created)
	}

	second, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: &appealsv1.Appeal{
		Channel: appealsv1.Channel_CHANNEL_LETTER, Text: "Яма на дороге у дома 5", ClassifierCodes: []string{"0003.0009.0097.0699"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if second.GetRegistrationNumber() <= created.GetRegistrationNumber() {
		t.Fatalf("numbers not increasing: %s then %s", created.GetRegistrationNumber(), second.GetRegistrationNumber())
	}
	list, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetAppeals()) != 2 || list.GetAppeals()[0].GetName() != second.GetName() {
		t.Fatalf("list newest first: got %d appeals", len(list.GetAppeals()))
	}
	for filter, want := range map[string]int{
		`classifier_code = "0005.0005*"`:                                           1,
		`classifier_code = "0005.0005.0056.1149"`:                                  1,
		`state = REGISTERED AND department = "KUR-ZHD"`:                            2,
		`channel = LETTER`:                                                         1,
		`register_time >= "2000-01-01T00:00:00Z" AND register_time < "2000-02-01"`: 0,
		`department = "KUR-IND"`:                                                   0,
	} {
		resp, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{Filter: filter})
		if err != nil {
			t.Fatalf("%s: %v", filter, err)
		}
		if len(resp.GetAppeals()) != want {
			t.Errorf("%s: %d appeals, want %d", filter, len(resp.GetAppeals()), want)
		}
	}
}

func TestPagesCoverEveryAppealOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	for range 7 {
		if _, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, order := range []string{"", "register_time", "answer_due_date", "answer_due_date desc"} {
		seen := map[string]bool{}
		token := ""
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatal("pagination does not end")
			}
			resp, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageSize: 3, PageToken: token, OrderBy: order})
			if err != nil {
				t.Fatalf("order %q: %v", order, err)
			}
			for _, a := range resp.GetAppeals() {
				if seen[a.GetName()] {
					t.Fatalf("order %q: %s twice", order, a.GetName())
				}
				seen[a.GetName()] = true
			}
			if token = resp.GetNextPageToken(); token == "" {
				break
			}
		}
		if len(seen) != 7 {
			t.Fatalf("order %q: saw %d of 7", order, len(seen))
		}
	}
	_, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageToken: "garbage"})
	testkit.ExpectViolation(t, err, "page_token")
}

func TestRetryWithRequestIDRegistersOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	req := &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal(), RequestId: uuid.NewString()}

	var wg sync.WaitGroup
	names := make([]string, 10)
	errs := make([]error, 10)
	for i := range 10 {
		wg.Go(func() {
			a, err := h.client.CreateAppeal(ctx, req)
			names[i], errs[i] = a.GetName(), err
		})
	}
	wg.Wait()
	for i := range 10 {
		if errs[i] != nil {
			t.Fatalf("attempt %d: %v", i, errs[i])
		}
		if names[i] != names[0] {
			t.Fatalf("attempt %d got %s, first got %s", i, names[i], names[0])
		}
	}
	if n := h.count(t); n != 1 {
		t.Fatalf("%d appeals stored, want 1", n)
	}

	other := proto.Clone(req).(*appealsv1.CreateAppealRequest)
	other.Appeal.Text = "Совсем другой текст"
	_, err := h.client.CreateAppeal(ctx, other)
	if status.Code(err) != codes.AlreadyExists || testkit.Reason(err) != "REQUEST_ID_REUSED" {
		t.Fatalf("same request_id, other body: %v", err)
	}
	if n := h.count(t); n != 1 {
		t.Fatalf("%d appeals stored after a rejected reuse, want 1", n)
	}
}

func TestInvalidInputIsRejectedAndStoresNothing(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	unknownCode := newAppeal()
	unknownCode.ClassifierCodes = []string{"0005.0005.0056.1149", "0009.0009.0009.0009"}
	future := newAppeal()
	future.ReceiveTime = timestamppb.New(time.Now().Add(48 * time.Hour))
	signatories := newAppeal()
	signatories.Signatories = 12
	cases := []struct {
		name  string
		req   *appealsv1.CreateAppealRequest
		field string
	}{
		{"no appeal", &appealsv1.CreateAppealRequest{}, "appeal"},
		{"no text", &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{Channel: 1, ClassifierCodes: []string{"0005.0005.0056.1149"}}}, "appeal.text"},
		{"no channel", &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"}}}, "appeal.channel"},
		{"no classifier code", &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{Channel: 1, Text: "x"}}, "appeal.classifier_codes"},
		{"malformed code", &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{Channel: 1, Text: "x", ClassifierCodes: []string{"5.5"}}}, "appeal.classifier_codes[0]"},
		{"unknown code", &appealsv1.CreateAppealRequest{Appeal: unknownCode}, "appeal.classifier_codes[1]"},
		{"received in the future", &appealsv1.CreateAppealRequest{Appeal: future}, "appeal.receive_time"},
		{"signatories of a single appeal", &appealsv1.CreateAppealRequest{Appeal: signatories}, "appeal.signatories"},
		{"bad request_id", &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal(), RequestId: "not-a-uuid"}, "request_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := h.client.CreateAppeal(ctx, c.req)
			testkit.ExpectViolation(t, err, c.field)
		})
	}
	_, err := h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageSize: 1_000_000})
	testkit.ExpectViolation(t, err, "page_size")
	_, err = h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{Filter: "colour = red"})
	testkit.ExpectViolation(t, err, "filter")
	if n := h.count(t); n != 0 {
		t.Fatalf("%d appeals stored from invalid requests", n)
	}
}

func TestDepartmentsDoNotSeeEachOther(t *testing.T) {
	t.Parallel()
	h := start(t)
	a, err := h.client.CreateAppeal(h.as(t, "clerk.zhd"), &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()})
	if err != nil {
		t.Fatal(err)
	}
	other := h.as(t, "clerk.ind")
	_, err = h.client.GetAppeal(other, &appealsv1.GetAppealRequest{Name: a.GetName()})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("another department's appeal: %v, want NotFound", err)
	}
	missing := "appeals/" + uuid.NewString()
	_, errMissing := h.client.GetAppeal(other, &appealsv1.GetAppealRequest{Name: missing})
	if status.Code(errMissing) != codes.NotFound {
		t.Fatalf("missing appeal: %v", errMissing)
	}
	list, err := h.client.ListAppeals(other, &appealsv1.ListAppealsRequest{Filter: `department = "KUR-ZHD"`})
	if err != nil || len(list.GetAppeals()) != 0 {
		t.Fatalf("clerk.ind listed %d of KUR-ZHD's appeals (%v)", len(list.GetAppeals()), err)
	}
	// A clerk registers for her own department only.
	foreign := newAppeal()
	foreign.Department = "KUR-ZHD"
	if _, err := h.client.CreateAppeal(other, &appealsv1.CreateAppealRequest{Appeal: foreign}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("registering for another department: %v", err)
	}
	// City-wide roles see it.
	if _, err := h.client.GetAppeal(h.as(t, "admin"), &appealsv1.GetAppealRequest{Name: a.GetName()}); err != nil {
		t.Fatalf("admin: %v", err)
	}
}

func TestWithoutTokenUnauthenticated(t *testing.T) {
	t.Parallel()
	h := start(t)
	_, err := h.client.ListAppeals(context.Background(), &appealsv1.ListAppealsRequest{})
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token: %v", err)
	}
	bad := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer not.a.jwt")
	_, err = h.client.CreateAppeal(bad, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()})
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("bad token: %v", err)
	}
}

func TestRegistrationsReachTheStatisticsOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	for range 5 {
		if _, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	var counted int
	for time.Now().Before(deadline) {
		if err := h.Pool.QueryRow(context.Background(),
			"SELECT coalesce(sum(appeals), 0) FROM registrations_daily WHERE department = 'KUR-ZHD' AND section = '0005'").Scan(&counted); err != nil {
			t.Fatal(err)
		}
		if counted >= 5 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would land within this
	if err := h.Pool.QueryRow(context.Background(),
		"SELECT coalesce(sum(appeals), 0) FROM registrations_daily").Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if counted != 5 {
		t.Fatalf("statistics counted %d registrations, want 5", counted)
	}
	var unsent int
	if err := h.Pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox WHERE sent_at IS NULL").Scan(&unsent); err != nil {
		t.Fatal(err)
	}
	if unsent != 0 {
		t.Fatalf("%d events still in the outbox", unsent)
	}
}

func itoa(n int) string { return time.Date(n, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }

func TestDirectoryChangesReachAppeals(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a, err := h.client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()})
	if err != nil {
		t.Fatal(err)
	}
	if a.GetDepartmentDisplayName() != directorytest.Departments[0].Name {
		t.Fatalf("department name %q", a.GetDepartmentDisplayName())
	}
	conn := h.NATS.Connect(t)

	// planning renames the department: appeals shows the new name.
	renamed := directorytest.Departments[0]
	renamed.Name = "Комитет администрации города Хабаровска по управлению Железнодорожным районом"
	directorytest.PublishDepartment(t, conn, renamed, 2)
	directorytest.WaitDepartment(t, h.Pool, renamed.Code, renamed.Name)
	got, err := h.client.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: a.GetName()})
	if err != nil || got.GetDepartmentDisplayName() != renamed.Name {
		t.Fatalf("after rename: %q (%v)", got.GetDepartmentDisplayName(), err)
	}

	// A deactivated department takes no new appeals; the field is named.
	closed := directorytest.Departments[3] // UDVB
	closed.Active = false
	directorytest.PublishDepartment(t, conn, closed, 2)
	deadline := time.Now().Add(10 * time.Second)
	for {
		req := newAppeal()
		req.Department = closed.Code
		_, err = h.client.CreateAppeal(h.as(t, "integrator"), &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: req})
		if status.Code(err) == codes.InvalidArgument || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	testkit.ExpectViolation(t, err, "appeal.department")

	// A token whose department the directory does not know grants nothing.
	tok, err := h.Issuer.Issuer.MintClaims("clerk.zhd", map[string]any{"department": "NO-SUCH"})
	if err != nil {
		t.Fatal(err)
	}
	stranger := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	if _, err := h.client.ListAppeals(stranger, &appealsv1.ListAppealsRequest{}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("unknown department claim: %v", err)
	}
	if _, err := h.client.CreateAppeal(stranger, &appealsv1.CreateAppealRequest{Applicant: applicant(), Appeal: newAppeal()}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("unknown department claim, create: %v", err)
	}
}
