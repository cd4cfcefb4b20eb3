#!/usr/bin/env bash
# Best-effort `terraform validate` of every synthesized stack against the
# AWS provider's schema, both as cdktf synth writes it (JSON) and as
# cdktf synth --hcl writes it (HCL); with TF_ENGINE=tofu, `tofu validate`. It needs Terraform and a local provider mirror
# (no registry is reachable here): by default /opt/tf-plugins, which some
# machine images ship with hashicorp/aws 5.100.0, which the stacks'
# constraint (~> 5.84) admits. Without Terraform or a mirror it says so
# loudly and exits 0: CI must not depend on what a machine happens to have.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/terraform-lib.sh
need_terraform "$ENGINE validate" "${REQUIRE_VALIDATE:-}"
VERSION="$(mirror_version)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
use_mirror "$WORK"
echo "$ENGINE validate: $(engine_version), hashicorp/aws $VERSION from $MIRROR"

bash scripts/synth-all.sh "$WORK/out/json" >/dev/null
SYNTH_HCL_OUTPUT=true bash scripts/synth-all.sh "$WORK/out/hcl" >/dev/null
failed=0 count=0
for f in $(cd "$WORK/out" && find . -name cdk.tf.json -o -name cdk.tf | sort); do
  dir="$WORK/validate/$(dirname "$f")"
  mkdir -p "$dir"
  case "$f" in *.json) cp "$WORK/out/$f" "$dir/main.tf.json" ;; *) cp "$WORK/out/$f" "$dir/main.tf" ;; esac
  count=$((count + 1))
  if (cd "$dir" && "$TF" init -backend=false -input=false >init.log 2>&1 && "$TF" validate -no-color >validate.log 2>&1); then
    echo "ok: ${f#./}"
  else
    echo "FAILED: ${f#./}"
    cat "$dir/init.log" "$dir/validate.log" 2>/dev/null | tail -30
    failed=1
  fi
done
# Both formats of every stack: as many HCL stacks as JSON ones.
json=$(cd "$WORK/out/json" && find . -name cdk.tf.json | sed 's/\.json$//' | sort)
hcl=$(cd "$WORK/out/hcl" && find . -name cdk.tf | sort)
if [ -z "$json" ] || [ "$json" != "$hcl" ]; then
  echo "FAILED: the JSON and HCL synths wrote different stacks:" >&2
  diff <(echo "$json") <(echo "$hcl") >&2 || true
  failed=1
fi
echo "$ENGINE validate: $count stack files checked"
exit $failed
