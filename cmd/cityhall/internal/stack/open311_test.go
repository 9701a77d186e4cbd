package stack_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// open311 calls the GeoReport v2 adapter as login ("" = no token).
func (s *system) open311(method, path, login string, form url.Values) (int, []map[string]any, string) {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.URL+"/open311/v2/"+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+s.token(login))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out []map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, string(raw)
}

func TestOpen311PostAndRead(t *testing.T) {
	s := start(t)
	st, services, raw := s.open311("GET", "services.json", "", nil)
	if st != 200 || len(services) < 100 {
		t.Fatalf("services: %d %.300s", st, raw)
	}
	if st, _, raw := s.open311("GET", "services/0005.0005.0056.1156.json", "", nil); st != 200 || !strings.Contains(raw, `"code":"district"`) {
		t.Fatalf("definition: %d %s", st, raw)
	}
	form := url.Values{
		"service_code": {"0005.0005.0056.1156"}, "description": {"Холодные батареи в квартире"},
		"address_string": {"ул. Ленина, 1, Хабаровск"}, "lat": {"48.4802"}, "long": {"135.0719"},
		"attribute[district]": {"ZHD"}, "first_name": {"Иван"}, "last_name": {"Иванов"},
		"email": {"ivanov@example.ru"}, "device_id": {"device-1"}, "account_id": {"acc-1"},
	}
	st, created, raw := s.open311("POST", "requests.json", "integrator", form)
	if st != 200 || len(created) != 1 || created[0]["account_id"] != "acc-1" {
		t.Fatalf("post: %d %s", st, raw)
	}
	id, _ := created[0]["service_request_id"].(string)
	notice, _ := created[0]["service_notice"].(string)
	if len(id) != 36 || !strings.Contains(notice, "№ ") || !strings.Contains(notice, "не позднее") {
		t.Fatalf("post answer: %s", raw)
	}
	if st, again, raw := s.open311("POST", "requests.json", "integrator", form); st != 200 || again[0]["service_request_id"] != id {
		t.Fatalf("retried post: %d %s", st, raw)
	}
	if n := s.total(); n != 1 {
		t.Fatalf("%d appeals stored after a retried POST, want 1", n)
	}
	got := s.do("GET", "/v1/appeals/"+id, "clerk.zhd", nil)
	if got.Status != 200 || got.Body["department"] != "KUR-ZHD" || got.Body["channel"] != "CHANNEL_ELECTRONIC" ||
		got.Body["district"] != "ZHD" || !strings.HasSuffix(got.Body["text"].(string), "Адрес: ул. Ленина, 1, Хабаровск\nКоординаты: 48.4802, 135.0719") {
		t.Fatalf("the appeal over /v1: %d %s", got.Status, got.Raw)
	}
	st, one, raw := s.open311("GET", "requests/"+id+".json", "integrator", nil)
	if st != 200 || len(one) != 1 || one[0]["status"] != "open" || one[0]["service_code"] != "0005.0005.0056.1156" ||
		one[0]["description"] != "Холодные батареи в квартире" || one[0]["address"] != "ул. Ленина, 1, Хабаровск" ||
		one[0]["lat"] != 48.4802 || one[0]["expected_datetime"] == nil || one[0]["agency_responsible"] == "" {
		t.Fatalf("get one: %d %s", st, raw)
	}
	for _, q := range []string{"", "?status=open", "?service_code=0005.0005.0056.1156", "?service_request_id=" + id} {
		st, list, raw := s.open311("GET", "requests.json"+q, "integrator", nil)
		if st != 200 || len(list) != 1 || list[0]["service_request_id"] != id {
			t.Fatalf("list %q: %d %s", q, st, raw)
		}
	}
	if st, list, raw := s.open311("GET", "requests.json?status=closed", "integrator", nil); st != 200 || len(list) != 0 {
		t.Fatalf("closed: %d %s", st, raw)
	}
	for _, tc := range []struct {
		method, path, login string
		form                url.Values
		want                int
	}{
		{"POST", "requests.json", "", form, 403},
		{"GET", "requests.json", "", nil, 403},
		{"POST", "requests.json", "integrator", url.Values{"description": {"x"}}, 400},
		{"POST", "requests.json", "integrator", url.Values{"service_code": {"0001.0001.0001.0001"}, "description": {"x"}}, 404},
		{"GET", "requests/00000000-0000-4000-8000-000000000000.json", "integrator", nil, 404},
		{"GET", "requests.xml", "integrator", nil, 400},
		{"GET", "requests/" + id + ".json", "clerk.ind", nil, 404}, // another district's clerk
	} {
		st, errs, raw := s.open311(tc.method, tc.path, tc.login, tc.form)
		if st != tc.want || len(errs) == 0 || errs[0]["code"] != float64(tc.want) || errs[0]["description"] == "" {
			t.Errorf("%s %s as %q: %d %s, want %d in the GeoReport error shape", tc.method, tc.path, tc.login, st, raw, tc.want)
		}
	}
}
