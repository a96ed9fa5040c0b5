/**
 * `<name> rebuild --blueprint <https URL> --blueprint-sha256 <pin>` (issue 15) through the built
 * CLI against the simulator with real containers. The archive is served over real TLS on loopback
 * (a CA and leaf made here with openssl; the CLI trusts the CA through NODE_EXTRA_CA_CERTS). The
 * plan shows the blueprint diff; a wrong pin and a tampered archive are refused and change
 * nothing; the pinned archive rebuilds the sandbox on exactly that blueprint and keeps the state.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/blueprint/digest.ts';
import { skipWithoutDocker } from '../helpers/docker.ts';
import type { World } from '../helpers/e2e.ts';
import {
  copyBlueprint,
  journalPath,
  mutatingCalls,
  onboardedWorld,
  registered,
  simSh,
  simShOk,
  stateChecksum,
  tearDownWorld,
} from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('rebuild --blueprint <URL> end to end');
const NAME = 'bpurl-one';
const VERSION = '0.4.0';
const CHECKSUM = stateChecksum('! -name .nemoclaw-layout');

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

describe.skipIf(skip)('rebuild --blueprint <https URL>', () => {
  let w: World;
  let work: string;
  let server: Server;
  let url: string;
  let good: Buffer;
  let tampered: Buffer;
  let serveTampered = false;
  let env: Record<string, string>;
  const sh = (cmd: string) => simSh(w, NAME, cmd);
  const entry = () => registered(w)[NAME];
  const journal = () => journalPath(w.env.NEMOCLAW_HOME!, NAME);
  const checksum = () => simShOk(w, NAME, CHECKSUM);
  const pin = (b: Buffer) => `sha256:${sha256Hex(b)}`;
  const mutating = (from: number) => mutatingCalls(w, from);
  const fetched = () => {
    const dir = join(w.env.NEMOCLAW_HOME!, 'blueprints');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.includes(VERSION)) : [];
  };

  /** A release-shaped archive of the packaged 0.2.0 blueprint, as version 0.4.0. */
  async function archive(name: string, marker: string): Promise<Buffer> {
    const stage = join(work, `stage-${name}`);
    const top = join(stage, 'nemoclaw-blueprint');
    copyBlueprint('0.2.0', top);
    const y = join(top, 'blueprint.yaml');
    writeFileSync(y, readFileSync(y, 'utf8').replace(/^version: .*$/m, `version: ${VERSION}`));
    // What the image was built from shows in the sandbox.
    appendFileSync(join(top, 'Dockerfile'), `RUN printf ${marker} > /etc/nemoclaw-bp-origin\n`);
    const file = join(work, `${name}.tar.gz`);
    await tarCreate({ gzip: true, file, cwd: stage }, ['nemoclaw-blueprint']);
    return readFileSync(file);
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nc-bpurl-e2e-'));
    good = await archive('good', 'from-url');
    tampered = await archive('tampered', 'tampered');
    const ca = join(work, 'ca');
    const leaf = join(work, 'leaf');
    openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '2', '-subj', '/CN=nemoclaw test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
    ]); // prettier-ignore
    openssl([
      'req', '-x509', '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-newkey', 'ec',
      '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${leaf}.key`,
      '-out', `${leaf}.pem`, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'extendedKeyUsage=serverAuth',
      '-addext', 'basicConstraints=CA:FALSE',
    ]); // prettier-ignore
    server = createServer(
      { cert: readFileSync(`${leaf}.pem`), key: readFileSync(`${leaf}.key`) },
      (req, res) => {
        if (req.url !== '/nemoclaw-blueprint.tar.gz') return void res.writeHead(404).end();
        res
          .writeHead(200, { 'content-type': 'application/gzip' })
          .end(serveTampered ? tampered : good);
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}/nemoclaw-blueprint.tar.gz`;
    env = { NODE_EXTRA_CA_CERTS: `${ca}.pem` };

    ({ w } = await onboardedWorld(NAME, { onboard: ['--blueprint', '0.1.0'] }));
    const seed = await sh(
      'mkdir -p /sandbox/.openclaw/workspace/a /sandbox/.openclaw/memory && printf "day one\\n" > /sandbox/.openclaw/memory/log.md && printf x > /sandbox/.openclaw/workspace/a/c.txt',
    );
    if (seed.code !== 0) throw new Error(seed.stderr);
  }, 300_000);
  afterAll(async () => {
    await tearDownWorld(w);
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a URL without a pin, with a wrong pin, or serving a tampered archive is refused and changes nothing', async () => {
    const state = await checksum();
    const before = entry();
    const from = w.sim.invocations().length;

    const unpinned = await w.cli([NAME, 'rebuild', '--blueprint', url, '--yes'], { env });
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toContain('--blueprint-sha256');

    const wrong = `sha256:${'0'.repeat(64)}`;
    const bad = await w.cli(
      [NAME, 'rebuild', '--blueprint', url, '--blueprint-sha256', wrong, '--yes'],
      { env },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/sha256/i);
    expect(bad.stderr).not.toContain('Error: fetch failed'); // TLS worked: it is the pin that failed

    serveTampered = true;
    try {
      const t = await w.cli(
        [NAME, 'rebuild', '--blueprint', url, '--blueprint-sha256', pin(good), '--yes'],
        { env },
      );
      expect(t.code).not.toBe(0);
      expect(t.stderr).toContain(sha256Hex(tampered));
    } finally {
      serveTampered = false;
    }

    expect(mutating(from)).toEqual([]);
    expect(entry()).toEqual(before);
    expect(existsSync(journal())).toBe(false);
    expect(fetched()).toEqual([]);
    expect(await checksum()).toBe(state);
  }, 240_000);

  it('--dry-run prints the plan with the blueprint diff and changes nothing', async () => {
    const from = w.sim.invocations().length;
    const before = entry();
    const dry = await w.cli(
      [NAME, 'rebuild', '--blueprint', url, '--blueprint-sha256', pin(good), '--dry-run'],
      { env },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`rebuild ${NAME}: blueprint 0.1.0 → ${VERSION}`);
    expect(dry.stdout).toContain('Blueprint changes:');
    expect(dry.stdout).toContain('resources: memory 4Gi → 6Gi');
    expect(dry.stdout).toContain('start-command: nemoclaw-start → nemoclaw-harden nemoclaw-start');
    expect(dry.stdout).toContain('migrations: ["state-layout-marker"]');
    expect(dry.stdout).toContain(`blueprint: ${VERSION} (url)`);
    expect(mutating(from)).toEqual([]);
    expect(entry()).toEqual(before);
    expect(fetched()).toEqual([]);
  }, 120_000);

  it('the pinned archive rebuilds the sandbox on that blueprint, and the state survives', async () => {
    const state = await checksum();
    expect(state).toContain('F ./memory/log.md');
    const r = await w.cli(
      [NAME, 'rebuild', '--blueprint', url, '--blueprint-sha256', pin(good), '--yes'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(entry()).toMatchObject({
      blueprintVersion: VERSION,
      blueprintSource: url,
      blueprintSha256: pin(good),
    });
    expect((await sh('cat /etc/nemoclaw-bp-origin')).stdout).toBe('from-url');
    expect(await checksum()).toBe(state);
    expect(existsSync(journal())).toBe(false);
  }, 360_000);
});
