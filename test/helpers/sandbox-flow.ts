/**
 * The steps the sandbox e2e tests share (test/e2e/*): a world with one onboarded sandbox, shell
 * commands run in a sandbox through the simulator, the agent state's checksum, the registry entry
 * and rebuild journal as the CLI left them, and a CLI run killed with SIGKILL at a journal step.
 * Each helper asserts what every caller asserted before it was shared.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  buildStandinImages,
  CLI,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from './e2e.ts';
import { journalAt } from './rebuild-journal.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Stand-in images, a world, and `onboard --name <name> …onboard` in it, which must succeed; when
 * it fails, the world is removed here, since the caller never gets it to tear down.
 */
export async function onboardedWorld(
  name: string,
  o: { onboard?: string[]; world?: Parameters<typeof createWorld>[1] } = {},
): Promise<{ images: Images; w: World }> {
  const images = await buildStandinImages();
  const w = await createWorld(images, o.world);
  const r = await w.cli(['onboard', '--name', name, ...(o.onboard ?? [])]);
  if (r.code !== 0) {
    await w.cleanup();
    throw new Error(`onboard failed: ${r.stderr}`);
  }
  return { images, w };
}

/** Removes the world (if it was made) and the run's images. */
export async function tearDownWorld(w: World | undefined): Promise<void> {
  await w?.cleanup();
  await cleanupImages();
}

/** `openshell sandbox exec -n <name> -- <argv>` on the world's gateway, straight to the simulator. */
export const simExec = (w: World, name: string, argv: string[]) =>
  w.sim.run(['sandbox', 'exec', '-n', name, '-g', 'nemoclaw', '--', ...argv]);

/** A shell command in the sandbox, through the simulator. */
export const simSh = (w: World, name: string, cmd: string) => simExec(w, name, ['sh', '-c', cmd]);

/** A shell command in the sandbox that must succeed; its stdout. */
export async function simShOk(w: World, name: string, cmd: string): Promise<string> {
  const r = await simSh(w, name, cmd);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/**
 * A shell command that prints every path of the agent's state (/sandbox/.openclaw-data) with its
 * kind, mode, and link target or content hash; `find` narrows what is listed.
 */
export const stateChecksum = (find = '') =>
  `cd /sandbox/.openclaw-data && find .${find ? ` ${find}` : ''} | sort | while read f; do if [ -L "$f" ]; then echo "L $f $(readlink "$f")"; elif [ -f "$f" ]; then echo "F $f $(stat -c %a "$f") $(sha256sum < "$f" | cut -c1-16)"; else echo "D $f $(stat -c %a "$f")"; fi; done`;

/** The registry's sandboxes, as the CLI wrote them. */
export const registered = (w: World) =>
  JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8')).sandboxes;

/** Where the CLI keeps the rebuild journal of a sandbox. */
export const journalPath = (home: string, name: string) => join(home, 'journal', `${name}.json`);

/** The simulator calls since `from` that replace a sandbox. */
export const mutatingCalls = (w: World, from: number) =>
  w.sim
    .invocations()
    .slice(from)
    .filter((c) => ['sandbox delete', 'sandbox create'].includes(c.command ?? ''));

/**
 * Runs the CLI with `args`, paused at journal step `step` (NEMOCLAW_FAULT_PAUSE), waits until the
 * journal of sandbox `name` says the step started, and kills the process there with SIGKILL.
 */
export async function killAtStep(
  w: World,
  o: { name: string; args: string[]; step: string; what: string },
): Promise<void> {
  const file = journalPath(w.env.NEMOCLAW_HOME!, o.name);
  const child = spawn(process.execPath, [CLI, ...o.args], {
    env: { ...w.env, NEMOCLAW_FAULT_PAUSE: `${o.step}:60000` },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (existsSync(file)) {
      const j = JSON.parse(readFileSync(file, 'utf8'));
      if (j.steps?.[o.step]?.status === 'in_progress') break;
    }
    if (child.exitCode !== null)
      throw new Error(`${o.what} exited (${child.exitCode}) before step ${o.step}`);
    if (Date.now() > deadline) throw new Error(`step ${o.step} never started`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

/** A rebuild journal for `name` whose every step is complete up to `restore`, which is in progress. */
export function writeInterruptedRebuild(home: string, name: string): void {
  mkdirSync(join(home, 'journal'), { recursive: true });
  const journal = journalAt(name, 'restore', { status: 'in_progress' });
  writeFileSync(journalPath(home, name), JSON.stringify(journal));
}

/** A copy of a packaged blueprint with the policies and presets it names, as a folder or release. */
export function copyBlueprint(version: string, dest: string): void {
  cpSync(join(ROOT, 'blueprints', version), dest, { recursive: true });
  for (const d of ['policies', 'presets'])
    cpSync(join(ROOT, d), join(dest, d), { recursive: true });
}
