#!/usr/bin/env bash
# Fails when proto/ breaks the API of the main branch of the local git repo (buf FILE rules).
# BREAKING_AGAINST_BRANCH picks another branch, e.g. a fetched origin/main in CI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
branch="${BREAKING_AGAINST_BRANCH:-main}"

if ! git cat-file -e "$branch:proto/buf.yaml" 2>/dev/null; then
  echo "check-breaking: $branch has no proto/buf.yaml yet; nothing to compare against, skipping."
  exit 0
fi

if [[ ! -x tools/node_modules/.bin/buf || tools/package-lock.json -nt tools/node_modules/.package-lock.json ]]; then
  (cd tools && npm ci --ignore-scripts --no-audit --no-fund)
fi

cd proto
# --exclude-imports: our module sees third_party/ as imports; buf.yaml ignores that module itself.
../tools/node_modules/.bin/buf breaking --exclude-imports --against "$root/.git#branch=$branch,subdir=proto"
echo "check-breaking: no breaking changes against $branch."
