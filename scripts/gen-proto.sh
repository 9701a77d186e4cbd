#!/usr/bin/env bash
# Regenerates proto/gen from proto/cityhall: Go code (proto/gen/go, its own module) and the
# merged OpenAPI documents (proto/gen/openapi). Idempotent: a second run changes nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# buf comes from npm: @bufbuild/buf ships the prebuilt binary (`go install` of buf takes
# minutes on 2 cores). Scripts are skipped: the package works without its postinstall.
if [[ ! -x tools/node_modules/.bin/buf || tools/package-lock.json -nt tools/node_modules/.package-lock.json ]]; then
  (cd tools && npm ci --ignore-scripts --no-audit --no-fund)
fi
buf="$root/tools/node_modules/.bin/buf"

# Plugins pinned by tools/go.mod, built into bin/tools/ (buf.gen.yaml points there) and rebuilt
# only when the pins or this list change. tools/ is outside go.work, hence GOWORK=off.
bin="$root/bin/tools"
plugins=(
  google.golang.org/protobuf/cmd/protoc-gen-go
  google.golang.org/grpc/cmd/protoc-gen-go-grpc
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv3
  github.com/grpc-ecosystem/grpc-gateway/v2/openapiv3-merge
)
stamp="$({ cat tools/go.mod tools/go.sum; printf '%s\n' "${plugins[@]}"; } | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$bin/.stamp" 2>/dev/null || true)" != "$stamp" ]]; then
  mkdir -p "$bin"
  (cd tools && GOWORK=off go build -o "$bin/" "${plugins[@]}")
  echo "$stamp" >"$bin/.stamp"
fi

cd proto
"$buf" lint

# Generate into a scratch dir, then replace the generated files wholesale, so the output of a
# deleted .proto disappears too. gen/go/{go.mod,go.sum,openapi/openapi.go} are hand-written.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$buf" generate -o "$tmp"

rm -rf gen/go/cityhall
cp -R "$tmp/gen/go/cityhall" gen/go/
mkdir -p gen/openapi gen/go/openapi
cp "$tmp/gen/openapi/cityhall.swagger.json" gen/openapi/

# protoc-gen-openapiv3 writes one document per .proto file: merge them into one. The base
# document goes first (its info wins); the rest in byte order, so the output is deterministic.
mapfile -t docs < <(find "$tmp/gen/openapi" -name '*.openapi.json' | LC_ALL=C sort)
"$bin/openapiv3-merge" openapiv3.base.json "${docs[@]}" >gen/openapi/cityhall.openapi.json
node "$root/scripts/openapi-finish.mjs" gen/openapi/cityhall.openapi.json
cp gen/openapi/cityhall.openapi.json gen/go/openapi/cityhall.openapi.json

gofmt -w gen/go
# Records any new import (say, another google/type message) in the generated module's go.mod.
(cd gen/go && GOWORK=off go mod tidy)
