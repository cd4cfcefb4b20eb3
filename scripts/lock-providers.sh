#!/usr/bin/env bash
# Write each synthesized stack's .terraform.lock.hcl from a local provider
# mirror, so that `cdktf deploy` and `cdktf diff` need no registry: cdktf
# runs `terraform providers lock` (which asks the registry, whatever the CLI
# configuration says) only when a stack has no lock file that matches.
#   bash scripts/lock-providers.sh [OUTDIR]      (make lock)
#   TF_ENGINE=tofu bash scripts/lock-providers.sh   (lock files for OpenTofu)
# MIRROR (default /opt/tf-plugins) is a filesystem mirror holding
# registry.terraform.io/hashicorp/aws; synth keeps the lock files, and a
# lock file records the exact version and hashes a deploy used.
set -euo pipefail
OUTDIR="${1:-cdktf.out}"
source "$(dirname "$0")/terraform-lib.sh" # MIRROR, ENGINE
need_terraform lock-providers 1
platform="$("$TF" version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["platform"])')"
mirror="$(engine_mirror)"
shopt -s nullglob
stacks=("$OUTDIR"/stacks/*/cdk.tf.json)
[ ${#stacks[@]} -gt 0 ] || { echo "lock-providers: no stacks in $OUTDIR; run cdktf synth first" >&2; exit 1; }
for f in "${stacks[@]}"; do
  dir="$(dirname "$f")"
  (cd "$dir" && "$TF" providers lock -fs-mirror="$mirror" -platform="$platform" >/dev/null)
  echo "locked: $dir/.terraform.lock.hcl ($(grep -m1 'version' "$dir/.terraform.lock.hcl" | tr -d ' '))"
done
