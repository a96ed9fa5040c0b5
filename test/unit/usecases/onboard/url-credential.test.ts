/**
 * Issue 18 item 5: an endpoint URL that carries a credential is masked on stderr and in the log,
 * and state files keep it only redacted.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/cli.ts';
import { useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-urlsecret-' });

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (statSync(p).isFile()) out.push(p);
  }
  return out;
}

const URL_WITH_SECRETS = 'http://user:USERINFOSECRET1@127.0.0.1:9/v1?api_key=QUERYSECRET2';
const ENV = {
  NEMOCLAW_PROVIDER: 'custom',
  NEMOCLAW_MODEL: 'm1',
  COMPATIBLE_API_KEY: 'k-123456789',
  NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
  // Preflight fails at once: nothing outside NEMOCLAW_HOME is touched.
  NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
  DOCKER_HOST: 'unix:///nonexistent.sock',
};

function everything(r: { stdout: string; stderr: string }): string {
  return [r.stdout, r.stderr, ...filesUnder(t.home).map((f) => readFileSync(f, 'utf8'))].join('\n');
}

describe('an endpoint URL with credentials', () => {
  it('onboarding keeps neither the userinfo nor the query key in output, log or session', async () => {
    const r = await runCli(['onboard', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_ENDPOINT_URL: URL_WITH_SECRETS,
      ...ENV,
    });
    expect(r.code).toBe(1);
    const text = everything(r);
    expect(text).not.toContain('USERINFOSECRET1');
    expect(text).not.toContain('QUERYSECRET2');
    const session = JSON.parse(readFileSync(join(t.home, 'onboard-session.json'), 'utf8'));
    expect(session.intent.endpointUrl).toBe('http://<REDACTED>@127.0.0.1:9/v1?api_key=<REDACTED>');
  });

  it('--resume takes the credential from the environment again, or refuses (exit 2)', async () => {
    await runCli(['onboard', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_ENDPOINT_URL: URL_WITH_SECRETS,
      ...ENV,
    });
    const session = readFileSync(join(t.home, 'onboard-session.json'), 'utf8');
    const without = await runCli(['onboard', '--resume', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      ...ENV,
    });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('NEMOCLAW_ENDPOINT_URL=');
    const other = await runCli(['onboard', '--resume', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_ENDPOINT_URL: 'http://user:OTHER99@10.0.0.1:9/v1?api_key=Q',
      ...ENV,
    });
    expect(other.code).toBe(2);
    expect(readFileSync(join(t.home, 'onboard-session.json'), 'utf8')).toBe(session);
    const again = await runCli(['onboard', '--resume', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_ENDPOINT_URL: URL_WITH_SECRETS,
      ...ENV,
    });
    expect(again.code).toBe(1); // preflight again, not the URL
    expect(again.stderr).toContain('Preflight');
    expect(everything(again)).not.toContain('USERINFOSECRET1');
  });

  it('a refused URL is named without its credential', async () => {
    const r = await runCli(['onboard', '--non-interactive'], {
      NEMOCLAW_HOME: t.home,
      ...ENV,
      NEMOCLAW_ENDPOINT_URL: 'ftp://admin:HUNTER2PW@files.example/v1?token=TOKVAL',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('files.example/v1');
    expect(everything(r)).not.toMatch(/HUNTER2PW|TOKVAL/);
  });
});
