#!/usr/bin/env bash
# Builds the SPA into frontend/dist (served by the gateway at /) when frontend/package.json has
# a "build" script and the sources are newer than the last build. FORCE=1 rebuilds anyway;
# SKIP_FRONTEND=1 skips it (Go-only work while the SPA does not compile).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -n "${SKIP_FRONTEND:-}" ]]; then
  echo "frontend: SKIP_FRONTEND set; not building frontend/dist"
  exit 0
fi

if [[ ! -f frontend/package.json ]] || ! node -e '
    const s = require("./frontend/package.json").scripts || {};
    process.exit(s.build ? 0 : 1)'; then
  echo "frontend: no frontend/package.json with a \"build\" script; nothing to build"
  exit 0
fi

stamp=frontend/dist/index.html
if [[ -z "${FORCE:-}" && -f "$stamp" ]] &&
  [[ -z "$(find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune \
    -o -path frontend/test-results -prune -o -path frontend/e2e -prune \
    -o -type f -newer "$stamp" -print -quit)" ]]; then
  echo "frontend: frontend/dist is up to date"
  exit 0
fi
scripts/npm-deps.sh frontend
npm --prefix frontend run build
