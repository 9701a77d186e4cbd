package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/demo"
	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/stack"
	"github.com/jackc/pgx/v5"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// system is the whole stack on a fresh database, an embedded NATS and random ports.
type system struct {
	*stack.Stack
	t     *testing.T
	dbURL map[string]string // each service's database
}

func start(t *testing.T) *system {
	t.Helper()
	ns := testkit.NewNATSServer(t)
	dbURL := map[string]string{}
	addrs := map[string]string{}
	for _, svc := range stack.Services {
		dbURL[svc], addrs[svc] = testkit.PostgresURL(t, nil), "127.0.0.1:0"
	}
	st, err := stack.Start(context.Background(), stack.Options{
		DataDir:     t.TempDir(),
		HTTPAddr:    "127.0.0.1:0",
		GRPCAddrs:   addrs,
		DatabaseURL: dbURL,
		NATSURL:     ns.URL,
		StaticDir:   t.TempDir(),
		Logger:      logging.New("cityhall", "warn"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return &system{Stack: st, t: t, dbURL: dbURL}
}

func (s *system) token(login string) string {
	tok, err := s.Issuer.Mint(login)
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

type response struct {
	Status int
	Body   map[string]any
	Raw    []byte
}

// do sends a REST request as login ("" = no token).
func (s *system) do(method, path, login string, body []byte) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+s.token(login))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, Raw: raw}
	_ = json.Unmarshal(raw, &r.Body)
	return r
}

func (s *system) total() int {
	s.t.Helper()
	r := s.do("GET", "/v1/appeals?page_size=1000", "admin", nil)
	if r.Status != 200 {
		s.t.Fatalf("list as admin: %d %s", r.Status, r.Raw)
	}
	list, _ := r.Body["appeals"].([]any)
	return len(list)
}

// applicantJSON is a citizen with a name and a postal address (the appeal is not anonymous).
const applicantJSON = `{"fullName":"Петров Пётр Петрович","postalAddress":"680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2"}`

// heating is a CreateAppeal body: over REST the whole request, the applicant beside the appeal.
const heating = `{"appeal":{"channel":"CHANNEL_ELECTRONIC","text":"Холодные батареи в квартире","classifierCodes":["0005.0005.0056.1156"],"district":"ZHD"},"applicant":` + applicantJSON + `}`

func TestRESTCreateGetList(t *testing.T) {
	s := start(t)
	created := s.do("POST", "/v1/appeals", "clerk.zhd", []byte(heating))
	if created.Status != 200 {
		t.Fatalf("create: %d %s", created.Status, created.Raw)
	}
	name := created.Body["name"].(string)
	if created.Body["department"] != "KUR-ZHD" || created.Body["state"] != "APPEAL_STATE_REGISTERED" {
		t.Fatalf("created %s", created.Raw)
	}
	got := s.do("GET", "/v1/"+name, "clerk.zhd", nil)
	if got.Status != 200 || got.Body["registrationNumber"] != created.Body["registrationNumber"] {
		t.Fatalf("get: %d %s", got.Status, got.Raw)
	}
	list := s.do("GET", `/v1/appeals?filter=`+urlq(`classifier_code = "0005.0005*"`), "clerk.zhd", nil)
	if list.Status != 200 || len(list.Body["appeals"].([]any)) != 1 {
		t.Fatalf("list: %d %s", list.Status, list.Raw)
	}

	// The same appeal is there over gRPC too.
	conn, err := grpc.NewClient(s.GRPC["appeals"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+s.token("clerk.zhd"))
	a, err := appealsv1.NewAppealServiceClient(conn).GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: name})
	if err != nil || a.GetRegistrationNumber() != created.Body["registrationNumber"] {
		t.Fatalf("gRPC get: %v %v", a, err)
	}
}

func TestRESTRetryWithRequestID(t *testing.T) {
	s := start(t)
	id := uuid.NewString()
	withID := func(body string) []byte { return []byte(`{"requestId":"` + id + `",` + body[1:]) }
	first := s.do("POST", "/v1/appeals", "clerk.zhd", withID(heating))
	again := s.do("POST", "/v1/appeals", "clerk.zhd", withID(heating))
	if first.Status != 200 || again.Status != 200 || first.Body["name"] != again.Body["name"] {
		t.Fatalf("retry: %d %v / %d %v", first.Status, first.Body["name"], again.Status, again.Body["name"])
	}
	other := s.do("POST", "/v1/appeals", "clerk.zhd", withID(strings.Replace(heating, "Холодные", "Горячие", 1)))
	if other.Status != 409 || !strings.Contains(string(other.Raw), "REQUEST_ID_REUSED") {
		t.Fatalf("reuse with another body: %d %s", other.Status, other.Raw)
	}
	if n := s.total(); n != 1 {
		t.Fatalf("%d appeals stored, want 1", n)
	}
}

func TestRESTBadInputGets400WithTheFieldNamed(t *testing.T) {
	s := start(t)
	huge := fmt.Sprintf(`{"appeal":{"channel":"CHANNEL_LETTER","text":%q,"classifierCodes":["0005.0005.0056.1156"]}}`, strings.Repeat("я", 600_000))
	cases := []struct {
		name, method, path, body, field string
	}{
		{"missing appeal", "POST", "/v1/appeals", `{}`, "appeal"},
		{"missing fields", "POST", "/v1/appeals", `{"appeal":{}}`, "appeal.channel"},
		{"missing text", "POST", "/v1/appeals", `{"appeal":{"channel":"CHANNEL_LETTER","classifierCodes":["0005.0005.0056.1156"]}}`, "appeal.text"},
		{"unknown classifier code", "POST", "/v1/appeals", `{"appeal":{"channel":"CHANNEL_LETTER","text":"x","classifierCodes":["0005.0005.0056.9999"]},"applicant":` + applicantJSON + `}`, "appeal.classifier_codes[0]"},
		{"unknown department", "POST", "/v1/appeals", `{"appeal":{"channel":"CHANNEL_LETTER","text":"x","classifierCodes":["0005.0005.0056.1156"],"department":"NOPE"},"applicant":` + applicantJSON + `}`, "appeal.department"},
		{"no applicant", "POST", "/v1/appeals", `{"appeal":{"channel":"CHANNEL_LETTER","text":"x","classifierCodes":["0005.0005.0056.1156"]}}`, "applicant"},
		{"malformed JSON", "POST", "/v1/appeals", `{"appeal":{"channel": "CHANNEL_LETTER", "text": `, "body"},
		{"wrong JSON type", "POST", "/v1/appeals", `{"appeal":{"channel":"CHANNEL_LETTER","text":42}}`, "body"},
		{"oversize body", "POST", "/v1/appeals", huge, "body"},
		{"huge page_size", "GET", "/v1/appeals?page_size=100000", "", "page_size"},
		{"page_size not a number", "GET", "/v1/appeals?page_size=lots", "", "query"},
		{"bad filter", "GET", "/v1/appeals?filter=" + urlq("state = MAYBE"), "", "filter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			login := "clerk.zhd"
			if c.name == "unknown department" {
				login = "integrator"
			}
			r := s.do(c.method, c.path, login, []byte(c.body))
			if r.Status != 400 {
				t.Fatalf("status %d, want 400: %.300s", r.Status, r.Raw)
			}
			if !strings.Contains(string(r.Raw), `"field":"`+c.field+`"`) {
				t.Fatalf("no violation of %s in %.500s", c.field, r.Raw)
			}
			if strings.Contains(strings.ToLower(string(r.Raw)), "sql") || strings.Contains(string(r.Raw), "goroutine") {
				t.Fatalf("internals leaked: %.300s", r.Raw)
			}
		})
	}
	if n := s.total(); n != 0 {
		t.Fatalf("%d appeals stored from bad requests", n)
	}
}

func TestRESTAccessControl(t *testing.T) {
	s := start(t)
	created := s.do("POST", "/v1/appeals", "clerk.zhd", []byte(heating))
	name := created.Body["name"].(string)
	if r := s.do("GET", "/v1/"+name, "clerk.ind", nil); r.Status != 404 {
		t.Fatalf("another department's appeal: %d %s", r.Status, r.Raw)
	}
	if r := s.do("GET", "/v1/"+name, "", nil); r.Status != 401 {
		t.Fatalf("no token: %d %s", r.Status, r.Raw)
	}
	if r := s.do("GET", "/v1/appeals", "", nil); r.Status != 401 {
		t.Fatalf("no token list: %d", r.Status)
	}
	if r := s.do("POST", "/v1/appeals", "", []byte(heating)); r.Status != 401 {
		t.Fatalf("no token create: %d", r.Status)
	}
	if s.total() != 1 {
		t.Fatal("an unauthenticated create stored something")
	}
}

func TestEdgeEndpoints(t *testing.T) {
	s := start(t)
	r := s.do("GET", "/openapi.json", "", nil)
	if r.Status != 200 || !strings.HasPrefix(fmt.Sprint(r.Body["openapi"]), "3.1") {
		t.Fatalf("openapi.json: %d %.200s", r.Status, r.Raw)
	}
	if paths, _ := r.Body["paths"].(map[string]any); paths["/v1/appeals"] == nil {
		t.Fatalf("openapi.json lacks /v1/appeals")
	}
	for _, p := range []string{"/healthz", "/readyz", "/oidc/.well-known/openid-configuration"} {
		if r := s.do("GET", p, "", nil); r.Status != 200 {
			t.Fatalf("%s: %d", p, r.Status)
		}
	}
	if r := s.do("GET", "/v1/no-such-thing", "clerk.zhd", nil); r.Status != 404 || r.Body["error"] == nil {
		t.Fatalf("unknown API path: %d %s", r.Status, r.Raw)
	}
}

func urlq(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "*", "%2A", "=", "%3D").Replace(s)
}

func TestDemoDataLoadsOnce(t *testing.T) {
	s := start(t)
	conn, err := grpc.NewClient(s.GRPC["appeals"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n, err := demo.Load(context.Background(), conn, s.token("integrator"), 300)
	if err != nil || n != 300 {
		t.Fatalf("first load: %d, %v", n, err)
	}
	if n, err := demo.Load(context.Background(), conn, s.token("integrator"), 300); err != nil || n != 0 {
		t.Fatalf("second load added %d (%v)", n, err)
	}
	if got := s.total(); got != 300 {
		t.Fatalf("%d appeals after two loads, want 300", got)
	}
}

func TestDirectoryOverRESTAndItsChangesReachAppeals(t *testing.T) {
	s := start(t)
	list := s.do("GET", "/v1/departments", "clerk.zhd", nil)
	deps, _ := list.Body["departments"].([]any)
	if list.Status != 200 || len(deps) < 16 {
		t.Fatalf("departments: %d, %d rows", list.Status, len(deps))
	}
	for _, p := range []string{"/v1/districts", "/v1/officials", "/v1/departments/KUR-ZHD"} {
		if r := s.do("GET", p, "clerk.ind", nil); r.Status != 200 {
			t.Fatalf("%s: %d %s", p, r.Status, r.Raw)
		}
	}
	appeal := s.do("POST", "/v1/appeals", "clerk.zhd", []byte(heating))
	if appeal.Status != 200 {
		t.Fatalf("create: %d %s", appeal.Status, appeal.Raw)
	}

	dept := s.do("GET", "/v1/departments/KUR-ZHD", "admin", nil)
	etag := dept.Body["etag"].(string)
	rename := func(login, etag, name string) response {
		return s.do("PATCH", "/v1/departments/KUR-ZHD", login, fmt.Appendf(nil, `{"displayName":%q,"etag":%q}`, name, etag))
	}
	if r := rename("clerk.zhd", etag, "Чужое имя"); r.Status != 403 {
		t.Fatalf("clerk renamed the department: %d %s", r.Status, r.Raw)
	}
	if r := rename("admin", "999", "Устаревшее имя"); r.Status != 409 {
		t.Fatalf("stale etag: %d %s", r.Status, r.Raw)
	}
	newName := "Комитет администрации города Хабаровска по Железнодорожному району"
	if r := rename("admin", etag, newName); r.Status != 200 || r.Body["displayName"] != newName {
		t.Fatalf("admin rename: %d %s", r.Status, r.Raw)
	}
	waitFor(t, func() bool {
		got := s.do("GET", "/v1/"+appeal.Body["name"].(string), "clerk.zhd", nil)
		return got.Body["departmentDisplayName"] == newName
	}, "the appeal shows the department's new name")

	if r := s.do("POST", "/v1/departments/UDVB:deactivate", "admin", []byte(`{}`)); r.Status != 200 || r.Body["active"] != false {
		t.Fatalf("deactivate: %d %s", r.Status, r.Raw)
	}
	body := `{"appeal":{"channel":"CHANNEL_LETTER","text":"Яма на дороге","classifierCodes":["0003.0009.0097.0699"],"department":"UDVB"},"applicant":` + applicantJSON + `}`
	waitFor(t, func() bool {
		r := s.do("POST", "/v1/appeals", "integrator", []byte(body))
		return r.Status == 400 && strings.Contains(string(r.Raw), `"field":"appeal.department"`)
	}, "a deactivated department refuses new appeals with the field named")
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("not within 10s: %s", what)
}

// departments reads code|name|active of every department from a service's database table.
func (s *system) departments(service, table string) []string {
	s.t.Helper()
	pool, err := pgdb.Open(context.Background(), s.dbURL[service])
	if err != nil {
		s.t.Fatal(err)
	}
	defer pool.Close()
	rows, err := pool.Query(context.Background(), "SELECT code || '|' || name || '|' || active FROM "+table+" ORDER BY code")
	if err != nil {
		s.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func TestAppealsCopyOfTheDirectoryEqualsPlannings(t *testing.T) {
	s := start(t)
	// appeals started with an empty copy and built it from the DIRECTORY stream.
	same := func() bool {
		return slices.Equal(s.departments("planning", "departments"), s.departments("appeals", "directory_departments"))
	}
	waitFor(t, same, "the copy equals the source after start")
	if n := len(s.departments("appeals", "directory_departments")); n < 16 {
		t.Fatalf("copy has %d departments", n)
	}
	etag := s.do("GET", "/v1/departments/UO", "admin", nil).Body["etag"].(string)
	if r := s.do("PATCH", "/v1/departments/UO", "admin", fmt.Appendf(nil, `{"displayName":"Управление образования и науки","etag":%q}`, etag)); r.Status != 200 {
		t.Fatalf("rename: %d %s", r.Status, r.Raw)
	}
	s.do("POST", "/v1/departments/UK:deactivate", "admin", []byte(`{}`))
	waitFor(t, same, "the copy equals the source after changes")
}
