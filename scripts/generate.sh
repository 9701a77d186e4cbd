#!/usr/bin/env bash
# Regenerates every piece of committed generated code (idempotent; `make generate`):
#   1. protobuf Go code + OpenAPI documents   scripts/gen-proto.sh (also runs `buf lint`)
#   2. sqlc data access per service           scripts/sqlc.sh (every services/*/db/sqlc.yaml)
#   3. the frontend API client                `npm --prefix frontend run generate`, only when
#                                             frontend/package.json has a "generate" script
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== generate: %s\n' "$*"; }

step "protobuf + OpenAPI (scripts/gen-proto.sh)"
scripts/gen-proto.sh

step "sqlc (scripts/sqlc.sh)"
scripts/sqlc.sh generate

# Frontend API client hook: the frontend owns the command (e.g. openapi-typescript from
# proto/gen/openapi/cityhall.openapi.json into frontend/src/api); we only call it.
step "frontend API client"
if [[ -f frontend/package.json ]] && node -e '
    const s = require("./frontend/package.json").scripts || {};
    process.exit(s.generate ? 0 : 1)'; then
  scripts/npm-deps.sh frontend
  npm --prefix frontend run generate
else
  echo "skipped: frontend/package.json has no \"generate\" script"
fi
