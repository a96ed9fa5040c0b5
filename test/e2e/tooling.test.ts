/**
 * doctor, debug, gc and uninstall: the built CLI against the simulator with real containers. One
 * world (one onboarding) for the file; uninstall runs last because it takes the world apart.
 * Everything here is scoped by its own NEMOCLAW_TEST_RUN_ID, so gc and uninstall cannot touch what
 * parallel test files own on the same Engine.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRun, docker, importBusyboxImage, skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { writeInterruptedRebuild } from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('operator tooling end to end');
const SCOPE = `tool${randomBytes(4).toString('hex')}`;
const M = 'ai.nvidia.nemoclaw.managed-by';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  );
}

describe.skipIf(skip)('operator tooling', () => {
  let images: Images;
  let w: World;
  const name = `tl-${randomBytes(3).toString('hex')}`;
  let nc: string;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images, { env: { NEMOCLAW_TEST_RUN_ID: SCOPE } });
    nc = w.env.NEMOCLAW_HOME!;
    const r = await w.cli(['onboard', '--name', name]);
    expect(r.stderr + r.stdout).not.toContain('Error:');
    expect(r.code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await w?.cleanup();
    await cleanupRun(SCOPE);
    await cleanupImages();
  });

  it('doctor --json: one document, preflight and state checks, healthy after onboarding', async () => {
    const r = await w.cli(['doctor', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    const ids = doc.checks.map((c: { id: string }) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'docker.engine',
        'openshell.version',
        'state.registry',
        'gateway',
        'state.openshell',
        'blueprint.0.1.0',
      ]),
    );
    const byId = Object.fromEntries(doc.checks.map((c: { id: string }) => [c.id, c]));
    expect(byId['gateway'].status).toBe('ok');
    expect(byId['state.openshell'].status).toBe('ok');
    expect(byId['blueprint.0.1.0'].status).toBe('ok');
    expect(r.code).toBe(doc.summary.fail > 0 ? 1 : 0);
  }, 60_000);

  it('doctor finds an interrupted rebuild and an orphan sandbox, each with its fix, and exits 1', async () => {
    writeInterruptedRebuild(nc, name);
    const orphan = `orph-${randomBytes(3).toString('hex')}`;
    const c = await w.sim.run(
      ['sandbox', 'create', '--name', orphan, '--from', images.base, '-g', 'nemoclaw'],
      { env: { NEMOCLAW_TEST_RUN_ID: SCOPE } },
    );
    expect(c.code, c.stderr).toBe(0);
    try {
      const r = await w.cli(['doctor']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `✗ Rebuild of ${name}: interrupted at step restore (Restoring the agent state)`,
      );
      expect(r.stdout).toContain(`fix: nemoclaw ${name} rebuild --resume`);
      expect(r.stdout).toContain(
        `! Sandbox ${orphan}: exists on nemoclaw's gateway but is not registered`,
      );
      expect(r.stdout).toMatch(/\d+ ok, \d+ warning\(s\), \d+ failure\(s\)/);
    } finally {
      rmSync(join(nc, 'journal'), { recursive: true, force: true });
      await w.sim.run(['sandbox', 'delete', orphan, '-g', 'nemoclaw']);
    }
  }, 60_000);

  it('debug: a tar.gz with a manifest of every entry, and no secret anywhere inside', async () => {
    const canaries = {
      env: `nvapi-CANARY${randomBytes(12).toString('hex')}`,
      custom: `canary-${randomBytes(12).toString('hex')}`,
      fileOnly: `fileonly${randomBytes(12).toString('hex')}`,
      url: `pw${randomBytes(8).toString('hex')}`,
    };
    // A log line and a fake config carrying the secrets, as a careless process might have left them.
    mkdirSync(join(nc, 'logs'), { recursive: true });
    appendFileSync(
      join(nc, 'logs', `nemoclaw-${new Date().toISOString().slice(0, 10)}.jsonl`),
      `${JSON.stringify({ msg: `key ${canaries.env} and ${canaries.custom}`, apiKey: canaries.fileOnly })}\n`,
    );
    writeFileSync(
      join(nc, 'onboard-session.json'),
      JSON.stringify({
        intent: {
          sandboxName: name,
          apiKey: canaries.fileOnly,
          proxy: `http://u:${canaries.url}@proxy:3128`,
        },
        note: `FOO_TOKEN=${canaries.custom}`,
      }),
    );
    const out = mkdtempSync(join(tmpdir(), 'nc-debug-'));
    try {
      const file = join(out, 'bundle.tar.gz');
      const r = await w.cli(['debug', '--sandbox', name, '--output', file], {
        env: {
          NVIDIA_API_KEY: canaries.env,
          FOO_TOKEN: canaries.custom,
          HTTPS_PROXY: `http://u:${canaries.url}@proxy:3128`,
        },
      });
      expect(r.stderr).not.toContain('Error:');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const x = join(out, 'x');
      mkdirSync(x);
      await extract({ file, cwd: x });
      const files = walk(x)
        .map((f) => relative(x, f))
        .sort();
      const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8'));
      expect(manifest.schemaVersion).toBe(1);
      expect(manifest.entries.map((e: { path: string }) => e.path).sort()).toEqual(
        files.filter((f) => f !== 'manifest.json'),
      );
      for (const e of manifest.entries) {
        const bytes = readFileSync(join(x, e.path));
        expect(bytes.length, e.path).toBe(e.bytes);
        const { createHash } = await import('node:crypto');
        expect(createHash('sha256').update(bytes).digest('hex'), e.path).toBe(e.sha256);
        expect(e.description).toBeTruthy();
      }
      expect(files).toEqual(
        expect.arrayContaining([
          'system.json',
          'versions.json',
          'env.json',
          'openshell/status.json',
          'openshell/sandbox-list.json',
          'state/sandboxes.json',
          'state/onboard-session.json',
          'doctor.json',
          `sandbox/${name}/get.json`,
          `sandbox/${name}/policy.yaml`,
          expect.stringMatching(/^logs\/nemoclaw-.*\.jsonl$/),
        ]),
      );
      expect(readFileSync(join(x, 'versions.json'), 'utf8')).toContain('openshell 0.0.111');
      expect(readFileSync(join(x, 'openshell/sandbox-list.json'), 'utf8')).toContain(name);
      // The canary test: no secret in any file, however it got there.
      for (const f of files) {
        const t = readFileSync(join(x, f), 'utf8');
        for (const [k, c] of Object.entries(canaries))
          expect(t.includes(c), `${k} canary in ${f}`).toBe(false);
      }
      expect(readFileSync(join(x, 'env.json'), 'utf8')).toContain('<REDACTED>');
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(join(nc, 'onboard-session.json'), { force: true });
    }
  }, 90_000);

  it('debug --quick skips the slow probes and says so in the manifest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nc-debug-'));
    try {
      const r = await w.cli(['debug', '--quick', '-o', join(out, 'q.tar.gz')]);
      expect(r.code).toBe(0);
      const x = join(out, 'x');
      mkdirSync(x);
      await extract({ file: join(out, 'q.tar.gz'), cwd: x });
      const m = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8'));
      expect(m.quick).toBe(true);
      expect(m.skipped).toEqual(
        expect.arrayContaining([{ path: 'doctor.json', reason: '--quick' }]),
      );
      expect(existsSync(join(x, 'doctor.json'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('gc --dry-run lists unused nemoclaw images and containers; gc removes them and keeps the used image', async () => {
    const orphanTag = `nemoclaw-sandbox-openclaw:orphan-${SCOPE}`;
    await importBusyboxImage(orphanTag, { labels: { [M]: 'nemoclaw', 'nemoclaw.test': SCOPE } });
    const d = docker();
    const cname = `nc-gc-${SCOPE}`;
    await d.createContainer({
      name: cname,
      Image: orphanTag,
      Cmd: ['true'],
      Labels: {
        [M]: 'nemoclaw',
        'ai.nvidia.nemoclaw.role': 'inference-ollama',
        'nemoclaw.test': SCOPE,
      },
    });
    const reg = JSON.parse(readFileSync(join(nc, 'sandboxes.json'), 'utf8'));
    const used = reg.sandboxes[name].image as string;

    const dry = await w.cli(['gc', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Would remove:');
    expect(dry.stdout).toContain(`container ${cname}`);
    expect(dry.stdout).toContain(`image ${orphanTag}`);
    expect(dry.stdout).toContain(`image ${used}  (used by the sandbox ${name})`);
    expect(dry.stdout).toContain(`(the OpenShell gateway)`);
    expect(await d.getImage(orphanTag).inspect()).toBeTruthy();

    const r = await w.cli(['gc']);
    expect(r.stderr).not.toContain('Could not remove');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Removed 2 of 2');
    await expect(d.getImage(orphanTag).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(d.getContainer(cname).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await d.getImage(used).inspect()).toBeTruthy();
    // The sandbox's own container inherits the image's labels; gc must leave it running.
    const sb = await d.listContainers({
      filters: JSON.stringify({
        label: [`openshell.ai/sandbox-name=${name}`, `openshell.sim/state=${w.sim.stateDir}`],
      }),
    });
    expect(sb.map((c) => c.State)).toEqual(['running']);
    const again = await w.cli(['gc', '--dry-run']);
    expect(again.stdout).toContain('Nothing to remove');
  }, 60_000);

  it('uninstall: refuses without a terminal or --yes; --dry-run changes nothing; --yes removes and reports', async () => {
    const refused = await w.cli(['uninstall'], { env: { NEMOCLAW_NON_INTERACTIVE: '' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('nemoclaw uninstall --yes');

    // What install.sh would have left: a receipt naming the OpenShell CLI it put in place.
    const bin = mkdtempSync(join(tmpdir(), 'nc-bin-'));
    writeFileSync(join(bin, 'openshell'), '#!/bin/sh\n');
    chmodSync(join(bin, 'openshell'), 0o755);
    writeFileSync(
      join(nc, 'install-receipt'),
      `openshell_path=${join(bin, 'openshell')}\nnemoclaw_prefix=${bin}\n`,
    );
    mkdirSync(join(nc, 'snapshots', name), { recursive: true });
    writeFileSync(join(nc, 'snapshots', name, 'keep.tar.gz'), 'x');
    const reg = JSON.parse(readFileSync(join(nc, 'sandboxes.json'), 'utf8'));
    const image = reg.sandboxes[name].image as string;

    const dry = await w.cli(['uninstall', '--dry-run', '--keep-openshell']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`sandbox ${name}`);
    expect(dry.stdout).toContain(`container ${w.gatewayContainer}`);
    expect(existsSync(join(nc, 'sandboxes.json'))).toBe(true);

    const r = await w.cli(['uninstall', '--yes', '--keep-openshell']);
    expect(r.stderr).not.toContain('could not remove');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✓ sandbox ${name}`);
    expect(r.stdout).toContain(`✓ container ${w.gatewayContainer}`);
    expect(r.stdout).toContain(`✓ image ${image}`);
    expect(r.stdout).toMatch(/Kept \(\d+\):/);
    expect(r.stdout).toContain(
      `volume ${w.gatewayContainer}-state  (the gateway state (provider credentials); remove with --destroy-user-data)`,
    );
    expect(r.stdout).toContain(`${join(nc, 'snapshots')}  (your snapshots`);
    expect(r.stdout).toContain(`${join(bin, 'openshell')}  (--keep-openshell)`);
    expect(r.stderr).toContain(`npm uninstall -g --prefix ${bin} nemoclaw`);

    const d = docker();
    await expect(d.getContainer(w.gatewayContainer).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await d.getVolume(`${w.gatewayContainer}-state`).inspect()).toBeTruthy();
    await expect(d.getImage(image).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(readdirSync(nc)).toEqual(['snapshots']);
    expect(existsSync(join(bin, 'openshell'))).toBe(true);
    const list = await w.sim.run(['sandbox', 'list', '-g', 'nemoclaw']);
    expect(list.stdout).not.toContain(name);
    rmSync(bin, { recursive: true, force: true });
  }, 90_000);
});
