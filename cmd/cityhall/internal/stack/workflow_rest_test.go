package stack_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The 59-FZ workflow over REST: the applicant in the body, custom methods with the etag, the
// applicant read with its purpose, and a 10 MB attachment through the gateway and back.
func TestRESTWorkflowApplicantAndAttachment(t *testing.T) {
	s := start(t)
	a := s.do("POST", "/v1/appeals", "clerk.zhd", []byte(heating))
	if a.Status != 200 || a.Body["anonymous"] != false {
		t.Fatalf("create: %d %s", a.Status, a.Raw)
	}
	name := a.Body["name"].(string)
	step := func(login, method, extra string, etag any) response {
		return s.do("POST", "/v1/"+name+":"+method, login, fmt.Appendf(nil, `{"etag":%q%s}`, etag, extra))
	}
	r := step("clerk.zhd", "assign", `,"executor":"clerk.zhd"`, a.Body["etag"])
	if r.Status != 200 || r.Body["state"] != "APPEAL_STATE_ASSIGNED" {
		t.Fatalf("assign: %d %s", r.Status, r.Raw)
	}
	if stale := step("clerk.zhd", "start", "", a.Body["etag"]); stale.Status != 409 || !strings.Contains(string(stale.Raw), "ETAG_MISMATCH") {
		t.Fatalf("stale etag: %d %s", stale.Status, stale.Raw)
	}
	if ext := step("clerk.zhd", "extend", `,"days":10,"reason":"экспертиза"`, r.Body["etag"]); ext.Status != 403 || !strings.Contains(string(ext.Raw), "NOT_A_HEAD") {
		t.Fatalf("a clerk extends: %d %s", ext.Status, ext.Raw)
	}
	r = step("head.zhd", "extend", `,"days":10,"reason":"экспертиза"`, r.Body["etag"])
	if r.Status != 200 {
		t.Fatalf("extend: %d %s", r.Status, r.Raw)
	}
	if again := step("head.zhd", "extend", `,"days":10,"reason":"ещё"`, r.Body["etag"]); again.Status != 400 || !strings.Contains(string(again.Raw), "EXTENSION_ALREADY_USED") {
		t.Fatalf("second extension: %d %s", again.Status, again.Raw)
	}
	r = step("clerk.zhd", "start", "", r.Body["etag"])
	r = step("clerk.zhd", "answer", `,"text":"Батареи отремонтированы","result":"ANSWER_RESULT_SUPPORTED","signer":"Попов Д. С."`, r.Body["etag"])
	if r.Status != 200 || r.Body["state"] != "APPEAL_STATE_ANSWERED" {
		t.Fatalf("answer: %d %s", r.Status, r.Raw)
	}
	hist := s.do("GET", "/v1/"+name+"/history", "clerk.zhd", nil)
	if entries, _ := hist.Body["entries"].([]any); hist.Status != 200 || len(entries) != 5 {
		t.Fatalf("history: %d %s", hist.Status, hist.Raw)
	}

	p := s.do("GET", "/v1/"+name+"/applicant?purpose="+urlq("подготовка ответа"), "clerk.zhd", nil)
	if p.Status != 200 || p.Body["fullName"] != "Петров Пётр Петрович" {
		t.Fatalf("applicant: %d %s", p.Status, p.Raw)
	}
	if r := s.do("GET", "/v1/"+name+"/applicant?purpose="+urlq("проверка"), "admin", nil); r.Status != 403 {
		t.Fatalf("the admin reads personal data: %d %s", r.Status, r.Raw)
	}
	audit := s.do("GET", "/v1/auditRecords", "auditor", nil)
	if records, _ := audit.Body["records"].([]any); audit.Status != 200 || len(records) != 1 {
		t.Fatalf("audit: %d %s", audit.Status, audit.Raw)
	}

	// 10 MB travels base64-encoded in JSON: the gateway's upload route and the service take it.
	file := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, 10<<20-9)...)
	body := fmt.Appendf(nil, `{"filename":"Скан письма.pdf","contentType":"application/pdf","content":%q}`, base64.StdEncoding.EncodeToString(file))
	up := s.do("POST", "/v1/"+name+"/attachments", "clerk.zhd", body)
	if up.Status != 200 || up.Body["sizeBytes"] != fmt.Sprint(len(file)) {
		t.Fatalf("upload: %d %.300s", up.Status, up.Raw)
	}
	req, _ := http.NewRequest("GET", s.URL+"/v1/"+up.Body["name"].(string)+":download", nil)
	req.Header.Set("Authorization", "Bearer "+s.token("clerk.zhd"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(got, file) || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d, %d bytes, %q, %q", resp.StatusCode, len(got), resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
}
