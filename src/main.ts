/**
 * The composition root (house style 1): builds the context, the world (everything outside the
 * process, lazily) and the program, runs it, and alone maps errors to exit codes and printed
 * messages. The test hooks (NEMOCLAW_TEST_RUN_ID, NEMOCLAW_FAULT_PAUSE) are read here and nowhere
 * else. `main` never calls process.exit, so tests run it in-process.
 */
import { createLazyLogger, type Logger } from './adapters/log.ts';
import { packageRoot } from './adapters/package-root.ts';
import { resolveHome, statePaths } from './adapters/state/paths.ts';
import { registryStore } from './adapters/state/registry-store.ts';
import { createUi, wantColor } from './adapters/terminal/ui.ts';
import type { Context, Env } from './context.ts';
import type { DockerEngine } from './adapters/docker/engine.ts';
import type { OpenshellClient } from './adapters/openshell/types.ts';
import { isTruthy } from './core/consent.ts';
import { jsonRequested, errorJson } from './core/error-report.ts';
import { ExitCode, NemoclawError, errorMessage } from './core/errors.ts';
import { redact, registerSecretsFromEnv } from './core/redact.ts';
import type { MainIo } from './main-io.ts';
import type { DockerIo, FileIo, HostIo, SnapshotIo, World } from './world.ts';

export type { MainIo } from './main-io.ts';

export function buildContext(
  io: MainIo,
  flags: { quiet: boolean; verbose: boolean; color: boolean },
): Context {
  const paths = statePaths(resolveHome(io.env));
  const ui = createUi({
    stdout: io.stdout,
    stderr: io.stderr,
    stdinIsTTY: io.stdinIsTTY,
    quiet: flags.quiet,
    color: wantColor(io.env, io.stderr, flags.color),
  });
  const log: Logger = createLazyLogger({
    dir: paths.logsDir,
    command: io.argv.slice(0, 2).join(' '),
    mirror: flags.verbose ? (l) => void io.stderr.write(l) : undefined,
    level: io.env.NEMOCLAW_LOG_LEVEL,
  });
  let registry: ReturnType<typeof registryStore> | undefined;
  const ctx: Context = {
    env: io.env,
    cwd: io.cwd,
    paths,
    packageRoot: packageRoot(io.env.NEMOCLAW_PACKAGE_ROOT),
    ui,
    log,
    defaultAgent: io.agent ?? 'openclaw',
    nonInteractive: isTruthy(io.env.NEMOCLAW_NON_INTERACTIVE) || !io.stdinIsTTY,
    now: () => new Date(),
    registry: () => (registry ??= registryStore(paths.registry)),
  };
  return ctx;
}

/** The test hooks, read from the environment here only and injected through the world. */
export function testHooks(env: Env): Pick<World, 'extraLabels' | 'faultPause'> {
  const run = env.NEMOCLAW_TEST_RUN_ID?.trim();
  return {
    extraLabels: run ? { 'nemoclaw.test': run } : undefined,
    faultPause: env.NEMOCLAW_FAULT_PAUSE || undefined,
  };
}

/** A loader that runs once; later calls share its promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
}

/** Adapter modules merged into one area (their export names are distinct: a test checks). */
async function merged<T>(...modules: Promise<object>[]): Promise<T> {
  return Object.assign({}, ...(await Promise.all(modules))) as T;
}

/**
 * The world's adapter areas: they need nothing from the context, so tests that build a world of
 * their own take them from here instead of importing adapters.
 */
export function adapterAreas(): Pick<
  World,
  'docker' | 'files' | 'snapshots' | 'host' | 'audit' | 'interrupts'
> {
  return {
    docker: once(async () => {
      const {
        connectEngine: _c,
        answeringEngine: _a,
        ...engine
      } = await import('./adapters/docker/engine.ts');
      return merged<DockerIo>(
        import('./adapters/docker/inventory.ts'),
        import('./adapters/docker/containers.ts'),
        import('./adapters/docker/images.ts'),
        import('./adapters/docker/sandboxes.ts'),
        import('./adapters/docker/push.ts'),
        import('./adapters/docker/overlay-context.ts'),
        import('./adapters/docker/context-extras.ts'),
        import('./adapters/docker/build-context.ts'),
        import('./adapters/docker/supervisor.ts'),
        Promise.resolve(engine),
      );
    }),
    files: once(() =>
      merged<FileIo>(
        import('./adapters/state/home-files.ts'),
        import('./adapters/state/json-file.ts'),
        import('./adapters/state/lock.ts'),
        import('./adapters/state/sandbox-records.ts'),
        import('./adapters/state/archive.ts'),
        import('./adapters/state/fingerprint-key.ts'),
        import('./adapters/state/atomic.ts'),
        import('./adapters/host/user-file.ts'),
        import('./adapters/host/bounded-read.ts'),
        import('./adapters/host/tree.ts'),
        import('./adapters/policy/tempfile.ts'),
        import('./adapters/sessions/sqlite-redact.ts'),
      ),
    ),
    snapshots: once(() =>
      merged<SnapshotIo>(
        import('./adapters/snapshot/store.ts'),
        import('./adapters/snapshot/create.ts'),
        import('./adapters/snapshot/restore.ts'),
        import('./adapters/snapshot/archive.ts'),
        import('./adapters/snapshot/tree.ts'),
        import('./adapters/snapshot/litter.ts'),
      ),
    ),
    host: once(() =>
      merged<HostIo>(
        import('./adapters/host/system.ts'),
        import('./adapters/host/resources.ts'),
        import('./adapters/host/ports.ts'),
      ),
    ),
    audit: () => import('./adapters/audit/store.ts'),
    interrupts: () => import('./adapters/terminal/interrupt.ts'),
  };
}

/**
 * The world: every member is built on first use, so a command loads only the adapters it touches
 * (an OpenShell client per gateway and workspace, one Engine connection, a prompt).
 */
export function createWorld(ctx: Context, hooks = testHooks(ctx.env)): World {
  const clients = new Map<string, Promise<OpenshellClient>>();
  let engine: Promise<DockerEngine> | undefined;
  const openshell = (gateway = 'nemoclaw', workspace?: string): Promise<OpenshellClient> => {
    const key = `${gateway}\u0000${workspace ?? ''}`;
    let c = clients.get(key);
    if (!c) {
      c = import('./adapters/openshell/factory.ts').then((m) =>
        m.openshellClient(ctx, gateway, workspace),
      );
      clients.set(key, c);
    }
    return c;
  };
  return {
    ...hooks,
    ...adapterAreas(),
    openshell,
    async sandboxClient(name) {
      const e = (await ctx.registry().read()).sandboxes[name];
      return openshell(e?.gatewayName, e?.workspace);
    },
    quickReader: async (gateway, o) =>
      (await import('./adapters/openshell/quick.ts')).createQuickReader({
        gateway,
        env: ctx.env,
        ...o,
      }),
    async sandboxRules(name) {
      const e = (await ctx.registry().read()).sandboxes[name];
      const { createRuleClient } = await import('./adapters/openshell/rules.ts');
      return createRuleClient({
        gateway: e?.gatewayName ?? 'nemoclaw',
        workspace: e?.workspace,
        env: ctx.env,
        log: ctx.log,
      });
    },
    engine: () =>
      (engine ??= import('./adapters/docker/engine.ts').then((m) => m.connectEngine(ctx.env))),
    answeringEngine: async (timeoutMs) =>
      (await import('./adapters/docker/engine.ts')).answeringEngine(ctx.env, timeoutMs),
    confirm: async (message) =>
      (await import('./adapters/terminal/confirm.ts')).terminalConfirm(message),
    prompter: async () => (await import('./adapters/terminal/prompt.ts')).inquirerPrompter(),
    presets: async () => (await import('./adapters/policy/assets.ts')).loadPresets(ctx.packageRoot),
    tiers: async () => (await import('./adapters/policy/assets.ts')).loadTiers(ctx.packageRoot),
    baseline: async (agent) =>
      (await import('./adapters/policy/assets.ts')).loadBaseline(ctx.packageRoot, agent),
    blueprints: async () => {
      const [r, f, m] = await Promise.all([
        import('./adapters/blueprint/resolve.ts'),
        import('./adapters/blueprint/files.ts'),
        import('./adapters/blueprint/manifest.ts'),
      ]);
      return {
        listPackagedVersions: r.listPackagedVersions,
        resolveBlueprint: r.resolveBlueprint,
        verifyBlueprint: r.verifyBlueprint,
        verifyOrThrow: r.verifyOrThrow,
        integrityError: r.integrityError,
        loadBlueprintIndex: f.loadBlueprintIndex,
        readYamlFile: f.readYamlFile,
        readPolicyTexts: f.readPolicyTexts,
        loadAgentManifest: m.loadAgentManifest,
      };
    },
    http: () => merged(import('./adapters/http/probe.ts'), import('./adapters/http/readyz.ts')),
    gpuProbe: async () => {
      const [g, e] = await Promise.all([
        import('./adapters/gpu/probe.ts'),
        import('./adapters/docker/engine.ts'),
      ]);
      return {
        queryNvidiaSmi: g.queryNvidiaSmi,
        nvidiaCtkVersion: g.nvidiaCtkVersion,
        nvidiaCdiSpecs: g.nvidiaCdiSpecs,
        CDI_DIRS: g.CDI_DIRS,
        engineFacts: e.engineFacts,
      };
    },
    checkOpenshellVersion: async (client, bp) =>
      (await import('./adapters/openshell/version-gate.ts')).checkOpenshellVersion(client, bp),
    progress: async (...a) =>
      (await import('./adapters/terminal/progress.ts')).createProgress(...a),
    now: () => ctx.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

export async function main(io: MainIo): Promise<number> {
  registerSecretsFromEnv(io.env);
  const { runProgram } = await import('./program.ts');
  let ctx: Context | undefined;
  try {
    return await runProgram(io, (flags) => (ctx = buildContext(io, flags)), createWorld);
  } catch (e) {
    return reportError(e, io, ctx);
  } finally {
    ctx?.log.flush();
  }
}

export function reportError(e: unknown, io: MainIo, ctx: Context | undefined): number {
  if (jsonRequested(io.argv)) {
    ctx?.log.error({ err: errorMessage(e), stack: (e as Error)?.stack }, 'command failed');
    const { line, exitCode } = errorJson(e);
    io.stderr.write(line);
    return exitCode;
  }
  const write = (s: string) => void io.stderr.write(`${redact(s)}\n`);
  if (e instanceof NemoclawError) {
    ctx?.log.error({ kind: e.kind, detail: e.detail, err: errorMessage(e) }, 'command failed');
    write(`Error: ${e.message}`);
    if (e.hint) write(`  ${e.hint}`);
    return e.exitCode;
  }
  ctx?.log.error({ err: errorMessage(e), stack: (e as Error)?.stack }, 'unexpected error');
  write(`Error: ${errorMessage(e)}`);
  write('  This is a bug in nemoclaw. Run `nemoclaw debug` and attach the bundle to a report.');
  if (isTruthy(io.env.NEMOCLAW_DEBUG) && e instanceof Error && e.stack) write(e.stack);
  return ExitCode.failure;
}
