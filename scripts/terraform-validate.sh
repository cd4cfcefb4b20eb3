#!/usr/bin/env bash
# Best-effort `terraform validate` of every synthesized stack against the
# AWS provider's schema. It needs Terraform and a local provider mirror
# (no registry is reachable here): by default /opt/tf-plugins, which some
# machine images ship with hashicorp/aws 5.100.0, which the stacks'
# constraint (~> 5.84) admits. Without Terraform or a mirror it says so
# loudly and exits 0: CI must not depend on what a machine happens to have.
set -euo pipefail
cd "$(dirname "$0")/.."

MIRROR="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
AWS_DIR="$MIRROR/registry.terraform.io/hashicorp/aws"
if ! command -v terraform >/dev/null || [ ! -d "$AWS_DIR" ]; then
  echo "terraform validate: SKIPPED: needs terraform on PATH and an AWS provider mirror at $MIRROR" >&2
  exit 0
fi
VERSION="$(ls "$AWS_DIR" | sort -V | tail -1)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
plugin_cache_dir = "$WORK/plugin-cache"
TFRC
mkdir -p "$WORK/plugin-cache"
export TF_CLI_CONFIG_FILE="$WORK/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
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
