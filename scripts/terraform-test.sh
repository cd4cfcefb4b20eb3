#!/usr/bin/env bash
# Plan and apply every stack of the demo and of every example config under
# Terraform's test framework with a mocked AWS provider (mock_provider):
# no credentials, no network. The tests are generated from the synthesized
# JSON (scripts/mock_tests.py): an apply run per stack, and a run per
# precondition that breaks what it guards and expects it to fire.
#   bash scripts/terraform-test.sh       (make tftest)
# Needs terraform and a provider mirror (TF_PLUGIN_MIRROR, default
# /opt/tf-plugins); without them it says SKIPPED loudly and exits 0, unless
# REQUIRE_TFTEST=1 (a machine that must run it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/terraform-lib.sh
need_terraform "terraform test" "${REQUIRE_TFTEST:-}"

WORK="$(mktemp -d)"
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
use_mirror "$WORK"
mkdir -p "$WORK/schema"
# No credentials anywhere near: a mocked provider must not need them.
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL

printf '{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.84"}}}}\n' >"$WORK/schema/main.tf.json"
(cd "$WORK/schema" && terraform init -input=false >/dev/null && terraform providers schema -json >"$WORK/schema.json")
echo "terraform test: $(terraform version | head -1), hashicorp/aws $(mirror_version), mocked"

bash scripts/synth-all.sh "$WORK/out" >/dev/null
for f in $(cd "$WORK/out" && find . -name cdk.tf.json | sort); do
  dir="$WORK/test/$(dirname "${f#./}")"
  mkdir -p "$dir"
  # The state backend plays no part in a test; without it init needs nothing remote.
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d.get("terraform",{}); t.pop("backend",None); t.pop("cloud",None); json.dump(d, open(sys.argv[2],"w"))' \
    "$WORK/out/$f" "$dir/main.tf.json"
  python3 scripts/mock_tests.py "$WORK/schema.json" "$dir" >/dev/null
  # init one at a time: concurrent inits may race on the plugin cache.
  (cd "$dir" && terraform init -backend=false -input=false >init.log 2>&1) || { echo "FAILED: ${dir#"$WORK"/test/}: terraform init" >&2; tail -20 "$dir/init.log" >&2; exit 1; }
  echo "$dir"
done >"$WORK/stacks"

# test_stack DIR: one stack's terraform test; prints ok or FAILED with why.
test_stack() {
  local dir="$1" name="${1#"$WORK"/test/}"
  if (cd "$dir" && terraform test -no-color >test.log 2>&1); then
    echo "ok: $name: $(grep -c '^  run ".*"\.\.\. pass' "$dir/test.log") runs pass"
  else
    echo "FAILED: $name"
    tail -25 "$dir/test.log" | sed 's/^/    /'
    return 1
  fi
}
export -f test_stack
export WORK
failed=0
xargs -P 2 -I{} bash -c 'test_stack "$@"' _ {} <"$WORK/stacks" >"$WORK/results" || failed=1
cat "$WORK/results"
total=$(grep -c '^ok: \|^FAILED: ' "$WORK/results" || true)
bad=$(grep -c '^FAILED: ' "$WORK/results" || true)
echo "terraform test: $((total - bad)) passed, $bad failed"
[ "$failed" = 0 ] && [ "$bad" = 0 ]
