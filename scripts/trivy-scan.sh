#!/usr/bin/env bash
# Scan the synthesized stacks of the zero-config demo and of every
# examples/config/*.yaml with Trivy's misconfiguration checks, offline.
# Fails on any finding not accepted in .trivyignore.yaml.
#
# It scans the HCL rendering (cdktf synth --hcl), which internal/tfhcl's
# tests prove says what the JSON says: Trivy follows references between
# resources in HCL, but not inside JSON strings, so on JSON it reports a
# bucket's separate versioning and encryption resources as missing.
#
# Trivy is built from the Go module proxy at a pinned version (about 12
# minutes and 3 GB of memory the first time on 2 cores) into a cache folder
# outside the repo, and reused from there afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

TRIVY_VERSION=v0.74.0
TOOLS="${ALB_PRIVATELINK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/alb-privatelink-tools}"
TRIVY="$TOOLS/trivy-$TRIVY_VERSION/trivy"
if [ ! -x "$TRIVY" ]; then
  echo "building trivy $TRIVY_VERSION into $TRIVY (first time only)"
  mkdir -p "$(dirname "$TRIVY")"
  for attempt in 1 2; do # a second try rides out a passing module-proxy hiccup
    if GOEXPERIMENT=jsonv2 CGO_ENABLED=0 GOFLAGS= GOBIN="$(dirname "$TRIVY")" \
      go install "github.com/aquasecurity/trivy/cmd/trivy@$TRIVY_VERSION"; then
      break
    fi
    [ "$attempt" = 2 ] && { echo "building trivy failed twice" >&2; exit 1; }
    echo "building trivy failed; trying once more"
  done
fi
"$TRIVY" --version | head -1

SCAN="$(mktemp -d)"
trap 'rm -rf "$SCAN"' EXIT
SYNTH_HCL_OUTPUT=true bash scripts/synth-all.sh "$SCAN/out"

"$TRIVY" config --quiet --skip-check-update --skip-version-check --disable-telemetry \
  --cache-dir "$TOOLS/trivy-cache" --skip-files '**/*.json' \
  --ignorefile .trivyignore.yaml --severity LOW,MEDIUM,HIGH,CRITICAL --exit-code 1 \
  "$SCAN/out"
echo "trivy: no findings beyond .trivyignore.yaml"
