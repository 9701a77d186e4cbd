package open311

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// fakeAppeals is a gRPC stub of the appeals service: it records what it is asked and answers
// from the appeals it holds (newest first), filtering and paging as the real ListAppeals does
// for the conditions the adapter sends.
type fakeAppeals struct {
	appealsv1.UnimplementedAppealServiceServer

	mu      sync.Mutex
	appeals []*appealsv1.Appeal
	creates []*appealsv1.CreateAppealRequest
	lists   []*appealsv1.ListAppealsRequest
	gets    []string
	auth    []string // the authorization metadata of every call
	fail    error    // returned by every call when set

	byRequestID map[string]*appealsv1.Appeal
}

func (f *fakeAppeals) record(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	f.auth = append(f.auth, strings.Join(md.Get("authorization"), "|"))
	return f.fail
}

func (f *fakeAppeals) CreateAppeal(ctx context.Context, req *appealsv1.CreateAppealRequest) (*appealsv1.Appeal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record(ctx); err != nil {
		return nil, err
	}
	f.creates = append(f.creates, req)
	if a, ok := f.byRequestID[req.GetRequestId()]; ok { // AIP-155: a retry gets the first appeal
		return a, nil
	}
	n := len(f.appeals) + 1
	a := proto.Clone(req.GetAppeal()).(*appealsv1.Appeal)
	a.Name = fmt.Sprintf("appeals/00000000-0000-4000-8000-%012d", n)
	a.RegistrationNumber = fmt.Sprintf("2026-%06d", n)
	a.State = appealsv1.AppealState_APPEAL_STATE_REGISTERED
	a.RegisterTime = timestamppb.New(testNow.Add(-time.Hour))
	a.UpdateTime = a.RegisterTime
	dueMarch31(a)
	a.DepartmentDisplayName = "Отдел " + a.Department
	f.appeals = append([]*appealsv1.Appeal{a}, f.appeals...)
	if id := req.GetRequestId(); id != "" {
		f.byRequestID[id] = a
	}
	return a, nil
}

func (f *fakeAppeals) GetAppeal(ctx context.Context, req *appealsv1.GetAppealRequest) (*appealsv1.Appeal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record(ctx); err != nil {
		return nil, err
	}
	f.gets = append(f.gets, req.GetName())
	for _, a := range f.appeals {
		if a.GetName() == req.GetName() {
			return a, nil
		}
	}
	return nil, status.Error(codes.NotFound, req.GetName()+" not found")
}

var (
	codeCond = regexp.MustCompile(`classifier_code = "([^"]+)"`)
	fromCond = regexp.MustCompile(`register_time >= "([^"]+)"`)
	toCond   = regexp.MustCompile(`register_time <= "([^"]+)"`)
)

func (f *fakeAppeals) ListAppeals(ctx context.Context, req *appealsv1.ListAppealsRequest) (*appealsv1.ListAppealsResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record(ctx); err != nil {
		return nil, err
	}
	f.lists = append(f.lists, req)
	code := codeCond.FindStringSubmatch(req.GetFilter())[1]
	from, _ := time.Parse(time.RFC3339Nano, fromCond.FindStringSubmatch(req.GetFilter())[1])
	to, _ := time.Parse(time.RFC3339Nano, toCond.FindStringSubmatch(req.GetFilter())[1])
	var match []*appealsv1.Appeal
	for _, a := range f.appeals {
		t := a.GetRegisterTime().AsTime()
		ok := slices.ContainsFunc(a.GetClassifierCodes(), func(c string) bool {
			p, prefix := strings.CutSuffix(code, "*")
			return c == code || prefix && strings.HasPrefix(c, p)
		})
		if ok && !t.Before(from) && !t.After(to) {
			match = append(match, a)
		}
	}
	offset, _ := strconv.Atoi(req.GetPageToken())
	end := min(offset+int(req.GetPageSize()), len(match))
	resp := &appealsv1.ListAppealsResponse{Appeals: match[offset:end]}
	if end < len(match) {
		resp.NextPageToken = strconv.Itoa(end)
	}
	return resp, nil
}

func (f *fakeAppeals) calls() (creates []*appealsv1.CreateAppealRequest, lists []*appealsv1.ListAppealsRequest, gets, auth []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.creates), slices.Clone(f.lists), slices.Clone(f.gets), slices.Clone(f.auth)
}

// dueMarch31 sets the answer due date 2026-03-31 (built from JSON: the gateway module does not
// require google.golang.org/genproto's date package directly).
func dueMarch31(a *appealsv1.Appeal) {
	var due appealsv1.Appeal
	if err := protojson.Unmarshal([]byte(`{"answerDueDate":{"year":2026,"month":3,"day":31}}`), &due); err != nil {
		panic(err)
	}
	a.AnswerDueDate = due.AnswerDueDate
}

var testNow = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// start serves the adapter over a real gRPC connection to the stub.
func start(t *testing.T) (*fakeAppeals, *httptest.Server) {
	t.Helper()
	fake := &fakeAppeals{byRequestID: map[string]*appealsv1.Appeal{}}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	appealsv1.RegisterAppealServiceServer(srv, fake)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	mux := http.NewServeMux()
	mux.Handle(Prefix, Handler(appealsv1.NewAppealServiceClient(conn), Options{MaxBodyBytes: 8 << 10, Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)}))
	web := httptest.NewServer(mux)
	t.Cleanup(web.Close)
	return fake, web
}

// jwt is an access token shaped like the issuer's (the stub does not verify signatures).
func jwt(sub string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc([]byte(`{"sub":"`+sub+`","roles":["integrator"]}`)) + ".c2lnbmF0dXJl"
}

var token = jwt("integrator-subject")

type result struct {
	status int
	raw    string
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.raw), v); err != nil {
		t.Fatalf("%d %s: %v", r.status, r.raw, err)
	}
}

// errors checks the spec's error body: an array of {code, description} with the HTTP status.
func (r result) errors(t *testing.T, wantStatus int, wantText ...string) {
	t.Helper()
	var errs []apiError
	r.decode(t, &errs)
	if r.status != wantStatus || len(errs) == 0 {
		t.Fatalf("got %d %s, want %d and a GeoReport error array", r.status, r.raw, wantStatus)
	}
	for _, e := range errs {
		if e.Code != wantStatus || e.Description == "" {
			t.Fatalf("error entry %+v in %s", e, r.raw)
		}
	}
	for _, w := range wantText {
		if !strings.Contains(r.raw, w) {
			t.Fatalf("%d %s: want %q in it", r.status, r.raw, w)
		}
	}
}

func call(t *testing.T, method, u, bearer string, form url.Values) result {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("%s %s: Content-Type %q", method, u, ct)
	}
	return result{resp.StatusCode, string(raw)}
}

func TestServicesAndDefinitions(t *testing.T) {
	_, web := start(t)
	base := web.URL + Prefix

	var list []map[string]any
	r := call(t, "GET", base+"services.json", "", nil) // public: no token needed
	r.decode(t, &list)
	if r.status != 200 || len(list) != len(services.list) {
		t.Fatalf("services: %d, %d entries", r.status, len(list))
	}
	var heating map[string]any
	for _, s := range list {
		if s["type"] != "realtime" || s["metadata"] != true || s["service_name"] == "" || s["group"] == "" {
			t.Fatalf("service %v", s)
		}
		if s["service_code"] == "0005.0005.0056.1156" {
			heating = s
		}
	}
	if heating["group"] != "Коммунальное хозяйство" || !strings.Contains(heating["service_name"].(string), "теплоснабжени") {
		t.Fatalf("0005.0005.0056.1156: %v", heating)
	}

	for _, s := range services.list { // every listed service has a definition
		var def serviceDefinition
		r := call(t, "GET", base+"services/"+s.ServiceCode+".json", "", nil)
		r.decode(t, &def)
		if r.status != 200 || def.ServiceCode != s.ServiceCode || len(def.Attributes) != 1 || def.Attributes[0].Code != "district" ||
			len(def.Attributes[0].Values) != 5 || def.Attributes[0].Required {
			t.Fatalf("definition of %s: %d %s", s.ServiceCode, r.status, r.raw)
		}
	}
	call(t, "GET", base+"services/0003.0009.0102.0768.json", "", nil).errors(t, 404, "0003.0009.0102.0768")
	call(t, "GET", base+"services.xml", "", nil).errors(t, 400, "only the JSON format", "services.json")
	call(t, "GET", base+"services/0005.0005.0056.1156.xml", "", nil).errors(t, 400, "JSON")
	call(t, "GET", base+"services", "", nil).errors(t, 404, ".json")
	call(t, "GET", base+"tokens/1.json", "", nil).errors(t, 404)
	r = call(t, "DELETE", base+"services.json", "", nil)
	r.errors(t, 405)
}

func postForm(extra map[string]string) url.Values {
	v := url.Values{
		"service_code":   {"0005.0005.0056.1156"},
		"description":    {"Холодные батареи в квартире"},
		"address_string": {"ул. Ленина, 1, кв. 5, Хабаровск, 680000"},
		"lat":            {"48.4802"},
		"long":           {"135.0719"},
		"media_url":      {"https://portal.example/photo/1.jpg"},
		"first_name":     {"Иван"},
		"last_name":      {"Иванов"},
		"email":          {"ivanov@example.ru"},
		"phone":          {"+7 4212 000000"},
		"device_id":      {"device-1"},
	}
	for k, val := range extra {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	return v
}

func TestPostRequestRegistersAnAppeal(t *testing.T) {
	fake, web := start(t)
	u := web.URL + Prefix + "requests.json"

	r := call(t, "POST", u, token, postForm(map[string]string{"attribute[district]": "ZHD", "account_id": "acc-7"}))
	var out []map[string]any
	r.decode(t, &out)
	if r.status != 200 || len(out) != 1 {
		t.Fatalf("post: %d %s", r.status, r.raw)
	}
	creates, _, _, auth := fake.calls()
	if len(creates) != 1 || auth[0] != "Bearer "+token {
		t.Fatalf("calls %v, authorization %q", creates, auth)
	}
	got := creates[0]
	a := got.GetAppeal()
	wantText := "Холодные батареи в квартире\n\nАдрес: ул. Ленина, 1, кв. 5, Хабаровск, 680000\nКоординаты: 48.4802, 135.0719\nМедиа: https://portal.example/photo/1.jpg"
	if a.GetChannel() != appealsv1.Channel_CHANNEL_ELECTRONIC || a.GetText() != wantText ||
		!slices.Equal(a.GetClassifierCodes(), []string{"0005.0005.0056.1156"}) ||
		a.GetDepartment() != "KUR-ZHD" || a.GetDistrict() != "ZHD" || a.GetAnonymous() {
		t.Fatalf("appeal sent: %v", a)
	}
	if ap := got.GetApplicant(); ap.GetFullName() != "Иванов Иван" || ap.GetEmail() != "ivanov@example.ru" ||
		ap.GetPhone() != "+7 4212 000000" || ap.GetPostalAddress() != "" {
		t.Fatalf("applicant sent: %v", ap)
	}
	if !uuidRE.MatchString(got.GetRequestId()) {
		t.Fatalf("request_id %q: want a UUID derived from device_id", got.GetRequestId())
	}
	if out[0]["service_request_id"] != "00000000-0000-4000-8000-000000000001" || out[0]["account_id"] != "acc-7" ||
		out[0]["service_notice"] != "Обращение зарегистрировано, № 2026-000001. Ответ — не позднее 31.03.2026 (ст. 12 Федерального закона № 59-ФЗ)." {
		t.Fatalf("response %s", r.raw)
	}

	// Read back: the same request, in the spec's fields.
	var one []serviceRequest
	r = call(t, "GET", web.URL+Prefix+"requests/00000000-0000-4000-8000-000000000001.json", token, nil)
	r.decode(t, &one)
	want := serviceRequest{
		ServiceRequestID: "00000000-0000-4000-8000-000000000001", Status: "open",
		ServiceName: services.byCode["0005.0005.0056.1156"].ServiceName, ServiceCode: "0005.0005.0056.1156",
		Description: "Холодные батареи в квартире", AgencyResponsible: "Отдел KUR-ZHD",
		ServiceNotice:     "Обращение зарегистрировано, № 2026-000001. Ответ — не позднее 31.03.2026 (ст. 12 Федерального закона № 59-ФЗ).",
		RequestedDatetime: "2026-03-01T01:00:00Z", UpdatedDatetime: "2026-03-01T01:00:00Z",
		ExpectedDatetime: "2026-03-31T13:59:59Z", // the end of 31 March in Khabarovsk
		Address:          "ул. Ленина, 1, кв. 5, Хабаровск, 680000", Zipcode: "680000",
		MediaURL: "https://portal.example/photo/1.jpg",
	}
	if r.status != 200 || len(one) != 1 || one[0].Lat == nil || *one[0].Lat != 48.4802 || *one[0].Long != 135.0719 {
		t.Fatalf("get: %d %s", r.status, r.raw)
	}
	one[0].Lat, one[0].Long = nil, nil
	if one[0] != want {
		t.Fatalf("get:\n got %+v\nwant %+v", one[0], want)
	}
}

func TestPostRoutesToTheDepartment(t *testing.T) {
	for _, tc := range []struct{ code, district, want string }{
		{"0005.0005.0056.1156", "IND", "KUR-IND"},
		{"0005.0005.0056.1156", "", "OOG"},
		{"0003.0009.0097.0699", "CEN", "UDVB"},
		{"0003.0009.0099.0733", "", "UT"},
		{"0002.0013.0139.0329", "KIR", "UO"},
		{"0003.0011.0127.0866", "KRF", "OOG"},
	} {
		if got := department(tc.code, tc.district); got != tc.want {
			t.Errorf("department(%s, %q) = %s, want %s", tc.code, tc.district, got, tc.want)
		}
	}
}

func TestPostIsIdempotentPerDeviceOrAccount(t *testing.T) {
	fake, web := start(t)
	u := web.URL + Prefix + "requests.json"
	post := func(bearer string, extra map[string]string) string {
		t.Helper()
		var out []created
		r := call(t, "POST", u, bearer, postForm(extra))
		r.decode(t, &out)
		if r.status != 200 {
			t.Fatalf("post: %d %s", r.status, r.raw)
		}
		return out[0].ServiceRequestID
	}
	first := post(token, nil)
	if again := post(token, nil); again != first {
		t.Fatalf("a retried POST registered %s besides %s", again, first)
	}
	if other := post(token, map[string]string{"address_string": "ул. Карла Маркса, 2"}); other == first {
		t.Fatal("another address from the same device is another appeal")
	}
	if other := post(jwt("another-integrator"), nil); other == first {
		t.Fatal("another integrator's request is another appeal")
	}
	byAccount := post(token, map[string]string{"device_id": "", "account_id": "acc-1"})
	if post(token, map[string]string{"device_id": "", "account_id": "acc-1"}) != byAccount {
		t.Fatal("account_id alone makes a retry safe too")
	}
	post(token, map[string]string{"device_id": ""}) // neither: no request_id
	creates, _, _, _ := fake.calls()
	ids := make([]string, len(creates))
	for i, c := range creates {
		ids[i] = c.GetRequestId()
	}
	if ids[0] != ids[1] || ids[0] == ids[2] || ids[0] == ids[3] || ids[4] != ids[5] || ids[6] != "" {
		t.Fatalf("request ids %q", ids)
	}
}

func TestPostCredentials(t *testing.T) {
	fake, web := start(t)
	u := web.URL + Prefix + "requests.json"
	call(t, "POST", u, "", postForm(nil)).errors(t, 403, "api_key")
	call(t, "POST", u, "", postForm(map[string]string{"api_key": "xyz"})).errors(t, 403, "api_key")
	if creates, _, _, _ := fake.calls(); len(creates) != 0 {
		t.Fatalf("registered without credentials: %v", creates)
	}
	// api_key carrying the access token works like the header.
	r := call(t, "POST", u, "", postForm(map[string]string{"api_key": token}))
	if r.status != 200 {
		t.Fatalf("api_key token: %d %s", r.status, r.raw)
	}
	if _, _, _, auth := fake.calls(); auth[0] != "Bearer "+token {
		t.Fatalf("authorization forwarded: %q", auth)
	}
	// The appeals service rejects the token: the spec's 403.
	fake.fail = status.Error(codes.Unauthenticated, "token expired")
	call(t, "POST", u, token, postForm(nil)).errors(t, 403, "token expired")
	fake.fail = status.Error(codes.PermissionDenied, "your role does not register appeals")
	call(t, "POST", u, token, postForm(nil)).errors(t, 403, "your role")
}

func TestPostBadInput(t *testing.T) {
	fake, web := start(t)
	u := web.URL + Prefix + "requests.json"
	call(t, "POST", u, token, postForm(map[string]string{"service_code": ""})).errors(t, 400, "service_code")
	call(t, "POST", u, token, postForm(map[string]string{"service_code": "0001.0001.0001.0001"})).errors(t, 404, "0001.0001.0001.0001")
	r := call(t, "POST", u, token, postForm(map[string]string{"description": " ", "long": "", "attribute[district]": "MSK", "media_url": "ftp://x"}))
	r.errors(t, 400, "description", "lat, long", "attribute[district]", "media_url")
	var errs []apiError
	r.decode(t, &errs)
	if len(errs) != 4 {
		t.Fatalf("want the four problems named: %s", r.raw)
	}
	call(t, "POST", u, token, postForm(map[string]string{"lat": "91"})).errors(t, 400, "lat, long")
	call(t, "POST", u, token, postForm(map[string]string{"address_string": "", "lat": "", "long": "", "address_id": "42"})).errors(t, 400, "address_id")
	call(t, "POST", u, token, postForm(map[string]string{"description": strings.Repeat("я", 5000)})).errors(t, 400, "larger than")
	req, _ := http.NewRequest("POST", u, strings.NewReader(`{"service_code":"0005.0005.0056.1156"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	result{resp.StatusCode, string(raw)}.errors(t, 400, "x-www-form-urlencoded")
	if creates, _, _, _ := fake.calls(); len(creates) != 0 {
		t.Fatalf("bad input reached appeals: %v", creates)
	}

	// What only the appeals service checks comes back naming the Open311 parameter.
	st, _ := status.New(codes.InvalidArgument, "the request has invalid fields").WithDetails(&errdetails.BadRequest{
		FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "applicant.email", Description: "value must be a valid email address"},
			{Field: "appeal.text", Description: "value length must be at most 20000 characters"},
		}})
	fake.fail = st.Err()
	call(t, "POST", u, token, postForm(nil)).errors(t, 400, "email: value must be", "description: value length")
	fake.fail = status.Error(codes.Unavailable, "connection refused 10.0.0.7:9090")
	r = call(t, "POST", u, token, postForm(nil))
	r.errors(t, 503, "retry later")
	if strings.Contains(r.raw, "10.0.0.7") {
		t.Fatalf("a server-side cause leaked: %s", r.raw)
	}
}

func TestPostAnonymous(t *testing.T) {
	fake, web := start(t)
	var out []created
	r := call(t, "POST", web.URL+Prefix+"requests.json", token,
		postForm(map[string]string{"first_name": "", "last_name": "", "email": "", "phone": ""}))
	r.decode(t, &out)
	creates, _, _, _ := fake.calls()
	if r.status != 200 || !creates[0].GetAppeal().GetAnonymous() || creates[0].GetApplicant() != nil {
		t.Fatalf("anonymous: %d %s %v", r.status, r.raw, creates)
	}
	if !strings.Contains(out[0].ServiceNotice, "ответ не направляется") || out[0].AccountID != nil || !strings.Contains(r.raw, `"account_id":null`) {
		t.Fatalf("anonymous notice: %s", r.raw)
	}
}

// seed gives the stub appeals of many kinds, newest first.
func seed(f *fakeAppeals, n int, mk func(i int) *appealsv1.Appeal) {
	for i := range n {
		a := mk(i)
		a.Name = fmt.Sprintf("appeals/10000000-0000-4000-8000-%012d", i)
		a.RegistrationNumber = fmt.Sprintf("2026-%06d", i)
		if a.RegisterTime == nil {
			a.RegisterTime = timestamppb.New(testNow.Add(-time.Duration(i) * time.Hour))
		}
		if a.Text == "" {
			a.Text = "Текст обращения"
		}
		f.appeals = append(f.appeals, a)
	}
}

func TestGetRequestsFilters(t *testing.T) {
	fake, web := start(t)
	states := []appealsv1.AppealState{appealsv1.AppealState_APPEAL_STATE_REGISTERED, appealsv1.AppealState_APPEAL_STATE_ANSWERED,
		appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS, appealsv1.AppealState_APPEAL_STATE_FORWARDED}
	codes := []string{"0005.0005.0056.1156", "0003.0009.0097.0699", "0003.0009.0102.0768" /* not an Open311 service */, "0002.0013.0139.0329"}
	seed(fake, 40, func(i int) *appealsv1.Appeal {
		return &appealsv1.Appeal{State: states[i%4], ClassifierCodes: []string{codes[(i/4)%4]}}
	})
	list := func(query string) []serviceRequest {
		t.Helper()
		var out []serviceRequest
		r := call(t, "GET", web.URL+Prefix+"requests.json?"+query, token, nil)
		r.decode(t, &out)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.raw)
		}
		return out
	}

	all := list("")
	if len(all) != 32 { // 40 minus the 8 on a question outside the service list
		t.Fatalf("all: %d", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].RequestedDatetime < all[i].RequestedDatetime {
			t.Fatalf("not newest first: %v", all)
		}
	}
	_, lists, _, auth := fake.calls()
	if len(lists) != len(topics) || auth[0] != "Bearer "+token {
		t.Fatalf("queries %v", lists)
	}
	wantFilter := `classifier_code = "0005.0005*" AND register_time >= "2025-12-01T02:00:00Z" AND register_time <= "2026-03-01T02:00:00Z"`
	if lists[0].GetFilter() != wantFilter || lists[0].GetPageSize() != 1000 {
		t.Fatalf("filter %q, want %q (the last 90 days)", lists[0].GetFilter(), wantFilter)
	}

	open := list("status=open")
	closed := list("status=closed")
	both := list("status=open,closed")
	repeated := list("status=open&status=closed")
	if len(open) != 16 || len(closed) != 16 || len(both) != 32 || len(repeated) != 32 {
		t.Fatalf("open %d, closed %d, both %d", len(open), len(closed), len(both))
	}
	for _, r := range open {
		if r.Status != "open" {
			t.Fatalf("status=open gave %+v", r)
		}
	}
	if closed[0].Status != "closed" || !strings.HasPrefix(closed[0].StatusNotes, "Дан ответ") && !strings.HasPrefix(closed[0].StatusNotes, "Направлено") {
		t.Fatalf("closed: %+v", closed[0])
	}

	roads := list("service_code=0003.0009.0097.0699&service_code=0002.0013.0139.0329,0003.0009.0097.0699&start_date=2026-02-28T00:00:00Z&end_date=2026-03-01T00:00:00Z")
	_, lists, _, _ = fake.calls()
	last := lists[len(lists)-2:]
	if len(roads) == 0 || !strings.HasPrefix(last[0].GetFilter(), `classifier_code = "0003.0009.0097.0699" AND register_time >= "2026-02-28T00:00:00Z" AND register_time <= "2026-03-01T00:00:00Z"`) ||
		!strings.HasPrefix(last[1].GetFilter(), `classifier_code = "0002.0013.0139.0329"`) {
		t.Fatalf("service_code + dates: %d results, queries %v", len(roads), last)
	}
	for _, r := range roads {
		if r.ServiceCode != "0003.0009.0097.0699" && r.ServiceCode != "0002.0013.0139.0329" || r.RequestedDatetime < "2026-02-28" {
			t.Fatalf("service_code + dates gave %+v", r)
		}
	}

	// An appeal on two questions shows the one asked for.
	fake.mu.Lock()
	fake.appeals[0].ClassifierCodes = []string{"0005.0005.0056.1156", "0003.0009.0099.0733"}
	fake.mu.Unlock()
	if both := list("service_code=0003.0009.0099.0733"); len(both) != 1 || both[0].ServiceCode != "0003.0009.0099.0733" {
		t.Fatalf("two questions: %+v", both)
	}
	if first := list("service_request_id=10000000-0000-4000-8000-000000000000"); first[0].ServiceCode != "0005.0005.0056.1156" {
		t.Fatalf("two questions, by id: %+v", first)
	}

	// service_request_id overrides the other arguments; a missing id is just not there.
	byID := list("service_request_id=10000000-0000-4000-8000-000000000001,%20%2010000000-0000-4000-8000-000000000099,10000000-0000-4000-8000-000000000004&status=open")
	if len(byID) != 2 || byID[0].ServiceRequestID != "10000000-0000-4000-8000-000000000001" || byID[0].Status != "closed" {
		t.Fatalf("by id: %+v", byID)
	}

	bad := func(query string, want ...string) {
		t.Helper()
		call(t, "GET", web.URL+Prefix+"requests.json?"+query, token, nil).errors(t, 400, want...)
	}
	bad("status=pending", "status")
	bad("service_code=9999.9999.9999.9999", "service_code")
	bad("start_date=yesterday", "start_date")
	bad("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 days")
	bad("start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "before start_date")
	bad("service_request_id=42", "not a service request id")
	call(t, "GET", web.URL+Prefix+"requests.json", "", nil).errors(t, 403, "api_key")
}

// TestGetRequestsPagesUntilTheLimit: status is filtered here, so the adapter reads on past
// pages of the other status, and stops at the spec's 1000 requests.
func TestGetRequestsPagesUntilTheLimit(t *testing.T) {
	fake, web := start(t)
	seed(fake, 2600, func(i int) *appealsv1.Appeal {
		st := appealsv1.AppealState_APPEAL_STATE_ANSWERED
		if i >= 1500 {
			st = appealsv1.AppealState_APPEAL_STATE_REGISTERED
		}
		return &appealsv1.Appeal{State: st, ClassifierCodes: []string{"0005.0005.0056.1149"},
			RegisterTime: timestamppb.New(testNow.Add(-time.Duration(i) * time.Minute))}
	})
	var out []serviceRequest
	r := call(t, "GET", web.URL+Prefix+"requests.json?status=open&service_code=0005.0005.0056.1149", token, nil)
	r.decode(t, &out)
	_, lists, _, _ := fake.calls()
	if r.status != 200 || len(out) != 1000 || out[0].ServiceRequestID != "10000000-0000-4000-8000-000000001500" || len(lists) != 3 {
		t.Fatalf("%d: %d results from %d pages", r.status, len(out), len(lists))
	}
}

func TestGetOneRequest(t *testing.T) {
	fake, web := start(t)
	seed(fake, 4, func(i int) *appealsv1.Appeal {
		a := &appealsv1.Appeal{ClassifierCodes: []string{"0003.0009.0099.0733"}, Department: "UT",
			UpdateTime: timestamppb.New(testNow)}
		dueMarch31(a)
		switch i {
		case 0:
			a.State = appealsv1.AppealState_APPEAL_STATE_ANSWERED
			a.Answer = &appealsv1.AppealAnswer{Result: appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED, Text: "Маршрут продлён с 1 апреля."}
		case 1:
			a.State = appealsv1.AppealState_APPEAL_STATE_LEFT_WITHOUT_ANSWER
			a.LeaveReason = appealsv1.LeaveReason_LEAVE_REASON_UNREADABLE
			a.ClosingReason = "текст неразборчив"
		case 2:
			a.State = appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS
			a.Extension = &appealsv1.Extension{Days: 20, Reason: "нужна проверка"}
		case 3:
			a.ClassifierCodes = []string{"0003.0009.0102.0768"}
		}
		return a
	})
	get := func(i int) serviceRequest {
		t.Helper()
		var out []serviceRequest
		r := call(t, "GET", web.URL+Prefix+fmt.Sprintf("requests/10000000-0000-4000-8000-%012d.json", i), token, nil)
		r.decode(t, &out)
		if r.status != 200 || len(out) != 1 {
			t.Fatalf("get %d: %d %s", i, r.status, r.raw)
		}
		return out[0]
	}
	if a := get(0); a.Status != "closed" || a.StatusNotes != "Дан ответ по существу (поддержано): Маршрут продлён с 1 апреля." ||
		a.ServiceNotice != "Обращение зарегистрировано, № 2026-000000." || a.AgencyResponsible != "UT" || a.UpdatedDatetime != "2026-03-01T02:00:00Z" {
		t.Fatalf("answered: %+v", a)
	}
	if a := get(1); a.Status != "closed" || a.StatusNotes != "Оставлено без ответа по существу (текст не поддаётся прочтению): текст неразборчив" {
		t.Fatalf("left without answer: %+v", a)
	}
	if a := get(2); a.Status != "open" || a.StatusNotes != "Срок ответа продлён на 20 дн.: нужна проверка" || a.ExpectedDatetime == "" {
		t.Fatalf("extended: %+v", a)
	}
	base := web.URL + Prefix + "requests/"
	call(t, "GET", base+"10000000-0000-4000-8000-000000000003.json", token, nil).errors(t, 404) // outside the service list
	call(t, "GET", base+"10000000-0000-4000-8000-000000000009.json", token, nil).errors(t, 404)
	call(t, "GET", base+"2026-000001.json", token, nil).errors(t, 404)
	call(t, "GET", base+"10000000-0000-4000-8000-000000000000.xml", token, nil).errors(t, 400, "JSON")
	call(t, "GET", base+"10000000-0000-4000-8000-000000000000.json", "", nil).errors(t, 403)
	if r := call(t, "GET", base+"10000000-0000-4000-8000-000000000000.json?api_key="+token, "", nil); r.status != 200 {
		t.Fatalf("api_key: %d %s", r.status, r.raw)
	}
	if _, _, gets, _ := fake.calls(); len(gets) != 6 {
		t.Fatalf("GetAppeal calls %v", gets)
	}
}

func TestSplitText(t *testing.T) {
	desc, addr, lat, long, media := splitText("Строка 1\nАдрес: не последняя\nСтрока 3\n\nАдрес: ул. Мира, 3\nКоординаты: 48.5, 135.1\n")
	if desc != "Строка 1\nАдрес: не последняя\nСтрока 3" || addr != "ул. Мира, 3" || *lat != 48.5 || *long != 135.1 || media != "" {
		t.Fatalf("%q %q %v %v %q", desc, addr, lat, long, media)
	}
	desc, addr, lat, _, _ = splitText("Просто текст")
	if desc != "Просто текст" || addr != "" || lat != nil {
		t.Fatalf("%q %q %v", desc, addr, lat)
	}
}

func TestUUIDv5(t *testing.T) {
	// RFC 9562's namespace for DNS names and the well-known v5 id of www.example.com.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := uuidV5(dns, []byte("www.example.com"))
	if h != "2ed6657d-e927-568b-95e1-2665a8aea6a2" {
		t.Fatalf("uuid v5 %s", h)
	}
}
