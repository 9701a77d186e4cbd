#!/bin/sh
# build-service.sh SERVICE OUTPUT: builds the static binary of one Cityhall command. Run from the
# repository root; deploy/docker/Dockerfile calls it, and it runs the same way outside Docker
# (sh deploy/docker/build-service.sh appeals bin/appeals-static).
#   SERVICE   planning, appeals, gateway, ... : services/SERVICE/cmd/SERVICE, else SERVICE/cmd/SERVICE
#   OUTPUT    the binary to write
# TARGETOS / TARGETARCH (set by BuildKit) choose the platform; default linux/amd64.
set -eu

svc="${1:-}"
out="${2:-}"
if [ -z "$svc" ] || [ -z "$out" ]; then
  echo "usage: build-service.sh SERVICE OUTPUT   (docker build --build-arg SERVICE=<name>)" >&2
  exit 2
fi
case "$svc" in
  *[!a-z0-9-]* | -*) echo "build-service.sh: bad service name '$svc'" >&2; exit 2 ;;
esac
if [ -d "services/$svc/cmd/$svc" ]; then
  mod="services/$svc"
elif [ -d "$svc/cmd/$svc" ]; then
  mod="$svc"
else
  echo "build-service.sh: no command services/$svc/cmd/$svc or $svc/cmd/$svc" >&2
  exit 2
fi
case "$out" in
  /*) ;;
  *) out="$(pwd)/$out" ;;
esac

cd "$mod"
# GOWORK=off: the module's own go.mod (with its replace directives to the sibling modules) is the
# release definition. -tags timetzdata embeds the time zone database (Asia/Vladivostok deadlines)
# whatever the image carries.
GOWORK=off CGO_ENABLED=0 GOOS="${TARGETOS:-linux}" GOARCH="${TARGETARCH:-amd64}" \
  go build -trimpath -buildvcs=false -tags timetzdata -ldflags="-s -w" -o "$out" "./cmd/$svc"
echo "built $mod/cmd/$svc -> $out"
