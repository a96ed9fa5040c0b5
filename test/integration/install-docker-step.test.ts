/**
 * install.sh's Docker Engine step: the decision (`docker_plan`) and the commands it runs with
 * consent. The script is sourced with NEMOCLAW_INSTALL_LIB=1 so each function runs alone.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../helpers/sh.ts';

const INSTALL = join(import.meta.dirname, '../../install.sh');

describe('install.sh: the Docker Engine step', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nc-install-docker-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A PATH holding only the tools install.sh's Docker step uses, plus stand-ins for docker,
   * apt-get and the service managers that record what they were asked: the real ones would change
   * this host (and apt needs a network), so only the decision and the order of commands are
   * exercised here; the real commands are the distribution's own.
   */
  function toolbox(o: { docker?: 'answers' | 'silent'; aptGet?: boolean }) {
    const bin = mkdtempSync(join(dir, 'tools-'));
    const log = join(bin, 'calls');
    for (const t of ['sh', 'sed', 'tr', 'cut', 'id', 'cat', 'sleep', 'mkdir', 'grep', 'chmod']) {
      const real = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(real, join(bin, t));
    }
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    if (o.docker === 'answers') stub('docker', 'exit 0');
    if (o.docker === 'silent') stub('docker', 'exit 1');
    // Installing the package brings the docker CLI, and the engine answers once it is installed.
    if (o.aptGet)
      stub(
        'apt-get',
        `[ "$1" = install ] && printf '#!/bin/sh\\necho "docker $*" >> ${log}\\n' > '${bin}/docker' && chmod 755 '${bin}/docker'; exit 0`,
      );
    stub('env', 'shift; exec "$@"');
    stub('systemctl', 'exit 0');
    stub('service', 'exit 0');
    return { bin, log };
  }
  const osRelease = (text: string) => {
    const f = join(mkdtempSync(join(dir, 'os-')), 'os-release');
    writeFileSync(f, text);
    return f;
  };
  const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
  const MINT = 'ID=linuxmint\nID_LIKE="ubuntu debian"\n';
  const FEDORA = 'ID=fedora\n';

  async function plan(tools: { bin: string }, os: string, platform = 'linux') {
    const r = await sh(['-c', `. '${INSTALL}'; OS=${platform}; docker_plan "$(docker_state)"`], {
      PATH: tools.bin,
      NEMOCLAW_INSTALL_LIB: '1',
      NEMOCLAW_OS_RELEASE: osRelease(os),
    });
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  }

  it('decides from what answers, the distribution and apt-get', async () => {
    expect(await plan(toolbox({ docker: 'answers' }), UBUNTU)).toBe('ok');
    expect(await plan(toolbox({ docker: 'silent', aptGet: true }), UBUNTU)).toBe('start');
    expect(await plan(toolbox({ aptGet: true }), UBUNTU)).toBe('apt-install');
    expect(await plan(toolbox({ aptGet: true }), MINT)).toBe('apt-install');
    expect(await plan(toolbox({ aptGet: true }), FEDORA)).toBe('manual');
    expect(await plan(toolbox({}), UBUNTU)).toBe('manual');
    expect(await plan(toolbox({ aptGet: true }), UBUNTU, 'darwin')).toBe('manual');
  });

  async function ensure(tools: { bin: string }, extra = '') {
    return sh(['-c', `. '${INSTALL}'; OS=linux; ${extra} ensure_docker; echo "rc=$?"`], {
      PATH: tools.bin,
      NEMOCLAW_INSTALL_LIB: '1',
      NEMOCLAW_OS_RELEASE: osRelease(UBUNTU),
    });
  }
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';

  it('without --yes and without a terminal it shows the commands and changes nothing', async () => {
    const t = toolbox({ aptGet: true });
    const r = await ensure(t);
    expect(r.stdout).toBe('rc=0\n');
    expect(r.stderr).toContain(`    ${sudo}apt-get update\n`);
    expect(r.stderr).toContain(
      `    ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io\n`,
    );
    expect(r.stderr).toContain('Not changing the system without consent: re-run with --yes');
    expect(existsSync(t.log)).toBe(false);
  });

  it('with --yes it installs docker.io, starts and enables it, and waits until it answers', async () => {
    const t = toolbox({ aptGet: true });
    const r = await ensure(t, 'YES=1;');
    expect(r.stderr).not.toContain('Error');
    expect(r.stdout).toBe('rc=0\n');
    const calls = readFileSync(t.log, 'utf8').split('\n').filter(Boolean);
    const ran = calls.filter((c) => !c.startsWith('docker '));
    expect(ran.slice(0, 3)).toEqual([
      'apt-get update',
      'env DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io',
      'apt-get install -y docker.io',
    ]);
    expect(ran[3]).toMatch(/^(systemctl enable --now docker|service docker start)$/);
    expect(calls.at(-1)).toMatch(/^docker (info|version)/);
    expect(r.stderr).toMatch(/Docker: /);
  });

  it('--skip-docker only says how', async () => {
    const t = toolbox({ docker: 'silent', aptGet: true });
    const r = await ensure(t, 'SKIP_DOCKER=1;');
    expect(r.stderr).toContain('not touching it (--skip-docker)');
    expect(readFileSync(t.log, 'utf8')).not.toMatch(/systemctl|service|apt-get/);
  });

  it('a failing apt-get stops the installer with the command that failed', async () => {
    const t = toolbox({ aptGet: true });
    writeFileSync(
      join(t.bin, 'apt-get'),
      '#!/bin/sh\necho "E: Unable to locate package" >&2\nexit 100\n',
    );
    const r = await ensure(t, 'YES=1;');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Error: "${sudo}apt-get update" failed`);
  });
});
