#!/usr/bin/env bash
# Regenerate internal/tfhcl/blocks_gen.go (which nested keys of the AWS
# resources are blocks) from the provider schema in the local mirror.
#   bash scripts/gen-block-schema.sh      (or: go generate ./internal/tfhcl)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/terraform-lib.sh
need_terraform "block schema" 1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
use_mirror "$WORK"
printf '{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.84"}}}}\n' >"$WORK/main.tf.json"
(cd "$WORK" && "$TF" init -input=false >/dev/null && "$TF" providers schema -json) |
  go run ./internal/tfhcl/gen | gofmt >"$WORK/blocks_gen.go"
mv "$WORK/blocks_gen.go" internal/tfhcl/blocks_gen.go
echo "wrote internal/tfhcl/blocks_gen.go from hashicorp/aws $(mirror_version)"
