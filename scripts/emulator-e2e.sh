#!/usr/bin/env bash
# `cdktf deploy provider consumer` for real, against an AWS emulator (moto,
# from the machine's Python) on loopback: no AWS account, no credentials.
#   bash scripts/emulator-e2e.sh        (make e2e)
#   TF_ENGINE=tofu bash scripts/emulator-e2e.sh   (the same with OpenTofu)
# For the zero-config demo, examples/config/same-account-demo.yaml,
# examples/config/https-demo.yaml (with a self-signed certificate imported
# into the emulator's ACM) and the demo with NLB access logs, each in its
# own project folder and emulator, in parallel:
#   1. cdktf synth, lock the provider from the local mirror, cdktf deploy;
#   2. check through the AWS API what a user would check (emulator_check.py);
#   3. plan again: no changes but the emulator's documented gaps; eject the
#      stacks to plain Terraform and plan those: the same (eject_compare.py);
#   4. break the wiring (delete the NLB listener) and check that the checks
#      name it;
#   5. cdktf destroy provider alone is refused while the consumer exists;
#      cdktf destroy provider consumer (either order) destroys the consumer
#      first, and nothing of ours is left.
# Needs terraform, a provider mirror (TF_PLUGIN_MIRROR, default
# /opt/tf-plugins), python3 with moto and boto3, and node_modules (make
# setup). Without them it says SKIPPED loudly and exits 0, unless
# REQUIRE_E2E=1 (a machine that must run it). Every process it starts is
# stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/terraform-lib.sh
LAYER="emulator e2e"
need_terraform "$LAYER" "${REQUIRE_E2E:-}"
python3 -c 'import moto, boto3, flask, flask_cors' 2>/dev/null || skip "$LAYER" "${REQUIRE_E2E:-}" "python3 has no moto server (moto, boto3, flask, flask_cors: the AWS emulator)"
[ -x node_modules/.bin/cdktf ] || skip "$LAYER" "${REQUIRE_E2E:-}" "no cdktf CLI in node_modules (run make setup)"
command -v openssl >/dev/null || skip "$LAYER" "${REQUIRE_E2E:-}" "no openssl for the test certificate"

# Each scenario, and its emulator, runs in a process group of its own,
# recorded in WORK/NAME/*.pgid; cleanup stops them all, also on Ctrl-C.
WORK="$(mktemp -d)"
cleanup() {
  shopt -s nullglob
  for f in "$WORK"/*/*.pgid; do kill -- "-$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

use_mirror "$WORK"
echo "$LAYER: $(engine_version), hashicorp/aws $(mirror_version), moto $(python3 -c 'import moto; print(moto.__version__)')"
if [ "$ENGINE" = tofu ]; then
  # cdktf's lock-file check only knows registry.terraform.io, so under
  # OpenTofu it runs `tofu providers lock -platform=...` before every
  # deploy, which asks registry.opentofu.org (unreachable here). cdktf runs
  # this shim instead, which locks from the mirror; every other command
  # goes straight to tofu. Online, cdktf needs no shim.
  mkdir -p "$WORK/bin"
  cat >"$WORK/bin/tofu" <<SHIM
#!/usr/bin/env bash
if [ "\${1:-}" = providers ] && [ "\${2:-}" = lock ]; then
  shift 2
  exec "$TF" providers lock -fs-mirror="$(engine_mirror)" "\$@"
fi
exec "$TF" "\$@"
SHIM
  chmod +x "$WORK/bin/tofu"
  export TERRAFORM_BINARY_NAME="$WORK/bin/tofu"
fi
export TF TF_ENGINE="$ENGINE"
export CI=true \
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=ap-northeast-1 AWS_DEFAULT_REGION=ap-northeast-1 \
  AWS_MAX_ATTEMPTS=2 ALB_PRIVATELINK_CONFIG= CDKTF_CONTEXT_JSON= NO_PROXY='*' no_proxy='*'
unset AWS_PROFILE AWS_SESSION_TOKEN

go build -o "$WORK/app" .
# Fill the plugin cache once: the scenarios' inits then only read it
# (concurrent inits that fill one cache can corrupt it).
mkdir -p "$WORK/warm"
printf '{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.84"}}}}\n' >"$WORK/warm/main.tf.json"
(cd "$WORK/warm" && "$TF" init -input=false >/dev/null)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# scenario NAME CONFIG PORTS PROTOCOL: one project, one emulator, the five
# steps (scripts/emulator-scenario.sh, a process of its own so that its
# errexit holds, at most 20 minutes), its log in WORK/NAME/e2e.log.
scenario() {
  local name="$1" config="$2" ports="$3" protocol="$4" dir="$WORK/$1" port rc=0
  mkdir -p "$dir"
  : >"$dir/e2e.log"
  port="$(free_port)"
  setsid python3 -m moto.server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
  local moto=$!
  echo "$moto" >"$dir/moto.pgid"
  AWS_ENDPOINT_URL="http://127.0.0.1:$port" setsid timeout 1200 bash "$ROOT/scripts/emulator-scenario.sh" \
    "$dir" "$WORK/app" "$config" "$ports" "$protocol" >"$dir/e2e.log" 2>&1 &
  local run=$!
  echo "$run" >"$dir/scenario.pgid"
  wait "$run" || rc=$?
  kill -- "-$moto" 2>/dev/null || true
  [ "$rc" = 0 ] && echo ok >"$WORK/$name.result"
  return 0
}

NAMES=()
PIDS=()
# E2E_ONLY=NAME[,NAME...] runs only those scenarios.
# access-logs: the NLB's access logs to a new bucket (a config of its own:
# examples/config/dual-stack.yaml has them too, but moto 5.2.1 never
# finishes associating a subnet's IPv6 block, so dual stack is covered by
# the synth and mocked-provider tests only).
printf 'provider:\n  nlb:\n    accessLogs:\n      expireDays: 30\n' >"$WORK/access-logs.yaml"
for spec in "demo||80|HTTP" "same-account-demo|examples/config/same-account-demo.yaml|80|HTTP" "https-demo|examples/config/https-demo.yaml|443|HTTPS" "access-logs|$WORK/access-logs.yaml|80|HTTP"; do
  IFS='|' read -r name config ports protocol <<<"$spec"
  [ -n "${E2E_ONLY:-}" ] && [[ ",$E2E_ONLY," != *",$name,"* ]] && continue
  NAMES+=("$name")
  scenario "$name" "$config" "$ports" "$protocol" &
  PIDS+=($!)
done
[ ${#NAMES[@]} -gt 0 ] || { echo "emulator e2e: no scenario named ${E2E_ONLY:-} (demo, same-account-demo, https-demo, access-logs)" >&2; exit 1; }
wait "${PIDS[@]}" || true

failed=0
for name in "${NAMES[@]}"; do
  grep -E '^(ok|FAILED|---)|passed, .* failed' "$WORK/$name/e2e.log" | sed "s/^/$name: /" || true
  if [ "$(cat "$WORK/$name.result" 2>/dev/null)" != ok ]; then
    failed=$((failed + 1))
    echo "=== $name FAILED; the end of its log:"
    tail -40 "$WORK/$name/e2e.log" || true
  fi
done
echo "emulator e2e: $((${#NAMES[@]} - failed)) passed, $failed failed"
exit $((failed > 0))
