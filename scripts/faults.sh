#!/usr/bin/env bash
# `make faults`: the long form of the fault scenarios F1-F9 (cmd/cityhall/internal/faults, see
# docs/RELIABILITY.md): the appeals API, relay and consumers as separate processes beside a real
# nats-server, PostgreSQL, the dev issuer and the gateway, all on loopback; faults injected under
# load; then a count of what is found. Prints the matrix, also written to bin/faults/matrix.md;
# every process's log is kept under bin/faults/logs/<test>/.
#   FAULTS_TIMEOUT  bound of the whole run (go test -timeout), default 9m
#   FAULTS_RUN      scenarios to run, e.g. 'F1|F4' (default all)
#   FAULTS_SEED     repeat the random choices of an earlier run (printed per scenario)
# `make test` runs the short form of the same tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out="$root/bin/faults"
rm -rf "$out"
mkdir -p "$out/logs"
start=$SECONDS
echo "== faults: long form of TestF(${FAULTS_RUN:-1-9}), bounded by ${FAULTS_TIMEOUT:-9m}; logs in bin/faults/"
: >"$out/go-test.log"
set +e
FAULTS_LONG=1 FAULTS_DIR="$out/logs" FAULTS_REPORT="$out/matrix.md" \
  go test -count=1 -timeout "${FAULTS_TIMEOUT:-9m}" -run "^TestF(${FAULTS_RUN:-[1-9]})" -v ./cmd/cityhall/internal/faults \
  >"$out/go-test.log" 2>&1 &
pid=$!
# Progress: the scenario lines of the log as they come.
tail -n +1 -f "$out/go-test.log" --pid="$pid" | grep --line-buffered -E '^(--- |FAIL|ok|panic)|F[1-9] .*: attempted'
wait "$pid"
rc=$?
set -e
echo
echo "== fault matrix (long form): $((SECONDS - start))s wall, go test exit $rc"
if [[ -s "$out/matrix.md" ]]; then
  cat "$out/matrix.md"
else
  echo "(no matrix: see bin/faults/go-test.log)"
  tail -n 40 "$out/go-test.log"
fi
exit "$rc"
