# Sourced by the scripts that run Terraform against the local provider
# mirror (terraform-validate.sh, terraform-test.sh, emulator-e2e.sh).

MIRROR="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

# skip LAYER REQUIRED REASON: say loudly on stderr that LAYER cannot run
# here, and stop: exit 1 when REQUIRED is 1 (a machine that must run it),
# else 0 (CI must not depend on what a machine happens to have).
skip() {
  echo "$1: SKIPPED: $3" >&2
  case "$2" in 1 | true | yes) exit 1 ;; esac
  exit 0
}

# need_terraform LAYER REQUIRED: terraform and hashicorp/aws in the mirror.
need_terraform() {
  command -v terraform >/dev/null || skip "$1" "$2" "terraform is not on PATH"
  [ -d "$MIRROR/registry.terraform.io/hashicorp/aws" ] || skip "$1" "$2" "no hashicorp/aws in the provider mirror $MIRROR (set TF_PLUGIN_MIRROR)"
}

# mirror_version: the newest hashicorp/aws in the mirror.
mirror_version() { ls "$MIRROR/registry.terraform.io/hashicorp/aws" | sort -V | tail -1; }

# use_mirror DIR: a Terraform CLI configuration in DIR that installs
# hashicorp/aws from the mirror only (the registry is not reachable),
# with a plugin cache there, and the environment to use it.
use_mirror() {
  cat >"$1/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
plugin_cache_dir = "$1/plugin-cache"
TFRC
  mkdir -p "$1/plugin-cache"
  export TF_CLI_CONFIG_FILE="$1/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}
