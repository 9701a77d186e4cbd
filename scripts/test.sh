#!/usr/bin/env bash
# `make test`: every test of the repository, then a summary.
#   1. Go: ONE `go test` over every module of go.work (so packages of all modules share the
#      -p slots) with GO_TEST_FLAGS (default: -race -count=1 -p 2 -timeout 20m) plus TEST_FLAGS
#      (extra, e.g. TEST_FLAGS='-run Register -v'). PKG replaces the package list
#      (e.g. PKG=./services/appeals/...). Tests find PostgreSQL and start NATS themselves.
#   1b. deploy/ (its own module, outside go.work): the Helm chart rendered and strictly decoded.
#   2. frontend unit tests: when frontend/package.json exists (`npm ci` if node_modules is
#      missing or stale, then `npm --prefix frontend test`).
#   3. browser end-to-end tests: when frontend/e2e exists (`npm --prefix frontend run e2e`),
#      with bin/cityhall and frontend/dist built first (bin/cityhall's path in CITYHALL_BIN).
# Steps 2 and 3 are skipped when PKG is set, or with SKIP_FRONTEND=1 / SKIP_E2E=1.
# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

GO_TEST_FLAGS="${GO_TEST_FLAGS:--race -count=1 -p 2 -timeout 20m}"
TEST_FLAGS="${TEST_FLAGS:-}"
PKG="${PKG:-}"

log_dir="$root/bin/test-logs"
mkdir -p "$log_dir"
summary=()
failed=0
t0=$SECONDS

record() { # record NAME STATUS SECONDS DETAIL
  summary+=("$(printf '%-22s %-8s %5ss  %s' "$1" "$2" "$3" "$4")")
  [[ "$2" != FAIL ]] || failed=1
}

# 1. Go.
if [[ -n "$PKG" ]]; then
  read -r -a pkgs <<<"$PKG"
else
  mapfile -t pkgs < <(scripts/go-modules.sh --patterns)
fi
read -r -a flags <<<"$GO_TEST_FLAGS $TEST_FLAGS"
echo "== test: go test ${flags[*]} ${pkgs[*]}"
start=$SECONDS
go_log="$log_dir/go-test.log"
set +e
go test "${flags[@]}" "${pkgs[@]}" 2>&1 | tee "$go_log"
rc=${PIPESTATUS[0]}
set -e
n_ok=$(grep -cE '^ok[[:space:]]' "$go_log" || true)
n_none=$(grep -cE '^\?[[:space:]].*\[no test files\]' "$go_log" || true)
mapfile -t fails < <(grep -E '^FAIL[[:space:]]+[^[:space:]]+' "$go_log" | awk '{print $2}' | LC_ALL=C sort -u)
detail="$n_ok packages ok, ${#fails[@]} failed, $n_none without tests"
if ((rc != 0)); then
  record "go test" FAIL $((SECONDS - start)) "$detail (exit $rc; log: bin/test-logs/go-test.log)"
else
  record "go test" ok $((SECONDS - start)) "$detail"
fi

# 1b. Deployment manifests: deploy/ is a module of its own, outside go.work, so that the Helm and
#     Kubernetes libraries it renders the chart with never change the services' dependency versions.
start=$SECONDS
if [[ -n "$PKG" ]]; then
  record "deploy manifests" skipped 0 "PKG set"
elif [[ -f deploy/go.mod ]]; then
  echo "== test: deploy manifests (cd deploy && GOWORK=off go test ./...)"
  if (cd deploy && GOWORK=off go test -count=1 ./...); then
    record "deploy manifests" ok $((SECONDS - start)) ""
  else
    record "deploy manifests" FAIL $((SECONDS - start)) ""
  fi
fi

# 2. Frontend unit tests.
start=$SECONDS
if [[ -n "$PKG" || -n "${SKIP_FRONTEND:-}" ]]; then
  record "frontend unit tests" skipped 0 "PKG or SKIP_FRONTEND set"
elif [[ ! -f frontend/package.json ]]; then
  record "frontend unit tests" skipped 0 "no frontend/package.json yet"
else
  echo "== test: frontend unit tests (npm --prefix frontend test)"
  # CI=true keeps test runners (vitest) out of watch mode.
  if scripts/npm-deps.sh frontend && CI="${CI:-true}" npm --prefix frontend test; then
    record "frontend unit tests" ok $((SECONDS - start)) ""
  else
    record "frontend unit tests" FAIL $((SECONDS - start)) ""
  fi
fi

# 3. Browser end-to-end tests.
start=$SECONDS
if [[ -n "$PKG" || -n "${SKIP_FRONTEND:-}" || -n "${SKIP_E2E:-}" ]]; then
  record "browser e2e tests" skipped 0 "PKG, SKIP_FRONTEND or SKIP_E2E set"
elif [[ ! -d frontend/e2e ]]; then
  record "browser e2e tests" skipped 0 "no frontend/e2e yet"
else
  echo "== test: browser end-to-end tests (npm --prefix frontend run e2e)"
  if scripts/npm-deps.sh frontend && go build -o bin/cityhall ./cmd/cityhall &&
    scripts/frontend-build.sh &&
    CITYHALL_BIN="$root/bin/cityhall" CI="${CI:-true}" npm --prefix frontend run e2e; then
    record "browser e2e tests" ok $((SECONDS - start)) ""
  else
    record "browser e2e tests" FAIL $((SECONDS - start)) ""
  fi
fi

echo
echo "================ test summary ================"
printf '%s\n' "${summary[@]}"
if ((${#fails[@]} > 0)); then
  echo "failed Go packages:"
  printf '  %s\n' "${fails[@]}"
fi
echo "total $((SECONDS - t0))s: $( ((failed)) && echo FAILED || echo OK)"
exit "$failed"
