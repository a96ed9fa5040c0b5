/**
 * `nemoclaw <name> logs --denied` end to end: a request from inside an onboarded sandbox is
 * denied by the simulator's proxy, the denial shows with the policy that would allow it, and
 * after `policy-add --from-file` of that policy the same request passes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { startHealthServer } from '../helpers/simulator.ts';

const skip = await skipWithoutDocker('logs --denied end to end');
const NAME = 'denials-sb';
const HOST = 'blocked.example.test';

describe.skipIf(skip)('logs --denied', () => {
  let images: Images;
  let w: World;
  let outside: Awaited<ReturnType<typeof startHealthServer>>;
  let work: string;

  beforeAll(async () => {
    outside = await startHealthServer();
    images = await buildStandinImages();
    w = await createWorld(images, { simEnv: { OPENSHELL_SIM_HOSTS: `${HOST}:80=${outside.url}` } });
    work = mkdtempSync(join(tmpdir(), 'nc-denials-'));
    const r = await w.cli(['onboard', '--name', NAME]);
    if (r.code !== 0) throw new Error(`onboard failed:\n${r.stderr}`);
  }, 240_000);
  afterAll(async () => {
    await w?.cleanup();
    await outside?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    await cleanupImages();
  });

  it('shows the denial with a policy that allows it, which then lets it through', async () => {
    const fetch = () => w.cli([NAME, 'exec', '--', 'wget', '-q', '-O-', `http://${HOST}/page`]);
    const denied = await fetch();
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('403');

    const logs = await w.cli([NAME, 'logs', '--denied']);
    expect(logs.code).toBe(0);
    const lines = logs.stdout.split('\n');
    // Only denials (and what explains them) are printed.
    expect(lines.some((l) => l.includes('[gateway]'))).toBe(false);
    const at = lines.findIndex((l) =>
      /\[ocsf\] HTTP:GET \[MED\] DENIED \/bin\/busybox\(\d+\) -> GET http:\/\/blocked\.example\.test\/page/.test(
        l,
      ),
    );
    expect(at, logs.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toContain(`no preset allows GET ${HOST}:80/page from /bin/busybox`);
    expect(lines[at + 1]).toContain(`nemoclaw ${NAME} policy-add --from-file allow.yaml`);
    const snippet = [];
    for (const l of lines.slice(at + 2)) {
      if (!l.startsWith('      ')) break;
      snippet.push(l.slice(6));
    }
    writeFileSync(join(work, 'allow.yaml'), `${snippet.join('\n')}\n`);
    expect(logs.stderr).toMatch(/1 denied request\b/);

    const add = await w.cli([NAME, 'policy-add', '--from-file', join(work, 'allow.yaml'), '--yes']);
    expect(add.code, add.stderr).toBe(0);
    const ok = await fetch();
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('ok');

    const after = await w.cli([NAME, 'logs', '--denied']);
    expect(after.stdout).toContain(
      `GET ${HOST}:80/page from /bin/busybox is allowed by the current policy now.`,
    );
  });
});
