#!/usr/bin/env bash
# Best-effort `terraform validate` of every synthesized stack against the
# AWS provider's schema. It needs Terraform and a local provider mirror
# (no registry is reachable here): by default /opt/tf-plugins, which some
# machine images ship with hashicorp/aws 5.100.0, which the stacks'
# constraint (~> 5.84) admits. Without Terraform or a mirror it says so
# loudly and exits 0: CI must not depend on what a machine happens to have.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/terraform-lib.sh
need_terraform "terraform validate" "${REQUIRE_VALIDATE:-}"
VERSION="$(mirror_version)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
use_mirror "$WORK"
echo "terraform validate: $(terraform version | head -1), hashicorp/aws $VERSION from $MIRROR"

bash scripts/synth-all.sh "$WORK/out" >/dev/null
failed=0
for f in $(cd "$WORK/out" && find . -name cdk.tf.json | sort); do
  dir="$WORK/validate/$(dirname "$f")"
  mkdir -p "$dir"
  cp "$WORK/out/$f" "$dir/main.tf.json"
  if (cd "$dir" && terraform init -backend=false -input=false >init.log 2>&1 && terraform validate -no-color >validate.log 2>&1); then
    echo "ok: ${f#./}"
  else
    echo "FAILED: ${f#./}"
    cat "$dir/init.log" "$dir/validate.log" 2>/dev/null | tail -30
    failed=1
  fi
done
exit $failed
