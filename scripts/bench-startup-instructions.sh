#!/bin/sh
# The startup bench's cases counted in CPU instructions (valgrind), a measure that load on a shared
# machine does not move: node runs single-threaded with fixed seeds, so each count repeats exactly.
# It counts only user-space instructions of the nemoclaw process (not the kernel's work, nor the
# openshell child), so it complements the wall-time bench (bench-startup.mjs), it does not replace it.
#   npm run build && sh scripts/bench-startup-instructions.sh [DIST]
set -e
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
dist=${1:-$root/dist}
stub=$root/scripts/bench-openshell-stub.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/empty" "$tmp/full" "$tmp/cache"
# The same 50-sandbox registry and OpenShell answer as bench-startup.mjs.
node -e '
const [dir] = process.argv.slice(1); const fs = require("node:fs"); const s = {}; const a = [];
for (let i = 0; i < 50; i++) { const name = `sandbox-${i}`;
  s[name] = { name, agent: i % 2 ? "hermes" : "openclaw", provider: "build", model: "nvidia/nemotron-3-super-120b-a12b",
    blueprintVersion: "0.1.0", blueprintDigest: `sha256:${"a".repeat(64)}`, image: "nemoclaw-sandbox-openclaw:0.1.0-aaaaaaaaaaaa",
    policyTier: "balanced", presets: ["npm", "pypi", "huggingface", "brew", "brave"], customPolicies: [], gpu: { enabled: false },
    dashboardPort: 18789 + (i % 10), gatewayName: "nemoclaw", channels: [], createdAt: "2026-11-21T00:00:00.000Z", updatedAt: "2026-11-21T00:00:00.000Z" };
  a.push({ id: `id-${i}`, name, phase: "Ready", created_at: "2026-11-21T00:00:00Z", labels: {} }); }
fs.writeFileSync(`${dir}/full/sandboxes.json`, JSON.stringify({ schemaVersion: 1, defaultSandbox: "sandbox-0", sandboxes: s }));
fs.writeFileSync(`${dir}/answer.json`, JSON.stringify(a));' "$tmp"
export XDG_CACHE_HOME="$tmp/cache" NEMOCLAW_OPENSHELL_BIN="$stub"
BENCH_OPENSHELL_SANDBOXES=$(cat "$tmp/answer.json")
export BENCH_OPENSHELL_SANDBOXES
count() { # millions of instructions of one run
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    grep 'I *refs' | tail -1 | awk '{ gsub(",", "", $4); printf "%.1f", $4 / 1e6 }'
}
# The compile cache's folder depends on node's flags: the runs that fill it use the same ones.
node="node --single-threaded --hash-seed=1 --random-seed=1"
for i in 1 2; do # fill the compile cache
  NEMOCLAW_HOME="$tmp/empty" $node "$dist/nemoclaw.js" list >/dev/null
  NEMOCLAW_HOME="$tmp/full" $node "$dist/nemoclaw.js" list >/dev/null
done
base=$(count $node -e 0)
echo "startup instructions (millions, valgrind, node $(node --version), $dist):"
printf '%-30s %7s\n' 'node -e 0' "$base"
line() { printf '%-30s %7s  ratio %s\n' "$1" "$2" "$(echo "$2 $base" | awk '{ printf "%.2fx", $1 / $2 }')"; }
line 'nemoclaw --version' "$(count $node "$dist/nemoclaw.js" --version)"
line 'nemoclaw --help' "$(count $node "$dist/nemoclaw.js" --help)"
line 'nemoclaw list (empty)' "$(NEMOCLAW_HOME="$tmp/empty" count $node "$dist/nemoclaw.js" list)"
line 'nemoclaw list (50 sandboxes)' "$(NEMOCLAW_HOME="$tmp/full" count $node "$dist/nemoclaw.js" list)"
