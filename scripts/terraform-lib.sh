# Sourced by the scripts that run Terraform against the local provider
# mirror (terraform-validate.sh, terraform-test.sh, emulator-e2e.sh,
# lock-providers.sh, gen-block-schema.sh).
#
# TF_ENGINE=tofu runs them with OpenTofu instead of Terraform: the binary
# scripts/tofu-install.sh builds (cached outside the repo), as $TF, and
# exported as TERRAFORM_BINARY_NAME, which the cdktf CLI runs in place of
# terraform.

MIRROR="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
ENGINE="${TF_ENGINE:-terraform}"
LIBDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${ALB_PRIVATELINK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/alb-privatelink-tools}"
TF=terraform

# skip LAYER REQUIRED REASON: say loudly on stderr that LAYER cannot run
# here, and stop: exit 1 when REQUIRED is 1 (a machine that must run it),
# else 0 (CI must not depend on what a machine happens to have).
skip() {
  echo "$1: SKIPPED: $3" >&2
  case "$2" in 1 | true | yes) exit 1 ;; esac
  exit 0
}

# need_terraform LAYER REQUIRED: the engine (terraform, or OpenTofu with
# TF_ENGINE=tofu) and hashicorp/aws in the mirror; sets TF.
need_terraform() {
  case "$ENGINE" in
  terraform)
    command -v terraform >/dev/null || skip "$1" "$2" "terraform is not on PATH"
    TF=terraform
    ;;
  tofu)
    TF="$(bash "$LIBDIR/tofu-install.sh")" || skip "$1" "$2" "OpenTofu could not be built (scripts/tofu-install.sh)"
    ;;
  *) echo "TF_ENGINE=$ENGINE: use terraform or tofu" >&2; exit 1 ;;
  esac
  export TERRAFORM_BINARY_NAME="$TF"
  [ -d "$MIRROR/registry.terraform.io/hashicorp/aws" ] || skip "$1" "$2" "no hashicorp/aws in the provider mirror $MIRROR (set TF_PLUGIN_MIRROR)"
}

# engine_version: the first line of the engine's version.
engine_version() { "$TF" version 2>/dev/null | head -1; }

# mirror_version: the newest hashicorp/aws in the mirror.
mirror_version() { ls "$MIRROR/registry.terraform.io/hashicorp/aws" | sort -V | tail -1; }

# registry_host: where the engine says hashicorp/aws comes from.
registry_host() { [ "$ENGINE" = tofu ] && echo registry.opentofu.org || echo registry.terraform.io; }

# engine_mirror: the mirror as the engine reads it. OpenTofu looks for
# registry.opentofu.org/hashicorp/aws, and does not follow a symlinked
# folder there: it gets a copy of the mirror's tree (hard links where the
# file system allows, so no space), kept beside the OpenTofu build.
engine_mirror() {
  if [ "$ENGINE" != tofu ]; then
    echo "$MIRROR"
    return
  fi
  local src="$MIRROR/registry.terraform.io/hashicorp/aws" version dst tmp
  version="$(mirror_version)"
  # One folder per mirrored version, never changed once complete: a run
  # that uses it is not disturbed by another that makes a new one.
  dst="$TOOLS/tofu-mirror-$version"
  if ! ls "$dst/registry.opentofu.org/hashicorp/aws/$version"/*/terraform-provider-aws_* >/dev/null 2>&1; then
    tmp="$dst.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp/registry.opentofu.org/hashicorp/aws"
    if ! cp -al "$src/." "$tmp/registry.opentofu.org/hashicorp/aws/" 2>/dev/null; then
      rm -rf "$tmp" && mkdir -p "$tmp/registry.opentofu.org/hashicorp/aws"
      cp -R "$src/." "$tmp/registry.opentofu.org/hashicorp/aws/"
    fi
    rm -rf "$dst" && mv "$tmp" "$dst"
  fi
  echo "$dst"
}

# use_mirror DIR: a CLI configuration in DIR that installs hashicorp/aws
# from the mirror only (no registry is reachable), with a plugin cache
# there, and the environment to use it (Terraform and OpenTofu both read
# TF_CLI_CONFIG_FILE).
use_mirror() {
  local host mirror
  host="$(registry_host)"
  mirror="$(engine_mirror)"
  cat >"$1/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$host/hashicorp/aws"]
  }
  direct {
    exclude = ["$host/hashicorp/aws"]
  }
}
plugin_cache_dir = "$1/plugin-cache"
TFRC
  mkdir -p "$1/plugin-cache"
  export TF_CLI_CONFIG_FILE="$1/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}
