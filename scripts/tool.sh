#!/usr/bin/env bash
# Usage: scripts/tool.sh NAME...   (sqlc, golangci-lint, goose, grpcurl)
# Builds the tools pinned by tools/go.mod into bin/tools/ when missing or when the pins changed,
# and prints the path of each binary. tools/ is outside go.work, hence GOWORK=off. With a warm
# Go build cache this is a few seconds per tool; cold, golangci-lint and sqlc take minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/bin/tools"

pkg_of() {
  case "$1" in
    sqlc) echo github.com/sqlc-dev/sqlc/cmd/sqlc ;;
    golangci-lint) echo github.com/golangci/golangci-lint/v2/cmd/golangci-lint ;;
    goose) echo github.com/pressly/goose/v3/cmd/goose ;;
    grpcurl) echo github.com/fullstorydev/grpcurl/cmd/grpcurl ;;
    *) echo "tool.sh: unknown tool $1 (add it here and to tools/go.mod)" >&2; return 2 ;;
  esac
}

for name in "$@"; do
  pkg="$(pkg_of "$name")"
  stamp="$({ cat "$root/tools/go.mod" "$root/tools/go.sum"; echo "$pkg"; } | sha256sum | cut -d' ' -f1)"
  if [[ ! -x "$bin/$name" || "$(cat "$bin/.stamp-$name" 2>/dev/null || true)" != "$stamp" ]]; then
    mkdir -p "$bin"
    echo "tool.sh: building $name ($pkg)" >&2
    (cd "$root/tools" && GOWORK=off go build -o "$bin/$name" "$pkg")
    echo "$stamp" >"$bin/.stamp-$name"
  fi
  echo "$bin/$name"
done
