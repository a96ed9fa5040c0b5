/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/cli.ts';
import { sandboxEntry, useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-resume-', sandboxes: [sandboxEntry()] });

describe('onboard', () => {
  const env = {
    NEMOCLAW_PROVIDER: 'build',
    NVIDIA_API_KEY: 'nvapi-test-0123456789',
    NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
    NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
    DOCKER_HOST: 'unix:///nonexistent.sock',
  };

  it('over a corrupt registry names it and starts nothing (no session, no step)', async () => {
    writeFileSync(join(t.home, 'sandboxes.json'), '{"schemaVersion": 1, "sandb');
    const r = await runCli(['onboard', '--non-interactive'], { NEMOCLAW_HOME: t.home, ...env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(t.home, 'sandboxes.json'));
    expect(r.stderr).not.toContain('[1/8]');
    expect(existsSync(join(t.home, 'onboard-session.json'))).toBe(false);
  });

  it('--resume over a registry damaged since is refused before any step', async () => {
    const first = await runCli(['onboard', '--non-interactive'], { NEMOCLAW_HOME: t.home, ...env });
    expect(first.code).toBe(1); // preflight: no Docker, no OpenShell
    const session = readFileSync(join(t.home, 'onboard-session.json'), 'utf8');
    writeFileSync(join(t.home, 'sandboxes.json'), '{"schemaVersion": 1, "defaultSandbox": 5}');
    const r = await runCli(['onboard', '--resume', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      ...env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sandboxes.json');
    expect(r.stderr).not.toContain('[1/8]');
    expect(readFileSync(join(t.home, 'onboard-session.json'), 'utf8')).toBe(session);
    expect(readdirSync(t.home)).not.toContain('sandboxes.json.bad');
  });
});
