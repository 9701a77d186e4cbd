#!/usr/bin/env bash
# `make bench`: the hot paths of the appeals service measured against the machine's own limits
# (cmd/cityhall/internal/bench, docs/BENCHMARKS.md). On loopback only it creates a bench
# database of a million appeals on the PostgreSQL `make run` uses (DATABASE_URL, else
# localhost:5432, else the private cluster in .data/), starts the appeals API, relay and
# consumers, nats-server, the dev issuer and the REST gateway as separate processes, loads them
# from the go test process (ghz for gRPC, vegeta for HTTP) and runs pgbench with the same
# transaction shape as a create (appeal row + outbox row) as the baseline, at the same
# concurrency, in the same run. Prints the table (throughput, p50, p99, ratio to the baseline,
# resident memory, the goals of issue 6), also written to bin/bench/results.md; the processes'
# logs and pgbench's are kept under bin/bench/. Not part of `make test`.
#   BENCH_DURATION      each load scenario, default 15s (the whole run: about 5 min)
#   BENCH_WARMUP        unmeasured load before each scenario, default 2s
#   BENCH_CLIENTS       concurrent clients of the create scenarios and the baseline, default 32,64
#   BENCH_READ_CLIENTS  concurrent clients of get and list, default 32
#   BENCH_ROWS          appeals in the bench database, default 1000000
#   BENCH_POOL_CONNS    APPEALS_DATABASE_MAX_CONNS of the appeals processes, default: theirs
#   BENCH_DATABASE      its name, default bench_appeals: created for the run (an old one of that
#                       name is dropped first) and dropped afterwards; never a cityhall_* database
#   BENCH_KEEP_DB=1     keep the bench database after the run
#   BENCH_TIMEOUT       bound of the whole run (go test -timeout), default 10m
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# pgbench is in Debian's PostgreSQL server package.
if ! command -v pgbench >/dev/null && ! ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]]; then
    echo "== bench: no pgbench; installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive timeout 5m apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 10m apt-get install -y -qq --no-install-recommends postgresql
  else
    echo "bench: pgbench is missing (apt-get install postgresql, as root)" >&2
    exit 1
  fi
fi

out="$root/bin/bench"
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
echo "== bench: ${BENCH_DURATION:-15s} per scenario at ${BENCH_CLIENTS:-32,64} clients, ${BENCH_ROWS:-1000000} appeals; bounded by ${BENCH_TIMEOUT:-10m}; logs in bin/bench/"
set +e
BENCH=1 BENCH_DIR="$out" go test -count=1 -timeout "${BENCH_TIMEOUT:-10m}" -run '^TestBench$' -v ./cmd/cityhall/internal/bench \
  >"$out/go-test.log" 2>&1 &
pid=$!
# Progress: the scenario lines as they come.
tail -n +1 -f "$out/go-test.log" --pid="$pid" | grep --line-buffered -E '^(--- |FAIL|ok|panic)|bench_test.go|run.go:[0-9]+: '
wait "$pid"
rc=$?
set -e
echo
echo "== bench: $((SECONDS - start))s wall, go test exit $rc"
if [[ -s "$out/results.md" ]]; then
  cat "$out/results.md"
else
  echo "(no results: see bin/bench/go-test.log)"
  tail -n 40 "$out/go-test.log"
fi
exit "$rc"
