package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/faults"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// The logins the scenarios act as (the dev issuer's demo accounts).
const (
	clerk = "clerk.zhd" // registers and reads appeals of KUR-ZHD
	mayor = "mayor"     // reads the whole city's analytics
)

// Run is a whole `make bench`: dataset, system, scenarios, report. It fails t only when the
// instrument breaks; goals that are missed are reported, not failed.
func Run(t testing.TB, s Settings, root string) *Report {
	t.Helper()
	began := time.Now()
	ctx := context.Background()
	dir := s.Dir
	if dir == "" {
		dir = t.TempDir()
	}
	logs := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	dataDir := s.DataDir
	if dataDir == "" {
		dataDir = filepath.Join(root, ".data")
	}

	// The bench database: a million appeals, the demo year among them.
	t.Logf("creating the bench database %s with %d appeals", s.Database, s.Rows)
	lctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	ds, err := CreateDataset(lctx, dataDir, s.Database, s.Rows)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if !s.KeepDB {
		t.Cleanup(func() {
			cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := ds.Drop(cctx); err != nil {
				t.Logf("dropping %s: %v", ds.Name, err)
			}
		})
	}
	t.Logf("bench database ready in %.1fs: %d appeals", ds.Took.Seconds(), ds.Rows)
	pool, err := pgdb.Open(ctx, ds.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	// The system as deployed, each part its own process.
	var appealsEnv []string
	poolConns := "the services' default"
	if s.PoolConns > 0 {
		appealsEnv = append(appealsEnv, fmt.Sprintf("APPEALS_DATABASE_MAX_CONNS=%d", s.PoolConns))
		poolConns = fmt.Sprintf("%d (BENCH_POOL_CONNS)", s.PoolConns)
	}
	e := faults.Start(t, faults.Options{DatabaseURL: ds.URL, Dir: logs, Production: true, Gateway: true, AppealsEnv: appealsEnv})
	clerkToken, mayorToken := e.Token(clerk), e.Token(mayor)

	r := &Report{Settings: s, Machine: machine(pgInfo(ctx, pool)),
		Dataset: fmt.Sprintf("%d appeals in database %s (loaded in %.0f s: the demo year %d and copies of it in earlier years); appeals pool connections per process: %s",
			ds.Rows, ds.Name, ds.Took.Seconds(), DemoYear, poolConns)}
	procs := []Proc{
		{"appeals api", e.API.PID}, {"appeals relay", e.Relay.PID}, {"appeals consumers", e.Consumers.PID},
		{"gateway", e.Gateway.PID}, {"nats-server", e.Broker.PID}, {"issuer", e.Issuer.PID},
	}
	// On its first start the API destroys the personal data of the demo year's long-closed
	// appeals (59-FZ retention): wait for that job to finish before anything is measured.
	settle(t, pool)
	time.Sleep(2 * time.Second) // idle: started, the directory copy filled, nothing asked yet
	mem := NewMemoryWatch(procs)
	mem.Start()
	lag, err := WatchCommitLag(ctx, e.NATS)
	if err != nil {
		t.Fatal(err)
	}
	defer lag.Stop()

	add := func(x Result) {
		t.Logf("%-48s clients %3d: %8.0f/s p50 %6.1f ms p99 %6.1f ms errors %d %s", x.Name, x.Clients, x.Throughput(),
			float64(x.P50)/1e6, float64(x.P99)/1e6, x.Errors, x.Note)
		r.Results = append(r.Results, x)
	}
	measure := func(d time.Duration, run func(d time.Duration) Result) Result {
		if s.Warmup > 0 {
			run(s.Warmup)
		}
		return run(d)
	}

	// Creates at each concurrency, each beside its baseline.
	restCreate := func(n int64, tg *vegeta.Target) {
		body, _ := protojson.Marshal(newCreate(n))
		tg.Method, tg.URL, tg.Body = http.MethodPost, e.HTTPURL+"/v1/appeals", body
		tg.Header = http.Header{"Authorization": {"Bearer " + clerkToken}, "Content-Type": {"application/json"}}
	}
	for _, c := range s.Clients {
		bctx, cancel := context.WithTimeout(ctx, s.Duration+time.Minute)
		base, err := Baseline(bctx, ds.URL, c, s.Duration, dir)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		add(base)
		for _, sc := range []struct {
			name string
			run  func(d time.Duration) Result
		}{
			{ScGRPCCreate, func(d time.Duration) Result {
				x, err := GRPCCreate(e.GRPCAddr, clerkToken, c, d)
				if err != nil {
					t.Fatal(err)
				}
				return x
			}},
			{ScRESTCreate, func(d time.Duration) Result { return HTTPLoad(ScRESTCreate, c, d, restCreate) }},
		} {
			from := time.Now()
			if s.Warmup > 0 {
				sc.run(s.Warmup)
				from = time.Now()
			}
			x := sc.run(s.Duration)
			x.Baseline = &base
			add(x)
			time.Sleep(300 * time.Millisecond) // the last events of the run arrive
			add(lag.Between(from, time.Now(), fmt.Sprintf("%s, %d clients", sc.name, c), c))
		}
	}

	// Reads: get by id, and the registry list with keyset pages.
	ids := sampleIDs(t, pool, 5000)
	add(measure(s.Duration, func(d time.Duration) Result {
		return HTTPLoad(ScRESTGet, s.ReadClients, d, func(n int64, tg *vegeta.Target) {
			tg.Method, tg.URL = http.MethodGet, e.HTTPURL+"/v1/appeals/"+ids[n%int64(len(ids))]
			tg.Header = http.Header{"Authorization": {"Bearer " + clerkToken}}
		})
	}))
	const listFilter = `classifier_code = "0005.0005*"`
	pages := pageURLs(t, e.HTTPURL, clerkToken, listFilter, 50, 20)
	list := measure(s.Duration, func(d time.Duration) Result {
		return HTTPLoad(ScList, s.ReadClients, d, func(n int64, tg *vegeta.Target) {
			tg.Method, tg.URL = http.MethodGet, pages[n%int64(len(pages))]
			tg.Header = http.Header{"Authorization": {"Bearer " + clerkToken}}
		})
	})
	list.Note = join(fmt.Sprintf("clerk of KUR-ZHD, filter %s, 50 a page, pages 1-%d in turn", listFilter, len(pages)), list.Note)
	add(list)

	// Analytics over the demo year, one user at a time (a person opening the report).
	statsDur := max(2*time.Second, s.Duration/3)
	for _, st := range []struct{ name, from, to string }{
		{ScStatsMonth, "2017-11-01", "2017-11-30"},
		{ScStatsYear, "2017-01-01", "2017-12-31"},
	} {
		u := e.HTTPURL + "/v1/appeals:statistics?" + dateParams("start_date", st.from) + "&" + dateParams("end_date", st.to)
		x := measure(statsDur, func(d time.Duration) Result {
			return HTTPLoad(st.name, 1, d, func(_ int64, tg *vegeta.Target) {
				tg.Method, tg.URL = http.MethodGet, u
				tg.Header = http.Header{"Authorization": {"Bearer " + mayorToken}}
			})
		})
		x.Note = join(fmt.Sprintf("mayor (whole city), %s … %s", st.from, st.to), x.Note)
		add(x)
	}

	r.Memory = mem.Stop()
	r.Took = time.Since(began)
	r.Evaluate()
	return r
}

// settle waits (at most two minutes) until the applicants' data stops changing for 2 s.
func settle(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	began, last, same := time.Now(), -1, 0
	for time.Since(began) < 2*time.Minute && same < 4 {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM applicants WHERE destroy_time IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == last {
			same++
		} else {
			last, same = n, 0
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("retention job settled in %.1fs", time.Since(began).Seconds())
}

// join joins non-empty notes.
func join(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

func pgInfo(ctx context.Context, pool *pgxpool.Pool) (string, string) {
	var version, settings string
	_ = pool.QueryRow(ctx, `SELECT current_setting('server_version'),
		format('max_connections %s, shared_buffers %s, synchronous_commit %s, fsync %s, wal_level %s',
			current_setting('max_connections'), current_setting('shared_buffers'), current_setting('synchronous_commit'),
			current_setting('fsync'), current_setting('wal_level'))`).Scan(&version, &settings)
	return version, settings
}

// sampleIDs picks n appeal names of KUR-ZHD (the clerk's department) at random.
func sampleIDs(t testing.TB, pool *pgxpool.Pool, n int) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(),
		`SELECT id::text FROM appeals TABLESAMPLE SYSTEM (5) WHERE department = 'KUR-ZHD' LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		t.Fatal("bench: no appeals of KUR-ZHD to get")
	}
	return ids
}

// pageURLs walks the first pages of a filtered list as token's holder and returns the URL
// of each page (the first without a token, the others with the previous page's token).
func pageURLs(t testing.TB, base, token, filter string, size, pages int) []string {
	t.Helper()
	q := url.Values{"filter": {filter}, "page_size": {fmt.Sprint(size)}}
	var out []string
	for range pages {
		u := base + "/v1/appeals?" + q.Encode()
		out = append(out, u)
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("bench: list %s: HTTP %d %s", u, resp.StatusCode, body)
		}
		var page struct {
			Appeals       []json.RawMessage `json:"appeals"`
			NextPageToken string            `json:"nextPageToken"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Appeals) != size {
			t.Fatalf("bench: list page %d has %d appeals, want %d", len(out), len(page.Appeals), size)
		}
		if page.NextPageToken == "" {
			break
		}
		q.Set("page_token", page.NextPageToken)
	}
	return out
}

// dateParams is a google.type.Date as query parameters: start_date.year=2017&….
func dateParams(name, day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%[1]s.year=%[2]d&%[1]s.month=%[3]d&%[1]s.day=%[4]d", name, d.Year(), int(d.Month()), d.Day())
}
