# Shortcuts for the commands in README.md and docs/. CDKTF and the AWS
# bindings are pinned in package.json and go.mod; nothing here installs a
# global tool.
export CHECKPOINT_DISABLE := 1
# jsii's end-of-life banner on Node 20 is not silenced: see docs/node-versions.md.

.PHONY: setup synth synth-hcl test vet cover bench golden rules-doc scan validate lock tftest e2e eject cost doctor tofu node-matrix ci clean

# The cdktf CLI straight from node_modules: npx would add about 0.4 s to
# every call to find it.
CDKTF := node_modules/.bin/cdktf

# npm ci only when package.json or package-lock.json changed since the last
# install (npm ci wipes node_modules and takes most of a fresh setup).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# The cdktf CLI loads node-pty's native addon on start; its package ships
# prebuilt ones only up to Node 20, and --ignore-scripts builds none, so on
# Node 22 or 24 setup builds it once (npm rebuild; see docs/node-versions.md).
setup: node_modules/.package-lock.json
	@node -e 'require("@cdktf/node-pty-prebuilt-multiarch")' 2>/dev/null || { \
	  echo "setup: node-pty has no prebuilt addon for Node $$(node --version); building it (npm rebuild)"; \
	  npm rebuild @cdktf/node-pty-prebuilt-multiarch --no-audit --no-fund || { \
	    echo "setup: building node-pty failed; the cdktf CLI cannot start on this Node (see docs/node-versions.md)" >&2; exit 1; }; }
	go mod download

synth: setup
	$(CDKTF) synth

# The same stacks as HCL (cdk.tf), with the same checks (see docs/leaving-cdktf.md).
synth-hcl: setup
	$(CDKTF) synth --hcl

# The README's test command, and CI's: on a fresh clone it installs what the
# tests need first (the e2e tests run the cdktf CLI from node_modules).
test: setup
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

# Plain Terraform root modules, one per stack, in DIR (see docs/leaving-cdktf.md),
# with every flag of go run . eject: CONFIG=FILE (-config), ALLOW_MISSING_STATE=1
# (-allow-missing-state).
eject:
	@if [ -z "$(DIR)" ]; then echo "usage: make eject DIR=terraform [CONFIG=FILE] [ALLOW_MISSING_STATE=1]" >&2; exit 2; fi
	go run . eject -out "$(DIR)"$(if $(CONFIG), -config "$(CONFIG)")$(if $(filter 1 true yes,$(ALLOW_MISSING_STATE)), -allow-missing-state)

# The monthly cost of the configured design for GB a month (see docs/privatelink.md).
GB ?= 100
cost:
	go run . cost -gb $(GB)$(if $(CONFIG), -config "$(CONFIG)")

# Check the deployed stacks link by link (AWS credentials needed).
doctor:
	go run . doctor$(if $(CONFIG), -config "$(CONFIG)")

# Build OpenTofu into the tools cache (the scripts take TF_ENGINE=tofu).
tofu:
	@bash scripts/tofu-install.sh

# The golden synths, cdktf synth and the e2e package on Node 22 and 24
# (installed from the npm registry into the tools cache; docs/node-versions.md).
node-matrix: setup
	bash scripts/node-matrix.sh

ci:
	bash .ci/run

clean:
	rm -rf cdktf.out
