/**
 * Issue 18 item 6: `uninstall` removes only what nemoclaw made. The user's own gateway and
 * supervisor images, and a container of their own that has the gateway's name, stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RUN_ID,
  TEST_LABEL,
  cleanupRun,
  docker,
  importBusyboxImage,
  skipWithoutDocker,
  uniqueName,
} from '../helpers/docker.ts';
import { runCli } from '../helpers/cli.ts';

const skip = await skipWithoutDocker('uninstall keeps what it did not make');

describe.skipIf(skip)('uninstall and the user’s own Docker objects', () => {
  let home: string;
  const gatewayImage = `${uniqueName('user-gateway')}:1`;
  const supervisorImage = `${uniqueName('user-supervisor')}:1`;
  const container = uniqueName('user-gateway-ctr');
  let env: Record<string, string>;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'nc-uninstall-owned-'));
    await importBusyboxImage(gatewayImage);
    await importBusyboxImage(supervisorImage);
    await docker().createContainer({
      name: container,
      Image: gatewayImage,
      Cmd: ['/bin/sh'],
      Labels: { [TEST_LABEL]: RUN_ID },
    });
    env = {
      NEMOCLAW_HOME: home,
      NEMOCLAW_TEST_RUN_ID: RUN_ID,
      NEMOCLAW_GATEWAY_IMAGE: gatewayImage,
      NEMOCLAW_SUPERVISOR_IMAGE: supervisorImage,
      NEMOCLAW_GATEWAY_CONTAINER: container,
      NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
    };
  }, 120_000);
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    await cleanupRun();
  });

  it('plans to keep them, says why, and leaves them after --yes', async () => {
    const dry = await runCli(['uninstall', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = dry.stdout;
    const cut = plan.indexOf('and keep:');
    const removes = cut >= 0 ? plan.slice(0, cut) : plan;
    expect(removes).not.toContain(gatewayImage);
    expect(removes).not.toContain(supervisorImage);
    expect(removes).not.toContain(container);
    expect(plan).toContain(`docker image rm ${gatewayImage}`);

    const r = await runCli(['uninstall', '--yes'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = docker();
    expect(await d.getImage(gatewayImage).inspect()).toBeTruthy();
    expect(await d.getImage(supervisorImage).inspect()).toBeTruthy();
    expect(await d.getContainer(container).inspect()).toBeTruthy();
  }, 120_000);
});
