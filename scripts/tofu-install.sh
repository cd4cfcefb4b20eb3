#!/usr/bin/env bash
# Build OpenTofu from the Go module proxy at a pinned version into a cache
# folder outside the repo (as scripts/trivy-scan.sh does for Trivy), and print
# the binary's path. Reused from the cache afterwards.
#
# `go install github.com/opentofu/opentofu/cmd/tofu@VERSION` is refused (its
# go.mod has a replace directive), so: download the module, copy it somewhere
# writable, and `go build ./cmd/tofu` there. About 4.5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

TOFU_VERSION=v1.12.6
TOOLS="${ALB_PRIVATELINK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/alb-privatelink-tools}"
TOFU="$TOOLS/tofu-$TOFU_VERSION/tofu"
if [ ! -x "$TOFU" ]; then
  echo "building OpenTofu $TOFU_VERSION into $TOFU (first time only)" >&2
  mkdir -p "$(dirname "$TOFU")"
  SRC="$(mktemp -d)"
  trap 'chmod -R u+w "$SRC" 2>/dev/null; rm -rf "$SRC"' EXIT
  for attempt in 1 2; do # a second try rides out a passing module-proxy hiccup
    if dir=$(cd "$SRC" && GOFLAGS= go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') && [ -n "$dir" ]; then
      break
    fi
    [ "$attempt" = 2 ] && { echo "downloading OpenTofu failed twice" >&2; exit 1; }
    echo "downloading OpenTofu failed; trying once more" >&2
  done
  cp -R "$dir" "$SRC/opentofu"
  chmod -R u+w "$SRC/opentofu"
  (cd "$SRC/opentofu" && CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$TOFU.tmp" ./cmd/tofu)
  mv "$TOFU.tmp" "$TOFU"
fi
echo "$TOFU"
