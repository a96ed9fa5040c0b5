/**
 * Contract tests: every OpenshellClient function against the simulator (no Docker here; the
 * container-backed operations are in openshell-docker.test.ts), and each error mapping.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPassedToOpenshell } from '../../src/core/openshell/child-env.ts';
import { createOpenshellClient } from '../../src/adapters/openshell/client.ts';
import type { OpenshellClient } from '../../src/adapters/openshell/types.ts';
import { checkOpenshellVersion } from '../../src/adapters/openshell/version-gate.ts';
import type { Logger } from '../../src/adapters/log.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

const CANARY = 'nvapi-CANARY0123456789abcdefXYZ';
const POLICY = `version: 1
filesystem_policy: {include_workdir: true, read_only: [/usr, /etc], read_write: [/sandbox, /tmp]}
landlock: {compatibility: best_effort}
process: {run_as_user: sandbox, run_as_group: sandbox}
network_policies:
  npm:
    endpoints:
      - {host: registry.npmjs.org, port: 443, protocol: rest, access: read-only}
    binaries: [{path: /usr/bin/node}]
`;

function capturingLog(): Logger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const push = (o: unknown, m?: string) => lines.push([o, m]);
  return { lines, debug: push, info: push, warn: push, error: push, flush: () => {} };
}

async function rejection(p: Promise<unknown>): Promise<NemoclawError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(NemoclawError);
  return e as NemoclawError;
}

describe('OpenshellClient against the simulator', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let client: OpenshellClient;
  const log = capturingLog();
  const file = (name: string, text: string) => {
    const p = join(sim.stateDir, name);
    writeFileSync(p, text);
    return p;
  };
  const withEnv = (env: Record<string, string>, gateway = 'nemoclaw', timeoutMs?: number) =>
    createOpenshellClient({ gateway, env: { ...sim.env, ...env }, timeoutMs });

  beforeAll(async () => {
    sim = createSimulator({ docker: false, readyDelayMs: 100 });
    gw = await startHealthServer();
    // NEMOCLAW_OPENSHELL_BIN in env picks the simulator; no `bin` option needed.
    client = createOpenshellClient({ gateway: 'nemoclaw', env: sim.env, log });
  });
  afterAll(async () => {
    sim.cleanup();
    await gw.close();
  });

  it('version and the version gate', async () => {
    expect(await client.version()).toEqual({ raw: 'openshell 0.0.111', version: '0.0.111' });
    const bp = (min: string, max: string) => ({
      openshell: {
        min_version: min,
        max_version: max,
        gateway_image: 'g',
        supervisor_image: 's',
        supervisor_binary_path: '/x',
      },
    });
    expect(await checkOpenshellVersion(client, bp('0.0.111', '0.0.111'))).toMatchObject({
      version: '0.0.111',
    });
    const old = await rejection(checkOpenshellVersion(client, bp('0.0.112', '0.0.115')));
    expect(old.kind).toBe('failed');
    expect(old.message).toContain('0.0.111');
    expect(old.message).toContain('0.0.112–0.0.115');
    expect(old.hint).toContain('install.sh');
    const missing = createOpenshellClient({ bin: '/nonexistent/openshell', gateway: 'x' });
    const nf = await rejection(checkOpenshellVersion(missing, bp('0.0.111', '0.0.111')));
    expect(nf.kind).toBe('not-found');
    expect(nf.hint).toContain('v0.0.111');
  });

  it('gateway add, list, select, info, status, remove', async () => {
    await client.gatewayAdd(gw.url, { name: 'nemoclaw', local: true });
    await client.gatewayAdd('http://127.0.0.1:9', { name: 'spare' });
    await client.gatewaySelect('nemoclaw');
    const list = await client.gatewayList();
    expect(list.map((g) => g.name).sort()).toEqual(['nemoclaw', 'spare']);
    expect(list.find((g) => g.name === 'nemoclaw')).toMatchObject({
      endpoint: gw.url,
      active: true,
    });
    expect(await client.gatewayInfo()).toMatchObject({ gateway: 'nemoclaw', status: 'healthy' });
    expect(await client.status()).toMatchObject({ status: 'connected', version: '0.0.111' });
    expect(await withEnv({}, 'spare').status()).toMatchObject({ status: 'disconnected' });
    await client.gatewayRemove('spare');
    expect((await client.gatewayList()).map((g) => g.name)).toEqual(['nemoclaw']);
    const gone = await rejection(client.gatewaySelect('spare'));
    expect(gone.kind).toBe('not-found');
  });

  it('children get a minimal environment plus only the credential their call names', async () => {
    const c = withEnv({
      FOO_API_KEY: CANARY,
      SOME_TOKEN: CANARY,
      NEMOCLAW_HOME: '/tmp/nowhere',
      LC_ALL: 'C.UTF-8',
    });
    await c.status();
    await c.providerCreate({
      name: 'env-probe',
      type: 'nvidia',
      credentialEnv: ['NVIDIA_API_KEY'],
      // A value the call does not name must not ride along.
      env: { NVIDIA_API_KEY: CANARY, ANTHROPIC_API_KEY: CANARY },
    });
    const [status, create] = sim.invocations().slice(-2);
    for (const call of [status!, create!]) {
      expect(call.envNames).not.toContain('FOO_API_KEY');
      expect(call.envNames).not.toContain('SOME_TOKEN');
      expect(call.envNames).not.toContain('NEMOCLAW_HOME');
      expect(call.envNames).not.toContain('ANTHROPIC_API_KEY');
      expect(call.envNames).toEqual(
        expect.arrayContaining(['PATH', 'LC_ALL', 'OPENSHELL_SIM_STATE']),
      );
      // Nothing outside the allow-list (core/openshell/child-env.ts) reaches a child.
      const foreign = call.envNames.filter(
        (n) => !isPassedToOpenshell(n) && n !== 'NO_COLOR' && n !== 'NVIDIA_API_KEY',
      );
      expect(foreign).toEqual([]);
    }
    expect(status!.secretEnv).toEqual([]);
    expect(create!.secretEnv).toEqual(['NVIDIA_API_KEY']);
    await c.providerDelete('env-probe');
  });

  it('providers: credentials only through the child env', async () => {
    const c = withEnv({});
    await c.providerCreate({
      name: 'nvidia-prod',
      type: 'nvidia',
      credentialEnv: ['NVIDIA_API_KEY'],
      env: { NVIDIA_API_KEY: CANARY },
      config: { NVIDIA_BASE_URL: 'https://integrate.api.nvidia.com/v1' },
    });
    const call = sim.invocations().at(-1)!;
    expect(call.argv).toContain('NVIDIA_API_KEY');
    expect(JSON.stringify(call.argv)).not.toContain(CANARY);
    expect(call.secretEnv).toContain('NVIDIA_API_KEY');
    expect(call.argv.slice(0, 4)).toEqual(['provider', 'create', '-g', 'nemoclaw']);
    expect(await c.providerGet('nvidia-prod')).toMatchObject({
      name: 'nvidia-prod',
      type: 'nvidia',
      credential_keys: ['NVIDIA_API_KEY'],
      config_keys: ['NVIDIA_BASE_URL'],
    });
    expect(await c.providerGet('nope')).toBeUndefined();
    const dup = await rejection(
      c.providerCreate({
        name: 'nvidia-prod',
        type: 'nvidia',
        credentialEnv: ['NVIDIA_API_KEY'],
        env: { NVIDIA_API_KEY: CANARY },
      }),
    );
    expect(dup.kind).toBe('conflict');
    await c.providerUpdate({
      name: 'nvidia-prod',
      type: 'nvidia',
      credentialEnv: ['NVIDIA_API_KEY'],
      env: { NVIDIA_API_KEY: `${CANARY}-2` },
    });
    await c.providerCreate({
      name: 'gh',
      type: 'github',
      credentialEnv: ['GITHUB_TOKEN'],
      env: { GITHUB_TOKEN: 'ghp_aaaaaaaaaaaaaaaaaaaaaaaa' },
    });
    expect((await c.providerList()).map((p) => p.name)).toEqual(['nvidia-prod', 'gh']);
    await c.providerDelete('gh');
    await c.providerDelete('gh'); // deleting what is gone is not an error in v0.0.111
    expect((await c.providerList()).map((p) => p.name)).toEqual(['nvidia-prod']);
    expect(JSON.stringify(log.lines)).not.toContain('CANARY');
  });

  it('inference set and get', async () => {
    expect(await client.inferenceGet()).toEqual({});
    await client.inferenceSet({
      provider: 'nvidia-prod',
      model: 'nvidia/nemotron',
      noVerify: true,
    });
    expect(await client.inferenceGet()).toEqual({
      route: {
        provider: 'nvidia-prod',
        model: 'nvidia/nemotron',
        version: '1',
        timeout: '60s (default)',
      },
    });
    const missing = await rejection(client.inferenceSet({ provider: 'nope', model: 'm' }));
    expect(missing.kind).toBe('not-found');
  });

  it('sandboxes: create, get, list, stop, start, delete', async () => {
    const sb = await client.sandboxCreate({
      name: 'my-sb',
      from: 'nemoclaw-sandbox:test',
      policyFile: file('p.yaml', POLICY),
      providers: ['nvidia-prod'],
      labels: { 'nemoclaw.ai/agent': 'openclaw' },
      autoProviders: false,
      command: ['/bin/sh', '-l'],
    });
    expect(sb).toMatchObject({ name: 'my-sb', phase: 'Ready', revision: 1 });
    expect(sb.policy).toMatchObject({ version: 1, network_policies: { npm: {} } });
    expect(await client.sandboxGet('ghost')).toBeUndefined();
    expect((await client.sandboxList()).map((s) => [s.name, s.phase])).toEqual([
      ['my-sb', 'Ready'],
    ]);
    await client.sandboxStop('my-sb');
    expect((await client.sandboxGet('my-sb'))?.phase).toBe('Stopped');
    await client.sandboxStop('my-sb'); // compute/mod.rs stop_sandbox: Stopped is a no-op
    await client.sandboxStart('my-sb');
    expect((await client.sandboxGet('my-sb'))?.phase).toBe('Ready');
    await client.sandboxStart('my-sb'); // start_sandbox: Ready is a no-op
    // A sandbox still provisioning cannot be stopped (FailedPrecondition, as the gateway says).
    await sim.run(['sandbox', 'create', '--name', 'slow-sb', '--from', 'x:1', '-g', 'nemoclaw'], {
      env: { OPENSHELL_SIM_READY_DELAY_MS: '60000', OPENSHELL_PROVISION_TIMEOUT: '1' },
    }); // times out waiting; the sandbox stays Provisioning
    const early = await rejection(client.sandboxStop('slow-sb'));
    expect(early.detail?.stderr).toContain(
      'sandbox must be Ready to stop (current phase: Provisioning)',
    );
    await client.sandboxDelete('slow-sb');
    const dup = await rejection(client.sandboxCreate({ name: 'my-sb', from: 'x:1' }));
    expect(dup.kind).toBe('conflict');
    expect(dup.detail?.stderr).toContain('AlreadyExists');
  });

  it('policies: set (changed, unchanged), get --full, list', async () => {
    const next = file('p2.yaml', POLICY.replace('registry.npmjs.org', 'registry.yarnpkg.com'));
    expect(await client.policySet('my-sb', next, { wait: true })).toEqual({
      version: 2,
      unchanged: false,
    });
    expect(await client.policySet('my-sb', next, { wait: true })).toEqual({
      version: 2,
      unchanged: true,
    });
    const view = await client.policyGet('my-sb');
    expect(view).toMatchObject({ version: 2, status: 'Effective', source: 'sandbox' });
    expect(view.yaml).toContain('registry.yarnpkg.com');
    expect(view.yaml).toMatch(/^version: 1\n/);
    const revs = await client.policyList('my-sb');
    expect(revs.map((r) => [r.version, r.status])).toEqual([
      [2, 'Loaded'],
      [1, 'Superseded'],
    ]);
  });

  it('forwards: start, list, stop (stop twice is fine)', async () => {
    await client.forwardStart('my-sb', 18911);
    expect(await client.forwardList()).toEqual([
      expect.objectContaining({ sandbox: 'my-sb', port: 18911, status: 'running' }),
    ]);
    await client.forwardStop('my-sb', 18911);
    await client.forwardStop('my-sb', 18911);
    expect(await client.forwardList()).toEqual([]);
  });

  it('logs: the documented line format', async () => {
    const lines = await client.logs('my-sb', { tail: 50, source: 'gateway' });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(
      /^\[\d+\.\d{3}\] \[gateway\] \[INFO \] \[openshell_server\] sandbox created/,
    );
  });

  it('maps exit 1 NotFound, InvalidArgument, and a failed --wait load', async () => {
    const nf = await rejection(client.sandboxDelete('ghost'));
    expect(nf.kind).toBe('not-found');
    expect(nf.message).toBe("openshell sandbox delete failed: sandbox 'ghost' not found");
    const root = file('root.yaml', POLICY.replace('run_as_user: sandbox', 'run_as_user: root'));
    const inv = await rejection(client.policySet('my-sb', root));
    expect(inv.kind).toBe('invalid');
    const failing = withEnv({ OPENSHELL_SIM_POLICY_LOAD: 'failed' });
    const f = await rejection(
      failing.policySet('my-sb', file('p3.yaml', POLICY.replace('npm:', 'npm2:')), { wait: true }),
    );
    expect(f.kind).toBe('failed');
    expect(f.detail?.stderr).toContain('failed to load');
  });

  it('maps 124 from --wait and a client-side timeout to timeout', async () => {
    const pending = withEnv({ OPENSHELL_SIM_POLICY_LOAD: 'pending' });
    const t = await rejection(
      pending.policySet('my-sb', file('p4.yaml', POLICY.replace('npm:', 'npm3:')), {
        wait: true,
        timeoutSecs: 1,
      }),
    );
    expect(t.kind).toBe('timeout');
    expect(t.detail?.exitCode).toBe(124);
    const slow = withEnv({ OPENSHELL_SIM_LATENCY: 'sandbox list:5000' }, 'nemoclaw', 800);
    const killed = await rejection(slow.sandboxList());
    expect(killed.kind).toBe('timeout');
  });

  it('maps exit 2 to invalid, an unreachable gateway to unavailable, and redacts stderr', async () => {
    const usage = await rejection(
      withEnv({ OPENSHELL_SIM_FAIL: 'sandbox list:1:2' }).sandboxList(),
    );
    expect(usage.kind).toBe('invalid');
    expect(usage.hint).toContain('openshell --version');
    const down = withEnv({ OPENSHELL_SIM_REQUIRE_GATEWAY: '1' }, 'gone');
    await sim.run(['gateway', 'add', 'http://127.0.0.1:9', '--name', 'gone']);
    const u = await rejection(down.sandboxList());
    expect(u.kind).toBe('unavailable');
    expect(u.hint).toContain('openshell status -g gone');
    const noGateway = await rejection(withEnv({}, 'never-registered').sandboxList());
    expect(noGateway.kind).toBe('unavailable');
    const leaky = await rejection(
      client.providerCreate({
        name: 'x',
        type: 'nvapi-LEAKED0123456789abcdef',
        credentialEnv: ['K'],
        env: { K: 'v' },
      }),
    );
    expect(leaky.kind).toBe('invalid');
    expect(JSON.stringify([leaky.message, leaky.detail])).not.toContain('LEAKED');
    await client.gatewaySelect('nemoclaw');
  });

  it('sandboxDelete removes it', async () => {
    await client.sandboxDelete('my-sb');
    expect(await client.sandboxList()).toEqual([]);
  });
});
