package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// Creator sends one CreateAppeal and returns the appeal's name, or an error carrying a gRPC
// status code (REST answers are mapped back to the code their HTTP status stands for).
type Creator func(ctx context.Context, req *appealsv1.CreateAppealRequest) (string, error)

// GRPC creates through the API process's gRPC port as login (signed in now, on the test's
// goroutine).
func (e *Env) GRPC(login string) Creator {
	token := e.Token(login)
	return func(ctx context.Context, req *appealsv1.CreateAppealRequest) (string, error) {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		a, err := e.Client.CreateAppeal(ctx, req)
		return a.GetName(), err
	}
}

// REST creates through the gateway (POST /v1/appeals) as login (signed in now).
func (e *Env) REST(login string) Creator {
	e.Token(login)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	return func(ctx context.Context, req *appealsv1.CreateAppealRequest) (string, error) {
		body, err := protojson.Marshal(req)
		if err != nil {
			return "", err
		}
		var a struct{ Name string }
		_, err = e.do(ctx, hc, http.MethodPost, "/v1/appeals", login, body, &a)
		return a.Name, err
	}
}

// do sends a REST request as login (signed in before, when on another goroutine than the
// test's) and decodes a 200 answer into out. A non-200 answer becomes an error with the gRPC
// code of the AIP-193 body (or of the HTTP status) and "HTTP n" in its message.
func (e *Env) do(ctx context.Context, hc *http.Client, method, path, login string, body []byte, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, e.HTTPURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+e.Token(login))
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, status.Error(codes.DeadlineExceeded, err.Error())
		}
		return 0, status.Error(codes.Unavailable, err.Error())
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, status.Error(codes.Unavailable, err.Error())
	}
	if resp.StatusCode == http.StatusOK {
		if out != nil {
			return resp.StatusCode, json.Unmarshal(raw, out)
		}
		return resp.StatusCode, nil
	}
	var aip struct {
		Error struct{ Status string } `json:"error"`
	}
	code := httpCode(resp.StatusCode)
	if json.Unmarshal(raw, &aip) == nil && aip.Error.Status != "" {
		_ = code.UnmarshalJSON([]byte(`"` + aip.Error.Status + `"`))
	}
	return resp.StatusCode, status.Errorf(code, "HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(raw))
}

func httpCode(s int) codes.Code {
	switch s {
	case http.StatusBadRequest:
		return codes.InvalidArgument
	case http.StatusUnauthorized:
		return codes.Unauthenticated
	case http.StatusForbidden:
		return codes.PermissionDenied
	case http.StatusNotFound:
		return codes.NotFound
	case http.StatusConflict:
		return codes.Aborted
	case http.StatusServiceUnavailable, http.StatusBadGateway:
		return codes.Unavailable
	case http.StatusGatewayTimeout:
		return codes.DeadlineExceeded
	}
	return codes.Internal
}

// Op is one create the workload wants done exactly once: a fixed request and request_id,
// sent again after every retryable failure.
type Op struct {
	N        int
	Req      *appealsv1.CreateAppealRequest
	Login    string
	Acked    string    // the appeal's name from the first success
	AckedAt  time.Time //
	Calls    int
	Last     error // the last failure
	Rejected error // a non-retryable answer: a bug, unless the scenario expects it
}

// Marker is the text that identifies op's appeal in the database.
func Marker(scenario string, n int) string {
	return fmt.Sprintf("Проверка отказоустойчивости %s, операция %d: холодные батареи в квартире", scenario, n)
}

// NewOp makes operation n of a scenario for a clerk of KUR-ZHD: one classifier code, so the
// statistics count it once.
func NewOp(scenario string, n int, login string) *Op {
	return &Op{N: n, Login: login, Req: &appealsv1.CreateAppealRequest{
		RequestId: uuid.NewString(),
		Appeal: &appealsv1.Appeal{
			Channel: appealsv1.Channel_CHANNEL_ELECTRONIC, Text: Marker(scenario, n),
			ClassifierCodes: []string{"0005.0005.0056.1149"}, District: "ZHD",
		},
		Applicant: &appealsv1.Applicant{FullName: "Петров Пётр Петрович", PostalAddress: "680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2"},
	}}
}

// Load is a create workload: workers each doing one Op at a time, pace apart, until Stop.
type Load struct {
	Scenario  string
	create    Creator
	login     string
	pace      time.Duration // pause between one worker's ops
	opTimeout time.Duration // retries of one op stop after this
	callLimit time.Duration // one call

	stop chan struct{}
	wg   sync.WaitGroup

	mu          sync.Mutex
	ops         []*Op
	lastSuccess time.Time
	failures    map[string]int // by gRPC code (and HTTP status)
	slowestFail time.Duration
}

// StartLoad starts workers doing creates as login through create, each pausing pace between
// its ops.
func StartLoad(scenario string, create Creator, login string, workers int, pace time.Duration) *Load {
	l := &Load{Scenario: scenario, create: create, login: login, pace: pace, opTimeout: 30 * time.Second,
		callLimit: 5 * time.Second, stop: make(chan struct{}), failures: map[string]int{}}
	for range workers {
		l.wg.Go(func() {
			for {
				l.do(l.next())
				select {
				case <-l.stop:
					return
				case <-time.After(l.pace):
				}
			}
		})
	}
	return l
}

func (l *Load) next() *Op {
	l.mu.Lock()
	defer l.mu.Unlock()
	op := NewOp(l.Scenario, len(l.ops)+1, l.login)
	l.ops = append(l.ops, op)
	return op
}

// do sends op until it succeeds, gets a non-retryable answer or runs out of time.
func (l *Load) do(op *Op) {
	deadline := time.Now().Add(l.opTimeout)
	for attempt := 0; time.Now().Before(deadline); attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), l.callLimit)
		start := time.Now()
		name, err := l.create(ctx, op.Req)
		cancel()
		l.mu.Lock()
		op.Calls++
		if err == nil {
			op.Acked, op.AckedAt = name, time.Now()
			l.lastSuccess = op.AckedAt
			l.mu.Unlock()
			return
		}
		key := status.Code(err).String()
		if msg := status.Convert(err).Message(); strings.HasPrefix(msg, "HTTP ") {
			key = strings.Fields(msg)[0] + " " + strings.TrimSuffix(strings.Fields(msg)[1], ":")
		}
		l.failures[key]++
		l.slowestFail = max(l.slowestFail, time.Since(start))
		op.Last = err
		if !retryable(status.Code(err)) {
			op.Rejected = err
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
		time.Sleep(min(50*time.Millisecond<<min(attempt, 4), 500*time.Millisecond))
	}
}

func retryable(c codes.Code) bool {
	switch c {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return false
}

// Stop ends the workload: no new ops; ops under way finish their retries.
func (l *Load) Stop() {
	close(l.stop)
	l.wg.Wait()
}

// SuccessAfter waits up to timeout for an acknowledged create after t and returns how long
// after t it came.
func (l *Load) SuccessAfter(t time.Time, timeout time.Duration) (time.Duration, bool) {
	var at time.Time
	_, ok := until(timeout, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		at = l.lastSuccess
		return at.After(t)
	})
	return at.Sub(t), ok
}

// AckedBetween counts ops acknowledged in [from, to).
func (l *Load) AckedBetween(from, to time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, op := range l.ops {
		if !op.AckedAt.IsZero() && !op.AckedAt.Before(from) && op.AckedAt.Before(to) {
			n++
		}
	}
	return n
}

// Ops are the operations so far (call after Stop).
func (l *Load) Ops() []*Op { return l.ops }

// Failures describes the failed calls by code, e.g. "Unavailable 12, HTTP 503 3".
func (l *Load) Failures() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]string, 0, len(l.failures))
	for k := range l.failures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, l.failures[k]))
	}
	if len(parts) == 0 {
		return "no failed calls"
	}
	return "failed calls: " + strings.Join(parts, ", ") + fmt.Sprintf(" (slowest %.2fs)", l.slowestFail.Seconds())
}

// FailureCount is the number of failed calls with the given key ("Unavailable", "HTTP 503").
func (l *Load) FailureCount(keys ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k, v := range l.failures {
		for _, want := range keys {
			if k == want {
				n += v
			}
		}
	}
	return n
}

// TotalFailures is the number of failed calls.
func (l *Load) TotalFailures() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, v := range l.failures {
		n += v
	}
	return n
}

// httpFailures is the number of failed calls answered with an HTTP status.
func (l *Load) httpFailures() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k, v := range l.failures {
		if strings.HasPrefix(k, "HTTP ") {
			n += v
		}
	}
	return n
}
