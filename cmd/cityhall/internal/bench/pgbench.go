package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// baselineScript is the transaction a create commits, reduced to its two writes: an appeal
// row (the columns a registration fills, a text of typical length) and an outbox row (an
// AppealRegistered payload of typical size), into copies of the two tables with the same
// indexes. pgbench runs it with prepared statements, as pgx does.
const baselineScript = `\set n random(1, 2000000000)
BEGIN;
INSERT INTO baseline_appeals (id, registration_number, receive_time, register_time, channel, text, classifier_codes,
    district, department, collective, signatories, state, register_due_date, answer_due_date, forward_due_date,
    update_time, version, created_by, anonymous, addressee, related_appeals, repeated, previous_appeals)
VALUES (gen_random_uuid(), 'B' || :client_id || '-' || :n || '-' || txid_current(), now(), now(), 2,
    'Прошу принять меры: в квартире холодные батареи, управляющая компания не отвечает на звонки с начала месяца.',
    '{0005.0005.0056.1149}', 'ZHD', 'KUR-ZHD', false, 0, 1, current_date + 3, current_date + 30, current_date + 7,
    now(), 1, 'pgbench', false, '', '{}', false, '{}');
INSERT INTO baseline_outbox (id, subject, payload, headers)
VALUES (gen_random_uuid(), 'cityhall.appeals.v1.appeal_registered',
    decode(repeat('0a2d61707065616c732f', 16), 'hex'), '{"Cityhall-Event-Type": "cityhall.appeals.v1.AppealRegistered"}');
END;
`

// pgbenchPath finds pgbench: on PATH, else the newest /usr/lib/postgresql/*/bin/pgbench.
func pgbenchPath() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(found) == 0 {
		return "", fmt.Errorf("no pgbench (Debian: apt-get install postgresql; scripts/bench.sh installs it)")
	}
	slices.SortFunc(found, func(a, b string) int { return versionOf(a) - versionOf(b) })
	return found[len(found)-1], nil
}

func versionOf(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

// Baseline runs pgbench with baselineScript at clients connections for d against the
// database at dbURL and returns its throughput and latency percentiles (from its
// per-transaction log). dir keeps the script and the logs.
func Baseline(ctx context.Context, dbURL string, clients int, d time.Duration, dir string) (Result, error) {
	res := Result{Name: ScBaseline, Clients: clients}
	bin, err := pgbenchPath()
	if err != nil {
		return res, err
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return res, fmt.Errorf("bench: database URL: %w", err)
	}
	work := filepath.Join(dir, fmt.Sprintf("pgbench-%d", clients))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return res, err
	}
	script := filepath.Join(work, "create.sql")
	if err := os.WriteFile(script, []byte(baselineScript), 0o644); err != nil {
		return res, err
	}
	secs := max(1, int(d.Round(time.Second).Seconds()))
	args := []string{"--no-vacuum", "--protocol=prepared", "--file=" + script,
		"--client=" + strconv.Itoa(clients), "--jobs=" + strconv.Itoa(min(clients, 2)),
		"--time=" + strconv.Itoa(secs), "--log", "--log-prefix=" + filepath.Join(work, "tx"), dbURL}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PGAPPNAME=bench-baseline")
	began := time.Now()
	out, err := cmd.CombinedOutput()
	_ = os.WriteFile(filepath.Join(work, "pgbench.out"), out, 0o644)
	if err != nil {
		return res, fmt.Errorf("bench: pgbench on %s: %w\n%s", u.Redacted(), err, tail(out, 1500))
	}
	lat, failed, err := readPgbenchLogs(work)
	if err != nil {
		return res, err
	}
	res.Requests, res.Errors = len(lat), failed
	// pgbench's own time base: the run's duration (its logs span it).
	res.Elapsed = time.Duration(secs) * time.Second
	if wall := time.Since(began); wall < res.Elapsed {
		res.Elapsed = wall
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	res.Note = "pgbench " + strings.TrimSpace(firstLine(out, "pgbench ("))
	return res, nil
}

// readPgbenchLogs reads the per-transaction logs: "client tx latency_us script epoch us"
// (a failed transaction has "failed" or "serialization"/"deadlock" in the latency column).
func readPgbenchLogs(dir string) ([]time.Duration, int, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "tx.*"))
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("bench: pgbench wrote no transaction log in %s", dir)
	}
	var lat []time.Duration
	failed := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, 0, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				failed++
				continue
			}
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, 0, err
		}
	}
	return lat, failed, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func firstLine(out []byte, prefix string) string {
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimPrefix(l, "pgbench ")
		}
	}
	return ""
}
