/**
 * `list`'s rendering: each line redacted on its own, written at once when redaction provably
 * changes no line; the OpenShell reader comes from the world (one gateway: a blocking call).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxSummary } from '../../../src/adapters/openshell/types.ts';
import { clearKnownSecrets, redact, registerSecret, REDACTED } from '../../../src/core/redact.ts';
import type { SandboxEntry } from '../../../src/core/registry/schema.ts';
import { listSandboxes, type ListWorld } from '../../../src/usecases/list.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-list-' });
afterEach(() => clearKnownSecrets());

/** A world whose OpenShell answers `phases` (name → phase) on every gateway, or fails on `down`. */
function world(phases: Record<string, string>, down: string[] = []) {
  const asked: { gateway: string; blocking?: boolean }[] = [];
  const w: ListWorld = {
    quickReader: async (gateway, o) => {
      asked.push({ gateway, blocking: o?.blocking });
      const sandboxList = async (): Promise<SandboxSummary[]> => {
        if (down.includes(gateway)) throw new Error(`openshell sandbox list failed: no ${gateway}`);
        return Object.entries(phases).map(([name, phase]) => ({ name, phase }) as SandboxSummary);
      };
      return { sandboxList, status: () => Promise.reject(new Error('not asked')) };
    },
  };
  return { w, asked };
}

async function list(entries: SandboxEntry[], phases: Record<string, string>, down?: string[]) {
  await t.register(...entries);
  const { w, asked } = world(phases, down);
  const code = await listSandboxes(t.context(), w, {});
  return { code, asked, out: t.out.join(''), writes: t.out.length };
}

/** What the text was before one write: each line through ui.out (redacted, a newline unless it has one). */
function lineByLine(lines: string[]): string {
  return lines.map((l) => (redact(l).endsWith('\n') ? redact(l) : `${redact(l)}\n`)).join('');
}

const LINES = (a: string, b: string, phaseA = 'Ready', phaseB = 'Ready') => [
  'Sandboxes:',
  `  ${a} *`,
  '    agent: openclaw  model: m  provider: build  CPU  policies: npm, pypi',
  '    route: m via build (shared: default workspace of gateway nemoclaw)',
  `    phase: ${phaseA}`,
  `  ${b}`,
  '    agent: openclaw  model: m  provider: build  CPU  policies: npm, pypi',
  '    route: m via build (shared: default workspace of gateway nemoclaw)',
  `    phase: ${phaseB}`,
  '',
  '* = default sandbox',
  'gateway nemoclaw: up',
];

describe('list', () => {
  it('with nothing registered says how to start and asks no gateway', async () => {
    const { code, out, asked } = await list([], {});
    expect(code).toBe(0);
    expect(out).toBe('No sandboxes registered. Run `nemoclaw onboard` to get started.\n');
    expect(asked).toEqual([]);
  });

  it('writes the usual list at once, byte for byte what line-by-line redaction wrote', async () => {
    const presets = ['npm', 'pypi'];
    const r = await list(
      [sandboxEntry({ name: 'alpha', presets }), sandboxEntry({ name: 'bravo', presets })],
      { alpha: 'Ready', bravo: 'Provisioning' },
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe(LINES('alpha', 'bravo', 'Ready', 'Provisioning').join('\n') + '\n');
    expect(r.writes).toBe(1);
    expect(r.asked).toEqual([{ gateway: 'nemoclaw', blocking: true }]);
  });

  it('still masks a registered secret and a token-shaped value, line by line', async () => {
    const token = 'nvapi-abcdefghijklmnop1234';
    registerSecret('pypi, huggingface');
    const presets = ['npm', 'pypi', 'huggingface'];
    const r = await list(
      [sandboxEntry({ name: 'alpha', model: token }), sandboxEntry({ name: 'bravo', presets })],
      { alpha: 'Ready', bravo: 'Ready' },
    );
    expect(r.out).not.toContain(token);
    expect(r.out).not.toContain('huggingface');
    expect(r.out).toContain(`    agent: openclaw  model: ${REDACTED}  provider: build`);
    expect(r.out).toContain(`policies: npm, ${REDACTED}\n`);
    expect(r.writes).toBeGreaterThan(1);
  });

  it('redacts each line alone: a pattern never spans two lines', async () => {
    // `Bearer` ending one line and a long name starting the next would be one match in the whole
    // text; line by line (as ui.out always redacted) neither line is a token.
    const presets = ['npm', 'pypi'];
    const r = await list(
      [
        sandboxEntry({ name: 'alpha', presets }),
        sandboxEntry({ name: 'bravo-sandbox-two', presets }),
      ],
      { alpha: 'Bearer', 'bravo-sandbox-two': 'Ready' },
    );
    const want = LINES('alpha', 'bravo-sandbox-two', 'Bearer');
    expect(r.out).toBe(lineByLine(want));
    expect(r.out).toBe(`${want.join('\n')}\n`);
    expect(redact(want.join('\n'))).not.toBe(want.join('\n'));
  });

  it('writes a line that ends in a newline of its own exactly as before', async () => {
    const r = await list(
      [sandboxEntry({ name: 'alpha', presets: ['npm', 'pypi'] }), sandboxEntry({ name: 'bravo' })],
      { alpha: 'Ready\n', bravo: 'Ready' },
    );
    const want = LINES('alpha', 'bravo', 'Ready\n');
    // bravo has no presets.
    want[6] = '    agent: openclaw  model: m  provider: build  CPU  policies: none';
    expect(r.out).toBe(lineByLine(want));
    expect(r.out).toContain('    phase: Ready\n  bravo\n');
    expect(r.writes).toBeGreaterThan(1);
  });

  it('asks two gateways in parallel (not blocking) and reports one that is down', async () => {
    const r = await list(
      [sandboxEntry({ name: 'alpha' }), sandboxEntry({ name: 'bravo', gatewayName: 'other' })],
      { alpha: 'Ready', bravo: 'Ready' },
      ['other'],
    );
    expect(r.code).toBe(1);
    expect(r.asked).toEqual([
      { gateway: 'nemoclaw', blocking: false },
      { gateway: 'other', blocking: false },
    ]);
    expect(r.out).toContain('    phase: unknown (gateway unreachable)\n');
    expect(r.out).toContain(
      'gateway other: down [unreachable] (openshell sandbox list failed: no other)\n',
    );
    expect(t.err.join('')).toContain('A gateway is down');
  });
});
