// Startup bench (product.md §13): median wall time of nemoclaw invocations as a ratio of
// `node -e 0`, measured side by side (interleaved) in one run on this machine.
//   node scripts/bench-startup.mjs [--runs 30]
// Prints one line per case and exits 0; budgets are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const cli = new URL('../dist/nemoclaw.js', import.meta.url).pathname;
const emptyHome = mkdtempSync(join(tmpdir(), 'nc-bench-empty-'));
const fullHome = mkdtempSync(join(tmpdir(), 'nc-bench-50-'));
writeFileSync(join(fullHome, 'sandboxes.json'), JSON.stringify(registry(50)));

const cases = [
  { name: 'node -e 0', args: ['-e', '0'], env: {} },
  { name: 'nemoclaw --version', args: [cli, '--version'], env: {}, budget: 1.15 },
  { name: 'nemoclaw --help', args: [cli, '--help'], env: {}, budget: 1.2 },
  {
    name: 'nemoclaw list (empty)',
    args: [cli, 'list'],
    env: { NEMOCLAW_HOME: emptyHome },
    budget: 1.3,
  },
  {
    name: 'nemoclaw list (50 sandboxes)',
    args: [cli, 'list'],
    // `list` asks OpenShell once per gateway when sandboxes exist; a stub answers instantly.
    env: {
      NEMOCLAW_HOME: fullHome,
      NEMOCLAW_OPENSHELL_BIN: new URL('./bench-openshell-stub.sh', import.meta.url).pathname,
    },
    budget: 1.5,
  },
];

function once(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, {
    env: { ...process.env, ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const times = cases.map(() => []);
for (let w = 0; w < 3; w++) cases.forEach(once); // warm the file and code caches
for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => times[j].push(once(c)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
console.log(`startup bench: ${RUNS} interleaved runs, node ${process.version}`);
cases.forEach((c, j) => {
  const m = median(times[j]);
  const ratio = m / base;
  const verdict = c.budget
    ? ratio <= c.budget
      ? `within budget ${c.budget}x`
      : `OVER budget ${c.budget}x`
    : 'baseline';
  console.log(
    `${c.name.padEnd(30)} median ${m.toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}x  ${verdict}`,
  );
});
rmSync(emptyHome, { recursive: true, force: true });
rmSync(fullHome, { recursive: true, force: true });

function registry(n) {
  const sandboxes = {};
  for (let i = 0; i < n; i++) {
    const name = `sandbox-${i}`;
    sandboxes[name] = {
      name,
      agent: i % 2 ? 'hermes' : 'openclaw',
      provider: 'build',
      model: 'nvidia/nemotron-3-super-120b-a12b',
      blueprintVersion: '0.1.0',
      blueprintDigest: `sha256:${'a'.repeat(64)}`,
      image: 'nemoclaw-sandbox-openclaw:0.1.0-aaaaaaaaaaaa',
      policyTier: 'balanced',
      presets: ['npm', 'pypi', 'huggingface', 'brew', 'brave'],
      customPolicies: [],
      gpu: { enabled: false },
      dashboardPort: 18789 + (i % 10),
      gatewayName: 'nemoclaw',
      channels: [],
      createdAt: '2026-11-21T00:00:00.000Z',
      updatedAt: '2026-11-21T00:00:00.000Z',
    };
  }
  return { schemaVersion: 1, defaultSandbox: 'sandbox-0', sandboxes };
}
