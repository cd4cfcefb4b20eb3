# Shortcuts for the commands in README.md and docs/. CDKTF and the AWS
# bindings are pinned in package.json and go.mod; nothing here installs a
# global tool.
export CHECKPOINT_DISABLE := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: setup synth synth-hcl test vet cover bench golden rules-doc scan validate lock tftest e2e eject cost doctor tofu ci clean

# The cdktf CLI straight from node_modules: npx would add about 0.4 s to
# every call to find it.
CDKTF := node_modules/.bin/cdktf

# npm ci only when package.json or package-lock.json changed since the last
# install (npm ci wipes node_modules and takes most of a fresh setup).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

setup: node_modules/.package-lock.json
	go mod download

synth: setup
	$(CDKTF) synth

# The same stacks as HCL (cdk.tf), with the same checks (see docs/leaving-cdktf.md).
synth-hcl: setup
	$(CDKTF) synth --hcl

test:
	go test ./... ./__tests__

vet:
	@files=$$(git ls-files -z '*.go' | xargs -0 gofmt -l); \
	  if [ -n "$$files" ]; then echo "gofmt needed on: $$files" >&2; exit 1; fi
	go vet ./... ./__tests__

# Coverage of all non-example code by the whole suite (cover.out, then a summary).
cover:
	go test -coverpkg=$$(go list ./... | grep -v /examples/ | paste -sd, -) -coverprofile=cover.out ./... ./__tests__ >/dev/null
	go tool cover -func=cover.out | tail -1

bench:
	bash scripts/bench.sh

golden:
	go test ./__tests__ -run Golden -update

# docs/guardrails.md from the policy rule registry (a test fails while it is stale).
rules-doc:
	go run ./policy/rules/gen

scan:
	bash scripts/trivy-scan.sh

validate:
	bash scripts/terraform-validate.sh

# validate, tftest, e2e and lock run OpenTofu instead with TF_ENGINE=tofu.

# Every stack planned and applied with a mocked AWS provider (terraform test).
tftest:
	bash scripts/terraform-test.sh

# cdktf deploy provider consumer, checks, re-plan and destroy against an AWS
# emulator (moto) on loopback: no AWS account needed.
e2e: setup
	bash scripts/emulator-e2e.sh

# Lock files for every synthesized stack from a local provider mirror
# (TF_PLUGIN_MIRROR, default /opt/tf-plugins): deploy then needs no registry.
lock:
	bash scripts/lock-providers.sh

# Plain Terraform root modules, one per stack, in DIR (see docs/leaving-cdktf.md).
eject:
	@if [ -z "$(DIR)" ]; then echo "usage: make eject DIR=terraform" >&2; exit 2; fi
	go run . eject -out "$(DIR)"

# The monthly cost of the configured design for GB a month (see docs/privatelink.md).
GB ?= 100
cost:
	go run . cost -gb $(GB)

# Check the deployed stacks link by link (AWS credentials needed).
doctor:
	go run . doctor

# Build OpenTofu into the tools cache (the scripts take TF_ENGINE=tofu).
tofu:
	@bash scripts/tofu-install.sh

ci:
	bash .ci/run

clean:
	rm -rf cdktf.out
