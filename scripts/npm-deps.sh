#!/usr/bin/env bash
# Usage: scripts/npm-deps.sh DIR   Installs DIR's npm dependencies with `npm ci` when
# node_modules is missing or older than package-lock.json (as gen-proto.sh does for tools/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/${1:?usage: npm-deps.sh DIR}"

if [[ ! -f "$dir/package.json" ]]; then
  exit 0
fi
if [[ ! -d "$dir/node_modules" || ( -f "$dir/package-lock.json" && "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ) ]]; then
  echo "npm-deps: installing $1 dependencies (npm ci)"
  if [[ -f "$dir/package-lock.json" ]]; then
    npm --prefix "$dir" ci --no-audit --no-fund
  else
    npm --prefix "$dir" install --no-audit --no-fund
  fi
fi
