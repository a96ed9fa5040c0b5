/**
 * The simulator's workspaces (`openshell workspace …`, `--workspace`, OPENSHELL_WORKSPACE): names
 * checked as the gateway checks them, and providers, routes and sandboxes kept per workspace.
 * No Docker: the sandboxes are records only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

describe('openshell workspace … in the simulator', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  const provider = (name: string, ws: string) =>
    sim.run(
      ['provider', 'create', '--name', name, '--type', 'openai', '--credential', 'OPENAI_API_KEY'],
      { env: { ...sim.env, OPENAI_API_KEY: 'sk-test-ws', OPENSHELL_WORKSPACE: ws } },
    );

  beforeAll(async () => {
    sim = createSimulator({ docker: false, readyDelayMs: 50 });
    gw = await startHealthServer();
    await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw']);
  });
  afterAll(async () => {
    sim?.cleanup();
    await gw?.close();
  });

  it('creates, lists and gets workspaces; refuses what the gateway refuses', async () => {
    expect((await sim.run(['workspace', 'create', '--name', 'nc-one'])).stdout).toBe(
      '✓ Created workspace nc-one\n',
    );
    const again = await sim.run(['ws', 'create', '--name', 'nc-one']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('status: AlreadyExists, message: "workspace already exists"');
    for (const [bad, why] of [
      ['a-name-of-twenty-chr', 'exceeds maximum length (20 > 19)'],
      ['Upper', 'only lowercase alphanumeric characters or hyphens'],
      ['-x', 'must not start or end with a hyphen'],
      ['a--b', 'consecutive hyphens'],
    ]) {
      const r = await sim.run(['workspace', 'create', `--name=${bad}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('InvalidArgument');
      expect(r.stderr).toContain(why);
    }
    expect((await sim.run(['workspace', 'create'])).code).toBe(2);
    const list = JSON.parse((await sim.run(['workspace', 'list', '-o', 'json'])).stdout) as {
      name: string;
    }[];
    expect(list.map((w) => w.name)).toEqual(['default', 'nc-one']);
    expect((await sim.run(['workspace', 'get', 'nc-one'])).stdout).toContain('Name: nc-one');
    expect((await sim.run(['workspace', 'get', 'nope'])).stderr).toContain(
      'status: NotFound, message: "workspace not found"',
    );
  });

  it('keeps providers and inference routes per workspace; unknown workspaces are NotFound', async () => {
    await sim.run(['workspace', 'create', '--name', 'nc-two']);
    expect((await provider('p1', 'nc-one')).code).toBe(0);
    expect((await provider('p1', 'nc-two')).code).toBe(0); // same name, other workspace
    expect((await provider('p1', 'nc-two')).code).toBe(1); // duplicate within one
    for (const [ws, model] of [
      ['nc-one', 'm-one'],
      ['nc-two', 'm-two'],
    ]) {
      const set = await sim.run(
        ['inference', 'set', '--provider', 'p1', '--model', model!, '--no-verify'],
        { env: { ...sim.env, OPENSHELL_WORKSPACE: ws } },
      );
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`Workspace: ${ws}`);
    }
    expect((await sim.run(['inference', 'get', '--workspace', 'nc-one'])).stdout).toContain(
      'Model: m-one',
    );
    expect((await sim.run(['--workspace', 'nc-two', 'inference', 'get'])).stdout).toContain(
      'Model: m-two',
    );
    // The default workspace has neither the providers nor a route.
    expect((await sim.run(['provider', 'list', '--names'])).stdout).toBe('');
    expect((await sim.run(['inference', 'get'])).stdout).not.toContain('m-one');
    const unknown = await sim.run(['provider', 'list', '--workspace', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`status: NotFound, message: "workspace 'nope' not found"`);
  });

  it('puts sandboxes in their workspace, and deletes only an empty workspace', async () => {
    const made = await sim.run([
      'sandbox',
      'create',
      '--name',
      'sb-one',
      '--workspace',
      'nc-one',
      '--',
      'true',
    ]);
    expect(made.code).toBe(0);
    const inOne = JSON.parse(
      (await sim.run(['sandbox', 'list', '-o', 'json', '--workspace', 'nc-one'])).stdout,
    ) as { name: string; workspace: string }[];
    expect(inOne).toEqual([expect.objectContaining({ name: 'sb-one', workspace: 'nc-one' })]);
    expect((await sim.run(['sandbox', 'get', 'sb-one'])).code).toBe(1); // not in default
    const busy = await sim.run(['workspace', 'delete', 'nc-one']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("workspace 'nc-one' still contains resources: sandbox, provider");
    expect((await sim.run(['workspace', 'delete', 'default'])).stderr).toContain(
      'the default workspace cannot be deleted',
    );
    await sim.run(['sandbox', 'delete', 'sb-one', '--workspace', 'nc-one']);
    await sim.run(['provider', 'delete', 'p1', '--workspace', 'nc-one']);
    expect((await sim.run(['workspace', 'delete', 'nc-one'])).stdout).toBe(
      '✓ Deleted workspace nc-one\n',
    );
    expect((await sim.run(['workspace', 'delete', 'nc-one'])).stderr).toContain(
      "workspace 'nc-one' not found",
    );
  });
});
