#!/usr/bin/env bash
# Synthesize the zero-config demo and every examples/config/*.yaml into
# OUTDIR/<config>/stacks/<stack>/cdk.tf.json (used by the scan and
# validation scripts), or cdk.tf with SYNTH_HCL_OUTPUT=true (what
# cdktf synth --hcl sets). Usage: scripts/synth-all.sh OUTDIR
# SYNTH_ALL_CACHE=DIR (set by .ci/run, which validates, tests and scans the
# same tree several times): the first run of each format keeps a copy in
# DIR, and later runs copy it instead of synthesizing again.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
mkdir -p "$out"
kind=json
[ "${SYNTH_HCL_OUTPUT:-}" = true ] && kind=hcl
list() { find "$out" -name cdk.tf.json -o -name cdk.tf | sed "s|$out/||" | sort; }
if [ -n "${SYNTH_ALL_CACHE:-}" ] && [ -d "$SYNTH_ALL_CACHE/$kind" ]; then
  cp -a "$SYNTH_ALL_CACHE/$kind/." "$out/"
  list
  exit 0
fi
bin="$(mktemp -d)/alb-privatelink"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" .
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
synth() { # name config-file
  mkdir -p "$out/$1"
  (cd "$out/$1" && CDKTF_OUTDIR="$out/$1" ALB_PRIVATELINK_CONFIG="$2" "$bin" 2>/dev/null) ||
    { echo "synth of $1 failed" >&2; exit 1; }
  rm -f "$out/$1/manifest.json"
}
synth default ""
for cfg in examples/config/*.yaml; do
  synth "$(basename "$cfg" .yaml)" "$PWD/$cfg"
done
if [ -n "${SYNTH_ALL_CACHE:-}" ]; then
  mkdir -p "$SYNTH_ALL_CACHE/$kind.tmp"
  cp -a "$out/." "$SYNTH_ALL_CACHE/$kind.tmp/"
  mv "$SYNTH_ALL_CACHE/$kind.tmp" "$SYNTH_ALL_CACHE/$kind"
fi
list
