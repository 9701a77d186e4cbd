// Package bench is `make bench` (issue 6): it measures the hot paths of the appeals service
// against the machine's own limits. It starts the system as deployed (the appeals API, relay
// and consumers as separate processes, nats-server, the dev issuer and the REST gateway, all
// on loopback: the fault-test harness cmd/cityhall/internal/faults), on a bench database of a
// million appeals on the PostgreSQL `make run` would use, and loads it from this process with
// ghz (gRPC) and vegeta (HTTP). In the same run pgbench measures the baseline: the same
// transaction shape as a create (insert an appeal row and an outbox row in one transaction)
// against the same PostgreSQL at the same concurrency. Every scenario's throughput, p50 and
// p99 and its ratio to the baseline go into a table with the goals of the issue;
// docs/BENCHMARKS.md explains them.
package bench

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Settings are the knobs of a run (BENCH_* environment variables, see scripts/bench.sh).
type Settings struct {
	Duration    time.Duration // each load scenario, BENCH_DURATION (default 15s)
	Warmup      time.Duration // unmeasured load before each scenario, BENCH_WARMUP (default 2s)
	Clients     []int         // concurrent clients of the create scenarios, BENCH_CLIENTS (default 32,64)
	ReadClients int           // concurrent clients of get and list, BENCH_READ_CLIENTS (default 32)
	Rows        int           // appeals in the bench database, BENCH_ROWS (default 1,000,000)
	Database    string        // BENCH_DATABASE (default bench_appeals), dropped after the run
	KeepDB      bool          // BENCH_KEEP_DB=1 keeps the database for a look afterwards
	Dir         string        // BENCH_DIR: results.md and the processes' logs (default: a temp dir)
	DataDir     string        // where `make run` keeps its private cluster (.data), if it needs one
	PoolConns   int           // BENCH_POOL_CONNS: APPEALS_DATABASE_MAX_CONNS of the appeals processes (default: theirs)
}

// FromEnv reads the settings over the defaults.
func FromEnv() (Settings, error) {
	s := Settings{
		Duration: 15 * time.Second, Warmup: 2 * time.Second, Clients: []int{32, 64}, ReadClients: 32,
		Rows: 1_000_000, Database: "bench_appeals", KeepDB: os.Getenv("BENCH_KEEP_DB") == "1",
		Dir: os.Getenv("BENCH_DIR"), DataDir: os.Getenv("BENCH_DATA_DIR"),
	}
	var errs []string
	dur := func(name string, into *time.Duration) {
		if v := os.Getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				errs = append(errs, fmt.Sprintf("%s=%q: not a duration like 15s", name, v))
				return
			}
			*into = d
		}
	}
	num := func(name string, into *int) {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
			if err != nil || n <= 0 {
				errs = append(errs, fmt.Sprintf("%s=%q: not a positive number", name, v))
				return
			}
			*into = n
		}
	}
	dur("BENCH_DURATION", &s.Duration)
	dur("BENCH_WARMUP", &s.Warmup)
	num("BENCH_READ_CLIENTS", &s.ReadClients)
	num("BENCH_ROWS", &s.Rows)
	num("BENCH_POOL_CONNS", &s.PoolConns)
	if v := os.Getenv("BENCH_CLIENTS"); v != "" {
		s.Clients = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 || n > 1024 {
				errs = append(errs, fmt.Sprintf("BENCH_CLIENTS=%q: a list of client counts like 32,64", v))
				break
			}
			s.Clients = append(s.Clients, n)
		}
	}
	if v := os.Getenv("BENCH_DATABASE"); v != "" {
		s.Database = v
	}
	if s.Duration < time.Second {
		errs = append(errs, "BENCH_DURATION must be at least 1s")
	}
	if len(errs) > 0 {
		return s, fmt.Errorf("bench settings: %s", strings.Join(errs, "; "))
	}
	return s, nil
}

// Result is one measured scenario.
type Result struct {
	Name     string
	Clients  int
	Requests int           // completed successfully
	Errors   int           // failed calls (any non-success answer or transport error)
	Elapsed  time.Duration // measured wall time
	P50, P99 time.Duration
	Baseline *Result // the pgbench run this scenario's throughput is compared with
	Note     string
	Latency  bool // a latency-only row (no throughput), e.g. commit → consumer
}

// Throughput is successful requests per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Ratio is the throughput over the baseline's, NaN without a baseline.
func (r Result) Ratio() float64 {
	if r.Baseline == nil || r.Baseline.Throughput() == 0 {
		return math.NaN()
	}
	return r.Throughput() / r.Baseline.Throughput()
}

// Memory is one process's resident set size idle and the most seen under load.
type Memory struct {
	Process   string
	Idle, Max int64 // bytes
}

// Goal is one goal of the issue and whether the run met it.
type Goal struct {
	What     string
	Target   string
	Measured string
	Met      bool
	Missing  bool // the scenario did not run
}

// Report is a whole run.
type Report struct {
	Machine  string
	Settings Settings
	Results  []Result
	Memory   []Memory
	Goals    []Goal
	Dataset  string
	Took     time.Duration
}

// Find returns the result named name (and at clients, when clients > 0).
func (r *Report) Find(name string, clients int) (Result, bool) {
	for _, x := range r.Results {
		if x.Name == name && (clients == 0 || x.Clients == clients) {
			return x, true
		}
	}
	return Result{}, false
}

// Scenario names, as the table shows them.
const (
	ScBaseline   = "pgbench baseline (insert appeal + outbox row)"
	ScGRPCCreate = "create appeal, gRPC"
	ScRESTCreate = "create appeal, REST"
	ScRESTGet    = "get appeal by id, REST"
	ScList       = "list, filter + keyset pages, 1M rows, REST"
	ScStatsMonth = "analytics: one month, REST"
	ScStatsYear  = "analytics: the year, REST"
	ScCommitLag  = "commit → JetStream consumer"
)

// Evaluate fills the goals of the issue from the results.
func (r *Report) Evaluate() {
	first := 32
	if !slices.Contains(r.Settings.Clients, first) && len(r.Settings.Clients) > 0 {
		first = r.Settings.Clients[0]
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
	add := func(g Goal) { r.Goals = append(r.Goals, g) }
	missing := func(what, target string) Goal {
		return Goal{What: what, Target: target, Measured: "not run", Missing: true}
	}

	if x, ok := r.Find(ScRESTCreate, first); ok {
		add(Goal{What: fmt.Sprintf("REST create, %d clients", first), Target: "≥ 0.5× baseline, p99 ≤ 25 ms",
			Measured: fmt.Sprintf("%.2f×, p99 %s", x.Ratio(), ms(x.P99)), Met: x.Ratio() >= 0.5 && x.P99 <= 25*time.Millisecond})
	} else {
		add(missing("REST create", "≥ 0.5× baseline, p99 ≤ 25 ms"))
	}
	for _, c := range r.Settings.Clients {
		if x, ok := r.Find(ScGRPCCreate, c); ok {
			add(Goal{What: fmt.Sprintf("gRPC create, %d clients", c), Target: "≥ 0.7× baseline",
				Measured: fmt.Sprintf("%.2f×", x.Ratio()), Met: x.Ratio() >= 0.7})
		}
	}
	if x, ok := r.Find(ScRESTGet, 0); ok {
		add(Goal{What: "REST get", Target: "≥ 10,000 requests/s",
			Measured: fmt.Sprintf("%.0f requests/s", x.Throughput()), Met: x.Throughput() >= 10000})
	} else {
		add(missing("REST get", "≥ 10,000 requests/s"))
	}
	if x, ok := r.Find(ScList, 0); ok {
		add(Goal{What: "list over 1,000,000 appeals", Target: "p99 ≤ 20 ms",
			Measured: "p99 " + ms(x.P99), Met: x.P99 <= 20*time.Millisecond})
	} else {
		add(missing("list over 1,000,000 appeals", "p99 ≤ 20 ms"))
	}
	worst := Result{}
	for _, x := range r.Results {
		if x.Name == ScCommitLag && x.Requests > 0 && x.P99 >= worst.P99 {
			worst = x
		}
	}
	if worst.Requests > 0 {
		add(Goal{What: "commit → consumer under load (worst run)", Target: "p99 ≤ 50 ms",
			Measured: fmt.Sprintf("p99 %s (%s)", ms(worst.P99), worst.Note), Met: worst.P99 <= 50*time.Millisecond})
	} else {
		add(missing("commit → consumer under load", "p99 ≤ 50 ms"))
	}
	if x, ok := r.Find(ScStatsMonth, 0); ok {
		add(Goal{What: "monthly analytics (demo year of 22,884)", Target: "≤ 500 ms",
			Measured: "p99 " + ms(x.P99), Met: x.Requests > 0 && x.P99 <= 500*time.Millisecond})
	} else {
		add(missing("monthly analytics", "≤ 500 ms"))
	}
	for _, m := range r.Memory {
		if m.Process == "nats-server" || m.Process == "issuer" {
			continue // not services of ours
		}
		add(Goal{What: "idle resident memory: " + m.Process, Target: "≤ 60 MB",
			Measured: mb(m.Idle), Met: m.Idle > 0 && m.Idle <= 60<<20})
	}
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// Markdown renders the report: the scenarios, resident memory and the goals.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# make bench: results\n\n%s\n\n", r.Machine)
	fmt.Fprintf(&b, "Each load scenario: %s measured after %s of warm-up; closed loop (each client sends its next request when the last one is answered). Dataset: %s. Whole run %s.\n\n",
		r.Settings.Duration, r.Settings.Warmup, r.Dataset, r.Took.Round(time.Second))
	b.WriteString("| scenario | clients | requests/s | p50 ms | p99 ms | × baseline | errors | note |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, x := range r.Results {
		rps, ratio := fmt.Sprintf("%.0f", x.Throughput()), "—"
		if x.Latency {
			rps = "—"
		}
		if !math.IsNaN(x.Ratio()) {
			ratio = fmt.Sprintf("%.2f", x.Ratio())
		}
		clients := strconv.Itoa(x.Clients)
		if x.Clients == 0 {
			clients = "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.1f | %.1f | %s | %d | %s |\n", x.Name, clients, rps,
			float64(x.P50)/1e6, float64(x.P99)/1e6, ratio, x.Errors, x.Note)
	}
	if len(r.Memory) > 0 {
		b.WriteString("\n| process | resident idle | resident under load (max) |\n|---|---:|---:|\n")
		for _, m := range r.Memory {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", m.Process, mb(m.Idle), mb(m.Max))
		}
	}
	b.WriteString("\n| goal (issue 6) | target | measured | met |\n|---|---|---|---|\n")
	for _, g := range r.Goals {
		met := "no"
		switch {
		case g.Missing:
			met = "not run"
		case g.Met:
			met = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", g.What, g.Target, g.Measured, met)
	}
	return b.String()
}

// percentile is the q-quantile (0..1) of sorted durations, nearest rank.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
