#!/usr/bin/env bash
# `make lint`: gofmt, go vet and golangci-lint (.golangci.yml, including the import rule) over
# every module of go.work, then the frontend's "typecheck"/"lint" npm scripts when they exist.
# Runs every step, then fails if any failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mapfile -t modules < <(scripts/go-modules.sh)
mapfile -t patterns < <(scripts/go-modules.sh --patterns)
failed=()
declare -A took

# gofmt: hand-written Go files only. Generated code (proto/gen, sqlc output, anything marked
# "Code generated ... DO NOT EDIT.") is the generators' business and `make verify` checks it.
start=$SECONDS
echo "== lint: gofmt -l"
mapfile -t files < <(git ls-files -c -o --exclude-standard -- "${modules[@]/%//*.go}" |
  LC_ALL=C sort -u |
  while IFS= read -r f; do
    [[ -f "$f" ]] || continue
    grep -qE '^// Code generated .* DO NOT EDIT\.$' "$f" && continue
    echo "$f"
  done)
if ((${#files[@]} > 0)); then
  mapfile -t unformatted < <(gofmt -l "${files[@]}")
  if ((${#unformatted[@]} > 0)); then
    echo "not gofmt-ed (run \`gofmt -w FILE\`):"
    printf '  %s\n' "${unformatted[@]}"
    failed+=("gofmt: ${#unformatted[@]} file(s)")
  fi
fi
echo "   ${#files[@]} files checked"
took[gofmt]=$((SECONDS - start))

start=$SECONDS
echo "== lint: go vet ${patterns[*]}"
if ! go vet "${patterns[@]}"; then
  failed+=("go vet")
fi
took[vet]=$((SECONDS - start))

start=$SECONDS
golangci="$(scripts/tool.sh golangci-lint)"
echo "== lint: golangci-lint run ${patterns[*]}"
# One call from the root over all modules (go.work): packages are loaded and type-checked
# once, and .golangci.yml's depguard file globs see every module.
if ! "$golangci" run --config "$root/.golangci.yml" "${patterns[@]}"; then
  failed+=("golangci-lint")
fi
took[golangci]=$((SECONDS - start))

# Frontend hook: its own "typecheck" and "lint" scripts, when frontend/package.json has them.
start=$SECONDS
for script in typecheck lint; do
  if [[ -f frontend/package.json ]] && node -e '
      const s = require("./frontend/package.json").scripts || {};
      process.exit(s[process.argv[1]] ? 0 : 1)' "$script"; then
    echo "== lint: npm --prefix frontend run $script"
    if ! { scripts/npm-deps.sh frontend && npm --prefix frontend run "$script"; }; then
      failed+=("frontend $script")
    fi
  fi
done
took[frontend]=$((SECONDS - start))

echo
echo "lint: gofmt ${took[gofmt]}s, go vet ${took[vet]}s, golangci-lint ${took[golangci]}s, frontend ${took[frontend]}s"
if ((${#failed[@]} > 0)); then
  echo "lint: FAILED: ${failed[*]}"
  exit 1
fi
echo "lint: OK"
