/**
 * One test context for unit and integration tests: a temporary NEMOCLAW_HOME, an optional set of
 * registered sandboxes in it, and a Context on it whose ui writes to buffers (`out`, `err`), with
 * a silent logger and a fixed clock. Use cases get the same Context shape that main() builds.
 *
 *   const t = useTestHome({ prefix: 'nc-policy-', sandboxes: [sandboxEntry()] });
 *   it('…', async () => { await policyAdd(t.context(), …); expect(t.out.join('')).toContain(…) });
 *
 * `useTestHome` makes a fresh home before each test and removes it after (`scope: 'file'` once for
 * the file); `makeTestHome` is the same without hooks, for a test that manages its own lifetime.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Logger } from '../../src/adapters/log.ts';
import { statePaths } from '../../src/adapters/state/paths.ts';
import { registryStore, type RegistryStore } from '../../src/adapters/state/registry-store.ts';
import { createUi } from '../../src/adapters/terminal/ui.ts';
import type { Context, Env } from '../../src/context.ts';
import { withSandbox, type SandboxEntry } from '../../src/core/registry/schema.ts';

/** The repository root: the package root of the CLI under test. */
export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');

/** The clock of every test Context unless a test names its own. */
export const TEST_NOW = new Date('2026-02-02T00:00:00.000Z');

/** A registered sandbox as onboarding records it; `over` changes any field. */
export function sandboxEntry(over: Partial<SandboxEntry> = {}): SandboxEntry {
  return {
    name: 'alpha',
    agent: 'openclaw',
    provider: 'build',
    model: 'm',
    blueprintVersion: '0.1.0',
    blueprintDigest: `sha256:${'a'.repeat(64)}`,
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
    ...over,
  };
}

/** A logger that drops everything (the file logger is tested on its own). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  flush() {},
};

export interface ContextOptions {
  /** stdin is a terminal (the user can be asked); default false, which also means non-interactive. */
  tty?: boolean;
  env?: Env;
  now?: () => Date;
  /** Defaults to the home itself. */
  cwd?: string;
}

export interface TestHome {
  /** The temporary NEMOCLAW_HOME. */
  readonly home: string;
  /** What the contexts' ui wrote to stdout and stderr, one string a write. */
  readonly out: string[];
  readonly err: string[];
  /** A fresh registry store on the home's sandboxes.json (as a new process would open it). */
  registry(): RegistryStore;
  /** A Context on the home, as main() builds it, writing to `out` and `err`. */
  context(o?: ContextOptions): Context;
  /** Registers the sandboxes (added to what is there). */
  register(...entries: SandboxEntry[]): Promise<void>;
  /** The environment a CLI run on this home needs (NEMOCLAW_HOME, no colour), plus `extra`. */
  env(extra?: Env): Env;
  remove(): void;
}

export interface TestHomeOptions {
  /** mkdtemp prefix, so a leftover folder names its test. */
  prefix?: string;
  /** Sandboxes registered before each test. */
  sandboxes?: SandboxEntry[];
}

/** Makes a temporary home (and registers `sandboxes`); the caller removes it. */
export async function makeTestHome(o: TestHomeOptions = {}): Promise<TestHome> {
  const home = mkdtempSync(join(tmpdir(), o.prefix ?? 'nc-test-'));
  const out: string[] = [];
  const err: string[] = [];
  const registry = () => registryStore(join(home, 'sandboxes.json'));
  const t: TestHome = {
    home,
    out,
    err,
    registry,
    context: (c = {}) => {
      const store = registry();
      return {
        env: c.env ?? {},
        cwd: c.cwd ?? home,
        paths: statePaths(home),
        packageRoot: PACKAGE_ROOT,
        ui: createUi({
          stdout: { write: (s: string) => (out.push(s), true) },
          stderr: { write: (s: string) => (err.push(s), true) },
          stdinIsTTY: c.tty ?? false,
        }),
        log: silentLogger,
        defaultAgent: 'openclaw',
        nonInteractive: !c.tty,
        now: c.now ?? (() => TEST_NOW),
        registry: () => store,
      };
    },
    register: async (...entries) => {
      await registry().update((r) => entries.reduce((acc, e) => withSandbox(acc, e), r));
    },
    env: (extra = {}) => ({ NEMOCLAW_HOME: home, NO_COLOR: '1', ...extra }),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
  if (o.sandboxes?.length) await t.register(...o.sandboxes);
  return t;
}

/**
 * A fresh test home for each test (or, with `scope: 'file'`, one for the whole file), removed
 * afterwards. Read its fields inside tests and hooks, not at the top of the file.
 */
export function useTestHome(o: TestHomeOptions & { scope?: 'test' | 'file' } = {}): TestHome {
  let current: TestHome | undefined;
  const now = (): TestHome => {
    if (!current) throw new Error('useTestHome: read the test home inside a test or a hook');
    return current;
  };
  const make = async () => {
    current = await makeTestHome(o);
  };
  const drop = () => {
    current?.remove();
    current = undefined;
  };
  if (o.scope === 'file') {
    beforeAll(make);
    afterAll(drop);
  } else {
    beforeEach(make);
    afterEach(drop);
  }
  return {
    get home() {
      return now().home;
    },
    get out() {
      return now().out;
    },
    get err() {
      return now().err;
    },
    registry: () => now().registry(),
    context: (c) => now().context(c),
    register: (...e) => now().register(...e),
    env: (extra) => now().env(extra),
    remove: () => now().remove(),
  };
}

/**
 * Writes `<dir>/sandboxes.json` by hand, as a file left on disk (not through the store): the
 * sandboxes (a name stands for `sandboxEntry({ name })`), the first (or `def`) as the default.
 */
export function writeRegistryFile(
  dir: string,
  sandboxList: (string | SandboxEntry)[],
  def?: string,
): void {
  const entries = sandboxList.map((s) => (typeof s === 'string' ? sandboxEntry({ name: s }) : s));
  const sandboxes = Object.fromEntries(entries.map((e) => [e.name, e]));
  const names = entries.map((e) => e.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'sandboxes.json'),
    JSON.stringify({ schemaVersion: 1, defaultSandbox: def ?? names[0] ?? null, sandboxes }),
  );
}
