// Snapshot packing bench (product.md §13): nemoclaw's snapshot writer against `tar czf` on the
// same generated tree, side by side in one run, plus the writer's peak RSS.
//   node scripts/bench-snapshot.ts [--size-mb 1024] [--runs 3]
// Budget: packing <= 1.3 x `tar czf`; peak RSS < 150 MB. Not part of the test suite (too slow).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
}

/**
 * The child is bundled with esbuild (as `npm run build` does) so the figures are those of the
 * shipped CLI, not of Node's type stripping, which alone adds ~40 MB of RSS to a TypeScript run.
 */
async function buildChild(outDir: string): Promise<{ cmd: string[]; how: string }> {
  const entry = join(import.meta.dirname, 'bench-snapshot-child.ts');
  try {
    const { build } = await import('esbuild');
    const outfile = join(outDir, 'child.mjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      define: { __NEMOCLAW_VERSION__: '"bench"' },
      logLevel: 'warning',
    });
    return { cmd: [outfile], how: 'bundled' };
  } catch {
    return { cmd: [entry], how: 'type-stripped source (esbuild not found)' };
  }
}

/** Half incompressible (random), half compressible (agent-like text), in files of mixed size. */
function generate(dir: string, totalMb: number): { files: number; bytes: number } {
  const total = totalMb * 1024 * 1024;
  let bytes = 0;
  let files = 0;
  const sizes = [4_096, 65_536, 1_048_576, 8_388_608];
  const line = (i: number) =>
    `2026-05-18T10:15:${String(i % 60).padStart(2, '0')}Z user asked about item ${i % 977}; the agent remembered note ${(i * 31) % 4099}\n`;
  while (bytes < total) {
    const sub = files % 2 === 0 ? 'workspace' : 'memory';
    const d = join(dir, 'sandbox/.openclaw', sub, `d${files % 16}`);
    mkdirSync(d, { recursive: true });
    const size = Math.min(sizes[files % sizes.length]!, total - bytes);
    let body: Buffer;
    if (files % 3 === 0) {
      body = randomBytes(size);
    } else {
      const parts: string[] = [];
      let n = 0;
      for (let i = files; n < size; i++) {
        const l = line(i);
        parts.push(l);
        n += l.length;
      }
      body = Buffer.from(parts.join('')).subarray(0, size);
    }
    writeFileSync(join(d, `f${files}.${files % 3 === 0 ? 'bin' : 'md'}`), body);
    bytes += size;
    files++;
  }
  return { files, bytes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function runChild(
  child: string[],
  tree: string,
  out: string,
): Promise<{ seconds: number; peakMb: number; archiveBytes: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...child, tree, out], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    c.stdout.on('data', (d: Buffer) => (text += d.toString()));
    c.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(text.trim().split('\n').at(-1)!))
        : reject(new Error(`child exited ${code}`)),
    );
  });
}

function runTar(tree: string, out: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('tar', ['czf', out, '-C', tree, 'sandbox'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tar czf exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const sizeMb = arg('--size-mb', 1024);
const runs = Math.max(1, arg('--runs', 3));
const work = mkdtempSync(join(tmpdir(), 'nemoclaw-bench-snapshot-'));
try {
  const tree = join(work, 'tree');
  process.stderr.write(`Generating a ${sizeMb} MiB workspace in ${tree}…\n`);
  const gen = generate(tree, sizeMb);
  const child = await buildChild(work);
  // Warm the page cache so neither side pays for the first read.
  spawnSync('tar', ['cf', '/dev/null', '-C', tree, 'sandbox']);
  const ours: number[] = [];
  const theirs: number[] = [];
  const rss: number[] = [];
  let ourBytes = 0;
  let tarBytes = 0;
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always runs on a cooler machine.
    const snapDir = join(work, `snapshots-${i}`);
    const tarOut = join(work, `tar-${i}.tar.gz`);
    const doOurs = async () => {
      const r = await runChild(child.cmd, tree, snapDir);
      ours.push(r.seconds);
      rss.push(r.peakMb);
      ourBytes = r.archiveBytes;
    };
    const doTar = () => {
      theirs.push(runTar(tree, tarOut));
      tarBytes = statSync(tarOut).size;
    };
    if (i % 2 === 0) {
      await doOurs();
      doTar();
    } else {
      doTar();
      await doOurs();
    }
    rmSync(snapDir, { recursive: true, force: true });
    rmSync(tarOut, { force: true });
    process.stderr.write(
      `run ${i + 1}/${runs}: nemoclaw ${ours.at(-1)!.toFixed(2)} s, tar czf ${theirs.at(-1)!.toFixed(2)} s\n`,
    );
  }
  const ratio = median(ours) / median(theirs);
  const peak = Math.max(...rss);
  const lines = [
    `snapshot bench: ${gen.files} files, ${(gen.bytes / 1048576).toFixed(0)} MiB, ${runs} run(s), nemoclaw ${child.how}`,
    `  nemoclaw pack (median): ${median(ours).toFixed(2)} s   archive ${(ourBytes / 1048576).toFixed(1)} MiB`,
    `  tar czf       (median): ${median(theirs).toFixed(2)} s   archive ${(tarBytes / 1048576).toFixed(1)} MiB`,
    `  ratio: ${ratio.toFixed(2)} x tar czf   (budget <= 1.30: ${ratio <= 1.3 ? 'ok' : 'OVER'})`,
    `  peak RSS: ${peak.toFixed(1)} MB   (budget < 150: ${peak < 150 ? 'ok' : 'OVER'})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
