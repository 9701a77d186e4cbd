#!/usr/bin/env bash
# `make verify`: generated code is committed and must be current, the API must not break, and
# every go.mod must be tidy on its own (outside the workspace). Runs every check, then fails if
# any failed, listing what to fix.
#   1. regenerate (scripts/generate.sh: buf lint + buf generate + OpenAPI, sqlc, frontend client)
#      and fail if that changed any file under proto/, services/*/db/ or frontend/src/api.
#      The check compares the tree before and after regeneration, so it also works with
#      uncommitted edits; with CI=true (or VERIFY_STRICT=1) those paths must moreover match HEAD
#      (`git status --porcelain` empty), i.e. the generated code is committed.
#   2. scripts/check-breaking.sh: buf breaking against the main branch.
#   3. `GOWORK=off go mod tidy -diff` in every module of go.work and in tools/. GOWORK=off
#      because go.work hides missing requirements; the sibling modules resolve through each
#      go.mod's replace directives. Fix with `make tidy`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

gen_paths=(proto 'services/*/db/*' frontend/src/api)
strict=0
if [[ -n "${VERIFY_STRICT:-}" && "${VERIFY_STRICT}" != 0 ]] || [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; then
  strict=1
fi

# Hash of every tracked or untracked (not ignored) file under the generated paths.
snapshot() {
  git ls-files -z -c -o --exclude-standard -- "${gen_paths[@]}" | sort -zu |
    xargs -0 -r sha256sum 2>/dev/null | LC_ALL=C sort || true
}

failed=()
declare -A took
t0=$SECONDS

# 1. Generated code is current.
start=$SECONDS
before="$(snapshot)"
if ! scripts/generate.sh; then
  failed+=("generate: regeneration itself failed (see above)")
else
  after="$(snapshot)"
  mapfile -t changed < <(LC_ALL=C comm -3 <(echo "$before") <(echo "$after") | sed 's/^\t//' | cut -c67- | LC_ALL=C sort -u | sed '/^$/d')
  if ((${#changed[@]} > 0)); then
    echo
    echo "verify: regeneration changed these files (run \`make generate\` and commit the result):"
    printf '  %s\n' "${changed[@]}"
    git --no-pager diff --stat -- "${changed[@]}" || true
    failed+=("generated code is stale: ${#changed[@]} file(s) changed by \`make generate\`")
  fi
  if ((strict)); then
    mapfile -t dirty < <(git status --porcelain -- "${gen_paths[@]}")
    if ((${#dirty[@]} > 0)); then
      echo
      echo "verify: generated paths differ from HEAD (CI / VERIFY_STRICT: commit them):"
      printf '  %s\n' "${dirty[@]}"
      failed+=("generated paths not committed: ${#dirty[@]} path(s) in git status")
    fi
  fi
fi
took[generate]=$((SECONDS - start))

# 2. No breaking API change.
start=$SECONDS
printf '\n== verify: buf breaking (scripts/check-breaking.sh)\n'
if ! scripts/check-breaking.sh; then
  failed+=("buf breaking: proto/ breaks the API of the main branch")
fi
took[breaking]=$((SECONDS - start))

# 3. Every go.mod tidy on its own.
start=$SECONDS
printf '\n== verify: go mod tidy -diff (GOWORK=off) per module\n'
mapfile -t modules < <(scripts/go-modules.sh --all)
for m in "${modules[@]}"; do
  if out="$(cd "$m" && GOWORK=off go mod tidy -diff 2>&1)"; then
    echo "  ok      $m"
  else
    echo "  UNTIDY  $m"
    sed 's/^/          /' <<<"$out" | head -40 || true
    failed+=("$m/go.mod is not tidy (run \`make tidy\`)")
  fi
done
took[tidy]=$((SECONDS - start))

echo
echo "verify: generate+diff ${took[generate]}s, buf breaking ${took[breaking]}s, go mod tidy ${took[tidy]}s, total $((SECONDS - t0))s"
if ((${#failed[@]} > 0)); then
  echo "verify: FAILED"
  printf '  - %s\n' "${failed[@]}"
  exit 1
fi
echo "verify: OK"
