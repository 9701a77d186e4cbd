#!/usr/bin/env bash
# Prints the Go modules of the workspace, one per line, as paths relative to the repository root
# (e.g. "services/appeals"), in go.work order. New modules are picked up as soon as they are
# added to go.work (`go work use ./services/planning`).
#   --patterns   print "./<dir>/..." package patterns instead (for one go build/vet/test call)
#   --all        also print modules outside go.work that still belong to the repo (tools)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mode=dirs
extra=()
for arg in "$@"; do
  case "$arg" in
    --patterns) mode=patterns ;;
    --all) extra=(tools) ;;
    *) echo "go-modules.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# GOWORK pinned: a GOWORK=off left in the caller's environment must not hide the workspace.
mapfile -t dirs < <(GOWORK="$root/go.work" go list -m -f '{{.Dir}}')
for d in "${dirs[@]}" "${extra[@]}"; do
  d="${d#"$root"}"
  d="${d#/}"
  [[ -n "$d" ]] || d=.
  if [[ "$mode" == patterns ]]; then
    # A module without Go files yet (say, a freshly created cmd/) would make go build fail with
    # "matched no packages"; leave it out until it has some.
    if [[ -n "$(find "$d" -name '*.go' -not -path '*/node_modules/*' -print -quit)" ]]; then
      echo "./$d/..."
    fi
  else
    echo "$d"
  fi
done
