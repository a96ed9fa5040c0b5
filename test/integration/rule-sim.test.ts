/**
 * The simulator's draft-rule inbox (`openshell rule …`): a denial becomes a pending chunk the way
 * OpenShell's mechanistic mapper and gateway make one, and nemoclaw's rule client reads, approves
 * and rejects it. No Docker: the sandboxes are records only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenshellClient } from '../../src/adapters/openshell/client.ts';
import { createRuleClient, type RuleClient } from '../../src/adapters/openshell/rules.ts';
import type { OpenshellClient } from '../../src/adapters/openshell/types.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import { stripAnsi } from '../../src/core/openshell/rules.ts';
import { generalisePath, recordDenialAt, ruleNameFor } from '../simulator/drafts.ts';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

describe('openshell rule … in the simulator', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let rules: RuleClient;
  let client: OpenshellClient;
  const deny = (sandbox: string, d: Parameters<typeof recordDenialAt>[2]) =>
    recordDenialAt(sim.stateDir, sandbox, d);

  beforeAll(async () => {
    sim = createSimulator({ docker: false, readyDelayMs: 100 });
    gw = await startHealthServer();
    await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw']);
    client = createOpenshellClient({ gateway: 'nemoclaw', env: sim.env });
    rules = createRuleClient({ gateway: 'nemoclaw', env: sim.env });
    for (const n of ['rs-one', 'rs-two']) {
      await client.sandboxCreate({ name: n, from: 'busybox:stable' });
    }
  });
  afterAll(async () => {
    sim?.cleanup();
    await gw?.close();
  });

  it('prints the real "no rules" answers, and the grammar refuses what clap refuses', async () => {
    expect((await sim.run(['rule', 'get', 'rs-two', '--status', 'pending'])).stdout).toBe(
      "No network rules for sandbox 'rs-two'\n",
    );
    expect((await sim.run(['rule', 'history', 'rs-two'])).stdout).toBe(
      "No rule history for sandbox 'rs-two'\n",
    );
    const missing = await sim.run(['rule', 'approve', 'rs-two']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--chunk-id');
    expect((await sim.run(['rule', 'approve-all', 'rs-two'])).code).toBe(64);
    expect((await sim.run(['rl', 'get', 'nope'])).stderr).toContain(
      'status: NotFound, message: "sandbox not found"',
    );
  });

  it('turns denials into pending chunks: one per host, port and binary, with hit counts', async () => {
    const a = deny('rs-one', { binary: '/usr/bin/curl', host: 'api.github.com', port: 443 });
    const again = deny('rs-one', { binary: '/usr/bin/curl', host: 'api.github.com', port: 443 });
    expect(again).toBe(a);
    const b = deny('rs-one', {
      binary: '/usr/bin/node',
      host: 'registry.npmjs.org',
      port: 443,
      method: 'GET',
      path: '/left-pad/1234567',
    });
    expect(b).not.toBe(a);
    // OpenShell never proposes loopback, link-local or metadata destinations.
    expect(deny('rs-one', { binary: '/usr/bin/curl', host: '169.254.169.254', port: 80 })).toBe(
      undefined,
    );

    const raw = await sim.run(['rule', 'get', 'rs-one', '--status', 'pending']);
    expect(raw.stdout).toContain('\x1b['); // owo-colors writes ANSI whatever NO_COLOR says
    const text = stripAnsi(raw.stdout);
    expect(text).toContain('Network Rules:  (version 3, 2 chunks)');
    expect(text).toContain(`  Rule: ${ruleNameFor('api.github.com', 443)}`);
    expect(text).toContain('  Endpoints: api.github.com:443 [L4]');
    expect(text).toContain('  Endpoints: registry.npmjs.org:443 [L7 rest, allow GET /left-pad/*]');
    expect(text).toMatch(/ {2}Hits: 2 \(first seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, last seen /);

    const chunks = await rules.get('rs-one', 'pending');
    expect(chunks.map((c) => c.id).sort()).toEqual([a, b].sort());
    const gh = chunks.find((c) => c.id === a)!;
    expect(gh).toMatchObject({
      status: 'pending',
      rule: 'allow_api_github_com_443',
      binary: '/usr/bin/curl',
      confidence: 0.65,
      hits: 2,
      endpoints: [{ host: 'api.github.com', port: 443, layer: 'L4', allows: [] }],
    });
    const npm = chunks.find((c) => c.id === b)!;
    expect(npm.endpoints[0]!.allows).toEqual([{ method: 'GET', path: '/left-pad/*' }]);
    expect(generalisePath('/v1/models/0123456789abcdef?x=1')).toBe('/v1/models/*');
  });

  it('approve merges the rule into a new policy revision; a second approve is refused', async () => {
    const [gh] = (await rules.get('rs-one', 'pending')).filter((c) => c.binary === '/usr/bin/curl');
    const before = await client.policyGet('rs-one');
    const r = await rules.approve('rs-one', gh!.id);
    expect(r.version).toBe(before.version + 1);
    expect(r.hash).toMatch(/^[0-9a-f]{12}$/);
    const after = await client.policyGet('rs-one');
    expect(after.yaml).toContain('allow_api_github_com_443');
    expect(after.yaml).toContain('/usr/bin/curl');

    const e = await rules.approve('rs-one', gh!.id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NemoclawError);
    expect((e as NemoclawError).message).toContain("chunk status is 'approved'");
    const other = await rules.approve('rs-two', gh!.id).catch((x: unknown) => x);
    expect((other as NemoclawError).kind).toBe('not-found');
    expect((await rules.get('rs-one', 'approved')).map((c) => c.id)).toEqual([gh!.id]);
  });

  it('reject of an approved chunk removes its rule; history shows the latest decision', async () => {
    const [gh] = await rules.get('rs-one', 'approved');
    await rules.reject('rs-one', gh!.id, 'not needed');
    expect((await client.policyGet('rs-one')).yaml).not.toContain('allow_api_github_com_443');
    const again = await rules.reject('rs-one', gh!.id).catch((x: unknown) => x);
    expect((again as NemoclawError).message).toContain("chunk status is 'rejected'");

    const h = await rules.history('rs-one');
    const mine = h.filter((x) => x.chunk === gh!.id.slice(0, 8)).map((x) => x.event);
    // handle_get_draft_history derives entries from each chunk's current status: one proposal
    // and its latest decision, so an approval later rejected shows as rejected only.
    expect(mine).toEqual(['proposed', 'rejected']);
    expect(h[0]!.description).toMatch(/^Rule '.+' proposed \(confidence: \d+%\)$/);
    expect(h[0]!.when).toMatch(/^(\d+d )?\d\d:\d\d$/);
  });

  it('a deleted sandbox takes its drafts with it (an approval lasts for the instance)', async () => {
    deny('rs-two', { binary: '/usr/bin/curl', host: 'example.com', port: 443 });
    expect(await rules.get('rs-two')).toHaveLength(1);
    await client.sandboxDelete('rs-two');
    await client.sandboxCreate({ name: 'rs-two', from: 'busybox:stable' });
    expect(await rules.get('rs-two')).toEqual([]);
  });
});
