#!/usr/bin/env bash
# Plan and apply every stack of the demo and of every example config under
# Terraform's test framework with a mocked AWS provider (mock_provider):
# no credentials, no network. The tests are generated from the synthesized
# JSON (scripts/mock_tests.py): an apply run per stack, and a run per
# precondition that breaks what it guards and expects it to fire.
#   bash scripts/terraform-test.sh       (make tftest)
#   TF_ENGINE=tofu bash scripts/terraform-test.sh   (the same with OpenTofu)
# Needs terraform and a provider mirror (TF_PLUGIN_MIRROR, default
# /opt/tf-plugins); without them it says SKIPPED loudly and exits 0, unless
# REQUIRE_TFTEST=1 (a machine that must run it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/terraform-lib.sh
need_terraform "$ENGINE test" "${REQUIRE_TFTEST:-}"

WORK="$(mktemp -d)"
# KEEP_WORK=1 keeps the generated tests and logs for a look.
if [ -n "${KEEP_WORK:-}" ]; then echo "$ENGINE test: keeping $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi
use_mirror "$WORK"
mkdir -p "$WORK/schema"
# No credentials anywhere near: a mocked provider must not need them.
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL

printf '{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.84"}}}}\n' >"$WORK/schema/main.tf.json"
(cd "$WORK/schema" && "$TF" init -input=false >/dev/null && "$TF" providers schema -json >"$WORK/schema.json")
echo "$ENGINE test: $(engine_version), hashicorp/aws $(mirror_version), mocked"

bash scripts/synth-all.sh "$WORK/out" >/dev/null
for f in $(cd "$WORK/out" && find . -name cdk.tf.json | sort); do
  dir="$WORK/test/$(dirname "${f#./}")"
  mkdir -p "$dir"
  # The state backend plays no part in a test; without it init needs nothing
  # remote. prevent_destroy (production stacks) would stop the test from
  # destroying what it applied; the synth tests check that it is set.
  python3 - "$WORK/out/$f" "$dir/main.tf.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d.get("terraform", {})
t.pop("backend", None)
t.pop("cloud", None)
for resources in d.get("resource", {}).values():
    for body in resources.values():
        body.get("lifecycle", {}).pop("prevent_destroy", None)
json.dump(d, open(sys.argv[2], "w"))
PY
  python3 scripts/mock_tests.py "$WORK/schema.json" "$dir" >"$dir/expected"
  # init one at a time: concurrent inits may race on the plugin cache.
  (cd "$dir" && "$TF" init -backend=false -input=false >init.log 2>&1) || { echo "FAILED: ${dir#"$WORK"/test/}: $ENGINE init" >&2; tail -20 "$dir/init.log" >&2; exit 1; }
  echo "$dir"
done >"$WORK/stacks"

# test_stack DIR: one stack's terraform test, into DIR/result: ok when
# every generated run passed, else FAILED with why.
test_stack() {
  local dir="$1" name="${1#"$WORK"/test/}" want got
  want=$(python3 -c 'import re,sys; m=re.search(r"(\d+) apply run, (\d+) precondition runs", open(sys.argv[1]).read()); print(int(m[1])+int(m[2]))' "$dir/expected")
  if (cd "$dir" && "$TF" test -no-color >test.log 2>&1); then
    got=$(grep -c '^  run ".*"\.\.\. pass' "$dir/test.log" || true)
    if [ "$got" = "$want" ]; then
      echo "ok: $name: $got of $want runs pass" >"$dir/result"
      return 0
    fi
    echo "FAILED: $name: $got of the $want generated runs passed" >"$dir/result"
  else
    { echo "FAILED: $name"; tail -25 "$dir/test.log" | sed 's/^/    /'; } >"$dir/result"
  fi
  return 1
}
export -f test_stack
export WORK TF
[ -s "$WORK/stacks" ] || { echo "$ENGINE test: FAILED: no stack was synthesized" >&2; exit 1; }
xargs -P 2 -I{} bash -c 'test_stack "$@"' _ {} <"$WORK/stacks" || true
total=0 bad=0
while read -r dir; do
  total=$((total + 1))
  cat "$dir/result" 2>/dev/null || echo "FAILED: ${dir#"$WORK"/test/}: no result"
  grep -q '^ok: ' "$dir/result" 2>/dev/null || bad=$((bad + 1))
done <"$WORK/stacks"
echo "$ENGINE test: $((total - bad)) passed, $bad failed"
[ "$bad" = 0 ]
