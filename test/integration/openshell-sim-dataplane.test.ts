/**
 * The simulator's data plane with real containers: a sandbox has no route out, reaches the
 * outside only through the proxy, which enforces the live policy (host, port, binary, REST
 * method/path), answers denials with OpenShell's 403 JSON, logs OCSF lines that `openshell logs`
 * returns, serves https://inference.local with the route's key (which never enters the
 * sandbox), and resolves attached providers' placeholders on egress.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenshellClient } from '../../src/adapters/openshell/client.ts';
import type { OpenshellClient } from '../../src/adapters/openshell/types.ts';
import {
  RUN_ID,
  cleanupRun,
  docker,
  importBusyboxImage,
  skipWithoutDocker,
  uniqueName,
} from '../helpers/docker.ts';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';
import { nodeFiles, startUpstream } from '../helpers/upstream.ts';

const skip = await skipWithoutDocker('openshell simulator data plane');

const KEY = `sk-canary-${RUN_ID}-inference`;
const TG = `tg-canary-${RUN_ID}-token`;

const POLICY = (extra = '') => `version: 1
network_policies:
  plain:
    endpoints:
      - { host: api.allowed.test, port: 80 }
    binaries: [{ path: /bin/busybox }]
  rest:
    endpoints:
      - host: api.rest.test
        port: 80
        protocol: rest
        enforcement: enforce
        rules:
          - allow: { method: GET, path: "/v1/**" }
    binaries: [{ path: /bin/busybox }]
  curl_only:
    endpoints:
      - { host: api.curl.test, port: 80 }
    binaries: [{ path: /usr/bin/curl }]
  tls_rest:
    endpoints:
      - host: api.tls.test
        port: 443
        protocol: rest
        enforcement: enforce
        rules:
          - allow: { method: GET, path: "/v1/**" }
    binaries: [{ path: /usr/local/bin/node }]
  tg:
    endpoints:
      - { host: api.tg.test, port: 80 }
    binaries: [{ path: /bin/busybox }]
${extra}`;

describe.skipIf(skip)('simulated OpenShell data plane', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let up: Awaited<ReturnType<typeof startUpstream>>;
  let client: OpenshellClient;
  let work: string;
  const image = `${uniqueName('nc-sim-dataplane')}:1`;
  const name = 'plane-sb';

  const sh = async (script: string) => client.sandboxExec(name, ['sh', '-c', script]);
  /** Raw bytes to the proxy (busybox nc), so the test sees status line, headers and body. */
  const raw = (req: string) =>
    sh(`p=\${HTTP_PROXY#http://}; printf '${req}' | nc \${p%:*} \${p#*:}`);
  const logs = async () => (await client.logs(name)).join('\n');

  beforeAll(async () => {
    up = await startUpstream();
    await importBusyboxImage(image, { extra: nodeFiles() });
    const hosts = [
      'api.allowed.test:80',
      'api.rest.test:80',
      'api.curl.test:80',
      'api.tg.test:80',
      'later.test:80',
      'api.tls.test:443',
    ]
      .map((h) => `${h}=${up.url}`)
      .join(',');
    sim = createSimulator({ docker: true, env: { OPENSHELL_SIM_HOSTS: hosts } });
    gw = await startHealthServer();
    work = mkdtempSync(join(tmpdir(), 'nc-sim-plane-'));
    writeFileSync(join(work, 'policy.yaml'), POLICY());
    client = createOpenshellClient({ gateway: 'nemoclaw', env: sim.env });
    await client.gatewayAdd(gw.url, { name: 'nemoclaw', local: true });
    for (const args of [
      ['provider', 'create', '--name', 'llm', '--type', 'openai', '--credential', `OPENAI_API_KEY=${KEY}`, '--config', `OPENAI_BASE_URL=${up.url}/v1`],
      ['provider', 'create', '--name', 'tg', '--type', 'generic', '--credential', `TELEGRAM_BOT_TOKEN=${TG}`],
      ['inference', 'set', '--provider', 'llm', '--model', 'route-model'],
    ]) {
      const r = await sim.run(['-g', 'nemoclaw', ...args]);
      expect(r.code, r.stderr).toBe(0);
    } // prettier-ignore
    const r = await sim.run(['-g', 'nemoclaw', 'sandbox', 'create', '--name', name, '--from', image,
      '--policy', join(work, 'policy.yaml'), '--provider', 'tg', '--', '/bin/sh', '-c', 'exec sleep 3600']); // prettier-ignore
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    sim?.cleanup();
    await gw?.close();
    await up?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    await cleanupRun();
  });

  it('puts the sandbox on an internal network with the proxy and CA environment', async () => {
    const [c] = await docker().listContainers({
      filters: JSON.stringify({ label: [`openshell.ai/sandbox-name=${name}`, `nemoclaw.test=${RUN_ID}`] }),
    }); // prettier-ignore
    const net = await docker().getNetwork(c!.HostConfig!.NetworkMode!).inspect();
    expect(net.Internal).toBe(true);
    expect(net.Labels?.['nemoclaw.test']).toBe(RUN_ID);
    const env = (await sh('env')).stdout;
    expect(env).toMatch(/^HTTPS_PROXY=http:\/\/[\d.]+:3128$/m);
    expect(env).toContain('NODE_USE_ENV_PROXY=1');
    expect(env).toContain('NODE_EXTRA_CA_CERTS=/etc/openshell-tls/openshell-ca.pem');
    expect(env).toContain('SSL_CERT_FILE=/etc/openshell-tls/ca-bundle.pem');
    expect(env).toContain('TELEGRAM_BOT_TOKEN=openshell:resolve:env:TELEGRAM_BOT_TOKEN');
    expect((await sh('cat /etc/openshell-tls/openshell-ca.pem')).stdout).toContain(
      'BEGIN CERTIFICATE',
    );
    // No route out: a direct connection to the host's address fails.
    const gwIp = net.IPAM?.Config?.[0]?.Gateway;
    expect(gwIp).toMatch(/^[\d.]+$/);
    expect((await sh(`nc -w 2 1.1.1.1 80 </dev/null`)).exitCode).not.toBe(0);
    expect((await sh(`echo x | nc -w 2 ${gwIp} 22`)).exitCode).not.toBe(0);
  });

  it('forwards an allowed plain-HTTP request and logs it', async () => {
    const r = await sh('wget -q -O- http://api.allowed.test/hello');
    expect(r.stdout).toBe('upstream saw GET /hello\n');
    expect(await logs()).toMatch(
      /\[sandbox\] \[OCSF \] \[ocsf\] HTTP:GET \[INFO\] ALLOWED \/bin\/busybox\(\d+\) -> GET http:\/\/api\.allowed\.test\/hello \[policy:plain engine:opa\]/,
    );
  });

  it('denies a host outside the policy with 403 JSON and an OCSF denial', async () => {
    const r = await raw('GET http://denied.test/x HTTP/1.1\\r\\nHost: denied.test\\r\\n\\r\\n');
    expect(r.stdout).toMatch(/^HTTP\/1.1 403 Forbidden\r\n/);
    const body = JSON.parse(r.stdout.slice(r.stdout.indexOf('\r\n\r\n') + 4)) as Record<
      string,
      string
    >;
    expect(body).toEqual({
      error: 'policy_denied',
      detail: 'GET denied.test:80/x not permitted by policy',
    });
    const c = await raw('CONNECT evil.test:443 HTTP/1.1\\r\\nHost: evil.test:443\\r\\n\\r\\n');
    expect(c.stdout).toMatch(/^HTTP\/1.1 403 Forbidden/);
    expect(c.stdout).toContain('"reason":"endpoint evil.test:443 is not allowed by any policy"');
    const text = await logs();
    expect(text).toMatch(
      /HTTP:GET \[MED\] DENIED \/bin\/busybox\(\d+\) -> GET http:\/\/denied\.test\/x \[policy:- engine:opa\] \[reason:endpoint denied\.test:80 is not allowed by any policy\]/,
    );
    expect(text).toMatch(
      /NET:OPEN \[MED\] DENIED \/bin\/busybox\(\d+\) -> evil\.test:443 \[policy:- engine:opa\] \[reason:endpoint evil\.test:443 is not allowed by any policy\]/,
    );
    expect(up.seen.some((s) => s.url === '/x')).toBe(false);
  });

  it('attributes the binary: a policy for curl does not let busybox through', async () => {
    const r = await raw('GET http://api.curl.test/c HTTP/1.1\\r\\nHost: api.curl.test\\r\\n\\r\\n');
    expect(r.stdout).toMatch(/^HTTP\/1.1 403/);
    expect(await logs()).toContain(
      "[reason:binary '/bin/busybox' not allowed in policy 'curl_only'",
    );
  });

  it('enforces REST method and path rules with the L7 403 body', async () => {
    expect((await sh('wget -q -O- http://api.rest.test/v1/items')).stdout).toBe(
      'upstream saw GET /v1/items\n',
    );
    const post = await raw(
      'POST http://api.rest.test/v1/items HTTP/1.1\\r\\nHost: api.rest.test\\r\\nContent-Length: 0\\r\\n\\r\\n',
    );
    expect(post.stdout).toMatch(/^HTTP\/1.1 403 Forbidden/);
    expect(post.stdout).toContain('X-OpenShell-Policy: rest');
    const body = JSON.parse(post.stdout.slice(post.stdout.indexOf('\r\n\r\n') + 4)) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      error: 'policy_denied', policy: 'rest', rule: 'POST /v1/items', layer: 'l7', protocol: 'rest',
      method: 'POST', path: '/v1/items', host: 'api.rest.test', port: 80, binary: '/bin/busybox',
      detail: 'POST /v1/items not permitted by policy',
    }); // prettier-ignore
    const admin = await raw(
      'GET http://api.rest.test/admin HTTP/1.1\\r\\nHost: api.rest.test\\r\\n\\r\\n',
    );
    expect(admin.stdout).toMatch(/^HTTP\/1.1 403/);
    expect(await logs()).toContain(
      'HTTP:POST [MED] DENIED POST http://api.rest.test/v1/items [policy:rest engine:l7] [reason:L7_REQUEST deny POST api.rest.test:80/v1/items reason=POST /v1/items not permitted by policy]',
    );
    expect(up.seen.some((s) => s.method === 'POST' || s.url === '/admin')).toBe(false);
  });

  it('applies a live policy change', async () => {
    const before = await raw('GET http://later.test/y HTTP/1.1\\r\\nHost: later.test\\r\\n\\r\\n');
    expect(before.stdout).toMatch(/^HTTP\/1.1 403/);
    writeFileSync(
      join(work, 'policy2.yaml'),
      POLICY(`  later:
    endpoints:
      - { host: later.test, port: 80 }
    binaries: [{ path: /bin/busybox }]
`),
    );
    await client.policySet(name, join(work, 'policy2.yaml'), { wait: true });
    const after = await sh('wget -q -O- http://later.test/y');
    expect(after.stdout).toBe('upstream saw GET /y\n');
  });

  it('resolves an attached provider placeholder on egress, in path and headers', async () => {
    const r = await sh(
      'wget -q -O- --header "Authorization: Bot $TELEGRAM_BOT_TOKEN" "http://api.tg.test/bot$TELEGRAM_BOT_TOKEN/getMe"',
    );
    expect(r.stdout).toBe(`upstream saw GET /bot${TG}/getMe\n`);
    const seen = up.seen.find((s) => s.url === `/bot${TG}/getMe`)!;
    expect(seen.headers.authorization).toBe(`Bot ${TG}`);
  });

  it('serves https://inference.local with the route key and model, streaming, key never inside', async () => {
    const script = `
      const r = await fetch('https://inference.local/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-side', 'x-api-key': 'nope' },
        body: JSON.stringify({ model: 'asked-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      process.stdout.write(r.status + '\\n' + (await r.text()));`;
    writeFileSync(join(work, 'infer.mjs'), script);
    await client.sandboxUpload(name, join(work, 'infer.mjs'), '/sandbox');
    const r = await client.sandboxExec(name, ['node', '/sandbox/infer.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('200\ndata: {"model":"route-model"');
    expect(r.stdout).toContain('data: [DONE]');
    const seen = up.seen.find((s) => s.url === '/v1/chat/completions')!;
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(JSON.parse(seen.body)).toMatchObject({ model: 'route-model', stream: true });
    // The key is nowhere in the sandbox: not in its environment, not in its files.
    const hunt = await sh(
      `env; grep -rl "${KEY}" / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; true`,
    );
    expect(hunt.stdout).not.toContain(KEY);
    expect(hunt.stdout).not.toContain(TG);
    expect(await logs()).toMatch(
      /API:INFERENCE \[INFO\] Success route-model via llm \d+ms \[POST\\u\{20\}\/v1\/chat\/completions\]/,
    );
  });

  it('terminates TLS on an allowed CONNECT: REST rules and placeholders apply inside HTTPS', async () => {
    const script = `
      const get = await fetch('https://api.tls.test/v1/ok', { headers: { 'x-token': process.env.TELEGRAM_BOT_TOKEN } });
      const post = await fetch('https://api.tls.test/v1/ok', { method: 'POST', body: 'x' });
      process.stdout.write(JSON.stringify({ get: [get.status, await get.text()], post: [post.status, await post.json()] }));`;
    writeFileSync(join(work, 'tls.mjs'), script);
    await client.sandboxUpload(name, join(work, 'tls.mjs'), '/sandbox');
    const r = await client.sandboxExec(name, ['node', '/sandbox/tls.mjs']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      get: [number, string];
      post: [number, Record<string, unknown>];
    };
    expect(out.get).toEqual([200, 'upstream saw GET /v1/ok\n']);
    expect(up.seen.find((s) => s.url === '/v1/ok')?.headers['x-token']).toBe(TG);
    expect(out.post[0]).toBe(403);
    expect(out.post[1]).toMatchObject({
      error: 'policy_denied',
      policy: 'tls_rest',
      method: 'POST',
      port: 443,
      binary: '/usr/local/bin/node',
    });
    const text = await logs();
    expect(text).toMatch(
      /NET:OPEN \[INFO\] ALLOWED \/usr\/local\/bin\/node\(\d+\) -> api\.tls\.test:443 \[policy:tls_rest engine:opa\]/,
    );
    expect(text).toContain(
      'HTTP:POST [MED] DENIED POST http://api.tls.test:443/v1/ok [policy:tls_rest engine:l7]',
    );
  });

  it('inference.local follows the route: Anthropic gets x-api-key; other paths are refused', async () => {
    for (const args of [
      ['provider', 'create', '--name', 'anth', '--type', 'anthropic', '--credential', `ANTHROPIC_API_KEY=${KEY}-a`, '--config', `ANTHROPIC_BASE_URL=${up.url}`],
      ['inference', 'set', '--provider', 'anth', '--model', 'claude-route'],
    ]) {
      const r = await sim.run(['-g', 'nemoclaw', ...args]);
      expect(r.code, r.stderr).toBe(0);
    } // prettier-ignore
    const script = `
      const m = await fetch('https://inference.local/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'sandbox' }, body: '{"model":"x","max_tokens":1}' });
      const other = await fetch('https://inference.local/admin', { method: 'POST', body: '{}' });
      process.stdout.write(JSON.stringify([m.status, other.status, await other.json()]));`;
    writeFileSync(join(work, 'anth.mjs'), script);
    await client.sandboxUpload(name, join(work, 'anth.mjs'), '/sandbox');
    const r = await client.sandboxExec(name, ['node', '/sandbox/anth.mjs']);
    expect(JSON.parse(r.stdout)).toEqual([200, 403, { error: 'connection not allowed by policy' }]);
    const seen = up.seen.find((x) => x.url === '/v1/messages')!;
    expect(seen.headers['x-api-key']).toBe(`${KEY}-a`);
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.parse(seen.body)).toEqual({ model: 'claude-route', max_tokens: 1 });
    expect(up.seen.some((x) => x.url === '/admin')).toBe(false);
  });

  it('a restarted sandbox gets a proxy again after the old one went away', async () => {
    const info = JSON.parse(readFileSync(join(sim.stateDir, 'dataplane', 'proxy.json'), 'utf8'));
    process.kill(info.pid as number, 'SIGTERM');
    const alive = () => {
      try {
        process.kill(info.pid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive()) await new Promise((r) => setTimeout(r, 50));
    await client.sandboxStop(name);
    await client.sandboxStart(name);
    expect((await sh('wget -q -O- http://api.allowed.test/again')).stdout).toBe(
      'upstream saw GET /again\n',
    );
    const now = JSON.parse(readFileSync(join(sim.stateDir, 'dataplane', 'proxy.json'), 'utf8'));
    expect(now.pid).not.toBe(info.pid);
  });

  it('refuses an https URL sent as a plain forward request', async () => {
    const r = await sh('wget -q -O- https://api.allowed.test/ 2>&1; true');
    expect(r.stdout).toContain('400');
  });
});
