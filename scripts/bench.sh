#!/usr/bin/env bash
# Wall-clock figures for docs/performance.md (make bench):
#   - the app's synth as a process (the built binary, which is what `go run .`
#     runs), for the demo and for a provider with 20 consumers, with lazy
#     loading of the AWS bindings (the default) and without it;
#   - `npx cdktf synth` end to end (the CLI adds a fixed ~2.5 s of its own);
#   - the test suite, `go test ./... ./__tests__`, uncached;
#   - Go benchmarks: in-process synth time as consumers are added.
# Medians of RUNS runs (default 5); the machine's other load shows in them,
# so compare figures from one run of this script, not across machines.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
RUNS="${RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/app" .
{
  echo "provider: {}"
  echo "consumers:"
  for i in $(seq -w 1 20); do echo "  - name: c$i"; done
} >"$work/twenty.yaml"

# median CMD...: runs CMD $RUNS times, prints the median wall time in seconds.
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f s", a[int((NR+1)/2)]}'
}

app() { (cd "$work" && env ALB_PRIVATELINK_CONFIG="$1" ALB_PRIVATELINK_LAZY="$2" CDKTF_OUTDIR="$work/out" ./app); }

echo "app synth, demo:                  $(median app "" on)  (eager: $(median app "" off))"
echo "app synth, provider + 20 consumers: $(median app "$work/twenty.yaml" on)  (eager: $(median app "$work/twenty.yaml" off))"
echo "npx cdktf synth, demo:            $(median npx cdktf synth --output "$work/cli")"
RUNS=1
echo "go test ./... ./__tests__:        $(median go test -count=1 ./... ./__tests__)"
go test ./__tests__ -run '^$' -bench Synth -benchtime 3x | grep -E '^Benchmark'
