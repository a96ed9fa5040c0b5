/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryStore } from '../../../../src/adapters/state/registry-store.ts';
import { emptyRegistry, withSandbox } from '../../../../src/core/registry/schema.ts';
import { runCli } from '../../../helpers/cli.ts';
import { SOURCE } from '../../../helpers/snapshot-fixtures.ts';
let home: string;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'nc-resume-'));
  await registryStore(join(home, 'sandboxes.json')).update(() =>
    withSandbox(emptyRegistry(), {
      ...SOURCE,
      provider: 'build',
      model: 'm',
      image: 'img',
      policyTier: 'balanced',
      presets: [],
      customPolicies: [],
      gpu: { enabled: false },
      dashboardPort: 18789,
      gatewayName: 'nemoclaw',
      channels: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }),
  );
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('onboard', () => {
  const env = {
    NEMOCLAW_PROVIDER: 'build',
    NVIDIA_API_KEY: 'nvapi-test-0123456789',
    NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
    NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
    DOCKER_HOST: 'unix:///nonexistent.sock',
  };

  it('over a corrupt registry names it and starts nothing (no session, no step)', async () => {
    writeFileSync(join(home, 'sandboxes.json'), '{"schemaVersion": 1, "sandb');
    const r = await runCli(['onboard', '--non-interactive'], { NEMOCLAW_HOME: home, ...env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(home, 'sandboxes.json'));
    expect(r.stderr).not.toContain('[1/8]');
    expect(existsSync(join(home, 'onboard-session.json'))).toBe(false);
  });

  it('--resume over a registry damaged since is refused before any step', async () => {
    const first = await runCli(['onboard', '--non-interactive'], { NEMOCLAW_HOME: home, ...env });
    expect(first.code).toBe(1); // preflight: no Docker, no OpenShell
    const session = readFileSync(join(home, 'onboard-session.json'), 'utf8');
    writeFileSync(join(home, 'sandboxes.json'), '{"schemaVersion": 1, "defaultSandbox": 5}');
    const r = await runCli(['onboard', '--resume', '--non-interactive'], {
      NEMOCLAW_HOME: home,
      ...env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sandboxes.json');
    expect(r.stderr).not.toContain('[1/8]');
    expect(readFileSync(join(home, 'onboard-session.json'), 'utf8')).toBe(session);
    expect(readdirSync(home)).not.toContain('sandboxes.json.bad');
  });
});
