#!/usr/bin/env bash
# Regenerates the sqlc data-access code of every service: `sqlc generate` in each directory that
# holds a sqlc.yaml (services/*/db/sqlc.yaml). Idempotent. `sqlc.sh vet` runs `sqlc vet` instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cmd="${1:-generate}"

sqlc="$(scripts/tool.sh sqlc)"

shopt -s nullglob
configs=(services/*/db/sqlc.yaml)
if ((${#configs[@]} == 0)); then
  echo "sqlc.sh: no services/*/db/sqlc.yaml found; nothing to do."
  exit 0
fi
for cfg in "${configs[@]}"; do
  dir="$(dirname "$cfg")"
  echo "sqlc $cmd: $dir"
  (cd "$dir" && "$sqlc" "$cmd")
done
