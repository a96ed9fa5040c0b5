// Startup bench (product.md §13, issue 17 item 7): each nemoclaw invocation's median wall time as
// a ratio of `node -e 0`'s, the cases run interleaved (one of each, in turn) in one run on this
// machine, so load that comes and goes touches every case alike.
//   npm run build && node scripts/bench-startup.mjs [--runs 30] [--dist DIR (another build)]
//     [--compare DIR (a second build, its cases run in the same interleaved rounds: before/after)]
// Prints one line per case and exits 0; budgets are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const distArg = process.argv.indexOf('--dist');
const cli =
  distArg > 0
    ? join(process.argv[distArg + 1], 'nemoclaw.js')
    : new URL('../dist/nemoclaw.js', import.meta.url).pathname;
const compareArg = process.argv.indexOf('--compare');
const compare = compareArg > 0 ? join(process.argv[compareArg + 1], 'nemoclaw.js') : undefined;
const stub = new URL('./bench-openshell-stub.sh', import.meta.url).pathname;
const emptyHome = mkdtempSync(join(tmpdir(), 'nc-bench-empty-'));
const fullHome = mkdtempSync(join(tmpdir(), 'nc-bench-50-'));
writeFileSync(join(fullHome, 'sandboxes.json'), JSON.stringify(registry(50)));
// What the real `openshell sandbox list -o json` would say about them: all 50, Ready.
const answer = JSON.stringify(
  Array.from({ length: 50 }, (_, i) => ({
    id: `id-${i}`,
    name: `sandbox-${i}`,
    phase: 'Ready',
    created_at: '2026-11-21T00:00:00Z',
    labels: {},
  })),
);
// A compile cache of its own, so that the bench neither reads nor fills the user's.
const cacheHome = mkdtempSync(join(tmpdir(), 'nc-bench-cache-'));

const nemoclawCases = (bin, label = '') => [
  { name: `${label}nemoclaw --version`, args: [bin, '--version'], budget: 1.1 },
  { name: `${label}nemoclaw --help`, args: [bin, '--help'], budget: 1.1 },
  {
    name: `${label}nemoclaw list (empty)`,
    args: [bin, 'list'],
    env: { NEMOCLAW_HOME: emptyHome },
    budget: 1.1,
  },
  {
    name: `${label}nemoclaw list (50 sandboxes)`,
    args: [bin, 'list'],
    // One `openshell sandbox list` for the gateway; the stub answers at once (see below).
    env: {
      NEMOCLAW_HOME: fullHome,
      NEMOCLAW_OPENSHELL_BIN: stub,
      BENCH_OPENSHELL_SANDBOXES: answer,
    },
    budget: 1.3,
    expect: /phase: Ready/,
  },
];
const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  ...nemoclawCases(cli),
  ...(compare ? nemoclawCases(compare, 'compare: ') : []),
  {
    name: 'the openshell stub alone',
    file: stub,
    args: ['sandbox', 'list', '-g', 'nemoclaw', '-o', 'json', '--all-workspaces'],
    env: { BENCH_OPENSHELL_SANDBOXES: answer },
    info: true,
  },
];

function once(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.file ?? process.execPath, c.args, {
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  if (c.expect && !c.expect.test(r.stdout)) throw new Error(`${c.name} printed: ${r.stdout}`);
  return ms;
}

const times = cases.map(() => []);
for (let w = 0; w < 3; w++) cases.forEach(once); // warm the file and code caches
for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => times[j].push(once(c)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const base = median(times[0]);
const baseMin = Math.min(...times[0]);
const cpu = cpus();
console.log(
  `startup bench: medians of ${RUNS} interleaved runs; node ${process.version}; ` +
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
let over = 0;
const width = Math.max(...cases.map((c) => c.name.length));
cases.forEach((c, j) => {
  const m = median(times[j]);
  const ratio = m / base;
  let verdict = 'baseline';
  if (c.info) verdict = '(one process start, a part of the 50-sandbox case)';
  else if (c.budget) {
    verdict = ratio <= c.budget ? `within budget ${c.budget}x` : `OVER budget ${c.budget}x`;
    if (ratio > c.budget) over++;
  }
  // The fastest run of each, as a ratio too: under load it is nearer the quiet-machine figure.
  const fastest = Math.min(...times[j]) / baseMin;
  console.log(
    `${c.name.padEnd(width)} median ${m.toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}x  ` +
      `(fastest ${fastest.toFixed(2)}x)  ${verdict}`,
  );
});
console.log(over ? `${over} case(s) over budget` : 'every case within budget');
for (const d of [emptyHome, fullHome, cacheHome]) rmSync(d, { recursive: true, force: true });

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
