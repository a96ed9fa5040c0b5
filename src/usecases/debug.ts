/**
 * `nemoclaw debug [--quick] [--sandbox N] [--output F]`: a tar.gz for a bug report. Probes run in
 * parallel, each bounded; a probe that fails is listed in the manifest's `skipped` instead of
 * stopping the bundle. Every byte passes core/debug-bundle.ts `scrub` (central redaction) before it
 * is hashed or written.
 */
import { join, resolve } from 'node:path';
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import {
  buildManifest,
  interestingEnv,
  safeEntryPath,
  scrub,
  type BundleEntry,
} from '../core/debug-bundle.ts';
import { UsageError, errorMessage } from '../core/errors.ts';
import { DEFAULT_GATEWAY_CONTAINER } from '../core/gateway-plan.ts';
import { redactValue } from '../core/redact.ts';
import { VERSION } from '../version.ts';
import type { PreflightWorld } from './preflight.ts';

export interface DebugOptions {
  quick?: boolean;
  sandbox?: string;
  output?: string;
}

export type DebugDeps = Pick<
  World,
  | 'openshell'
  | 'sandboxClient'
  | 'answeringEngine'
  | 'extraLabels'
  | 'presets'
  | 'blueprints'
  | 'files'
  | 'docker'
  | 'snapshots'
  | 'host'
> &
  PreflightWorld;

const PROBE_TIMEOUT_MS = 20_000;
const LOG_TAIL_BYTES = 512 * 1024;
const LOG_FILES = 3;
const CONTAINER_LOG_LINES = 300;

type Probe = { path: string; description: string; slow?: boolean; run: () => Promise<unknown> };

function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

/** JSON values are deep-redacted by key first, then the text is scrubbed like everything else. */
function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  return `${JSON.stringify(redactValue(v), null, 2)}\n`;
}

async function engineOrNull(deps: DebugDeps): Promise<DockerEngine | null> {
  return (await deps.answeringEngine(3000)) ?? null;
}

function probes(
  ctx: Context,
  deps: DebugDeps,
  o: DebugOptions,
  os: OpenshellClient,
  engine: DockerEngine | null,
  /** The sandbox's own client (its workspace); the gateway's when none was named. */
  sos: OpenshellClient = os,
): Probe[] {
  const files = () => deps.files();
  const inv = () => deps.docker();
  const needEngine = () => {
    if (!engine) throw new Error('the Docker Engine did not answer');
    return engine;
  };
  const gw = ctx.env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER;
  const text = async (p: string) => {
    const t = await (await files()).readTextTail(p, 1 << 20);
    if (t === undefined) throw new Error(`${p} does not exist`);
    return t;
  };
  const list: Probe[] = [
    {
      path: 'system.json',
      description: 'operating system, CPU, memory, Node.js',
      run: async () => (await deps.host()).systemFacts(),
    },
    {
      path: 'env.json',
      description:
        'nemoclaw, OpenShell, Docker and proxy environment variables (secret values masked)',
      run: async () => interestingEnv(ctx.env),
    },
    {
      path: 'versions.json',
      description: 'nemoclaw, Node.js, OpenShell CLI and Docker Engine versions',
      run: async () => {
        const [openshell, docker] = await Promise.all([
          os.version().then(
            (v) => v.raw,
            (e: unknown) => `unavailable: ${errorMessage(e)}`,
          ),
          engine
            ? (await deps.docker()).engineFacts(engine).then(
                (f) => f,
                (e: unknown) => `unavailable: ${errorMessage(e)}`,
              )
            : 'unavailable: the Docker Engine did not answer',
        ]);
        return { nemoclaw: VERSION, node: process.version, openshell, docker };
      },
    },
    {
      path: 'openshell/status.json',
      description: '`openshell status` for the nemoclaw gateway',
      run: () => os.status(),
    },
    {
      path: 'openshell/sandbox-list.json',
      description: '`openshell sandbox list --all-workspaces`',
      run: () => os.sandboxList({ allWorkspaces: true }),
    },
    {
      path: 'openshell/gateway-list.json',
      description: '`openshell gateway list`',
      run: () => os.gatewayList(),
    },
    {
      path: 'openshell/forward-list.json',
      description: '`openshell forward list`',
      run: () => os.forwardList(),
    },
    {
      path: 'openshell/inference.json',
      description: '`openshell inference get`',
      run: () => os.inferenceGet(),
    },
    {
      path: 'openshell/providers.json',
      description: '`openshell provider list`: names and credential key names only',
      run: async () =>
        (await os.providerList()).map((p) => ({
          name: p.name,
          type: p.type,
          credential_keys: p.credential_keys,
          config_keys: p.config_keys,
        })),
    },
    {
      path: 'state/sandboxes.json',
      description: 'the sandbox registry, as on disk',
      run: () => text(ctx.paths.registry),
    },
    {
      path: 'state/onboard-session.json',
      description: 'an unfinished onboarding session, as on disk',
      run: () => text(ctx.paths.onboardSession),
    },
    {
      path: 'state/install-receipt',
      description: 'what install.sh installed',
      run: () => text(join(ctx.paths.home, 'install-receipt')),
    },
    {
      path: 'state/home-listing.json',
      description: 'names of the files under NEMOCLAW_HOME (no contents)',
      run: async () => {
        const f = await files();
        const top = await f.listDir(ctx.paths.home);
        return Object.fromEntries(
          await Promise.all(top.map(async (n) => [n, await f.listDir(join(ctx.paths.home, n))])),
        );
      },
    },
    {
      path: 'docker/nemoclaw-objects.json',
      description: 'images, containers and volumes nemoclaw or OpenShell made',
      run: async () => {
        const e = needEngine();
        const i = await inv();
        const { ownedLabelFilters } = await import('../core/gc.ts');
        const labels = ownedLabelFilters(deps.extraLabels);
        const [images, containers, sandboxes, volumes] = await Promise.all([
          i.listImages(e, { labels }),
          i.listContainers(e, { labels }),
          i.listContainers(e, { labels: ['openshell.ai/managed-by=openshell'] }),
          i.listVolumes(e, { labels }),
        ]);
        return { images, containers, sandboxContainers: sandboxes, volumes };
      },
    },
    {
      path: 'docker/gateway-container.json',
      description: `the gateway container ${gw} (inspect summary, no environment)`,
      run: async () =>
        (await (await inv()).containerSummary(needEngine(), gw)) ?? `no container named ${gw}`,
    },
    {
      path: 'docker/gateway-logs.txt',
      description: `the last ${CONTAINER_LOG_LINES} log lines of ${gw}`,
      slow: true,
      run: async () =>
        (await (await deps.docker()).containerLogTail(needEngine(), gw, CONTAINER_LOG_LINES)).join(
          '\n',
        ) + '\n',
    },
    {
      path: 'doctor.json',
      description: '`nemoclaw doctor`: preflight and state checks with fixes',
      slow: true,
      run: async () =>
        (await import('./doctor.ts')).runDoctor(ctx, {
          ...deps,
          answeringEngine: async () => engine ?? undefined,
        }),
    },
  ];
  if (o.sandbox) {
    const n = o.sandbox;
    list.push(
      {
        path: `sandbox/${n}/get.json`,
        description: `\`openshell sandbox get ${n}\``,
        run: async () => (await sos.sandboxGet(n)) ?? `OpenShell has no sandbox ${n}`,
      },
      {
        path: `sandbox/${n}/policy.yaml`,
        description: `\`openshell policy get --full ${n}\``,
        run: async () => (await sos.policyGet(n)).yaml ?? '',
      },
      {
        path: `sandbox/${n}/logs.txt`,
        description: `\`openshell logs ${n} --tail ${CONTAINER_LOG_LINES}\``,
        slow: true,
        run: async () => (await sos.logs(n, { tail: CONTAINER_LOG_LINES })).join('\n') + '\n',
      },
      {
        path: `sandbox/${n}/registry-entry.json`,
        description: `the registry entry of ${n}`,
        run: async () => (await ctx.registry().read()).sandboxes[n] ?? `${n} is not registered`,
      },
    );
  }
  return list;
}

async function logEntries(ctx: Context, deps: Pick<World, 'files'>): Promise<BundleEntry[]> {
  const f = await deps.files();
  const names = (await f.listDir(ctx.paths.logsDir))
    .filter((n) => /^nemoclaw-.*\.jsonl$/.test(n))
    .slice(-LOG_FILES);
  const out: BundleEntry[] = [];
  for (const n of names) {
    const t = await f.readTextTail(join(ctx.paths.logsDir, n), LOG_TAIL_BYTES);
    if (t !== undefined)
      out.push({
        path: `logs/${n}`,
        description: `nemoclaw's log (last ${LOG_TAIL_BYTES / 1024} KiB)`,
        text: t,
      });
  }
  const journals = (await f.listDir(ctx.paths.journalDir)).filter((n) => n.endsWith('.json'));
  for (const n of journals) {
    const t = await f.readTextTail(join(ctx.paths.journalDir, n), 1 << 20);
    if (t !== undefined)
      out.push({ path: `state/journal/${n}`, description: 'a rebuild journal', text: t });
  }
  return out;
}

export async function buildDebugBundle(
  ctx: Context,
  o: DebugOptions,
  deps: DebugDeps,
): Promise<{ path: string; manifest: ReturnType<typeof buildManifest> }> {
  const os = await deps.openshell();
  const engine = await engineOrNull(deps);
  // A sandbox lives in its own workspace: its probes ask there.
  const sos = o.sandbox ? await deps.sandboxClient(o.sandbox) : os;
  const all = probes(ctx, deps, o, os, engine, sos);
  const skipped: { path: string; reason: string }[] = [];
  const entries: BundleEntry[] = [];
  const results = await Promise.all(
    all.map(async (p) => {
      if (p.slow && o.quick) return { p, skip: '--quick' };
      try {
        return { p, text: toText(await bounded(p.run(), PROBE_TIMEOUT_MS)) };
      } catch (e) {
        return { p, skip: errorMessage(e) };
      }
    }),
  );
  for (const r of results) {
    if ('text' in r && r.text !== undefined)
      entries.push({ path: r.p.path, description: r.p.description, text: r.text });
    else skipped.push({ path: r.p.path, reason: r.skip ?? 'no output' });
  }
  entries.push(...(await logEntries(ctx, deps)));
  // One scrub for every byte, whatever produced it; paths too (a sandbox name is user input).
  const safe = entries
    .filter((e) => safeEntryPath(e.path))
    .map((e) => ({ ...e, path: scrub(e.path), text: scrub(e.text) }));
  const createdAt = ctx.now().toISOString();
  const manifest = buildManifest(safe, {
    createdAt,
    nemoclawVersion: VERSION,
    quick: Boolean(o.quick),
    sandbox: o.sandbox,
    skipped: skipped.map((s) => ({ path: s.path, reason: scrub(s.reason) })),
  });
  const out = o.output
    ? resolve(ctx.cwd, o.output)
    : join(ctx.cwd, `nemoclaw-debug-${createdAt.replace(/[:.]/g, '-')}.tar.gz`);
  const { writeTextTarGz } = await deps.files();
  await writeTextTarGz(out, [
    ...safe,
    { path: 'manifest.json', text: `${JSON.stringify(manifest, null, 2)}\n` },
  ]);
  return { path: out, manifest };
}

export async function debugCommand(
  ctx: Context,
  deps: DebugDeps,
  o: DebugOptions,
): Promise<number> {
  if (o.sandbox !== undefined) {
    // A name that is not registered would only put an attacker-chosen string into the bundle.
    const reg = await ctx
      .registry()
      .read()
      .catch(() => undefined);
    if (reg && !reg.sandboxes[o.sandbox])
      throw new UsageError(
        `--sandbox ${JSON.stringify(o.sandbox.slice(0, 64))} is not registered.`,
        {
          hint: `See the registered sandboxes with \`nemoclaw list\`, or omit --sandbox.`,
        },
      );
  }
  const { path, manifest } = await buildDebugBundle(ctx, o, deps);
  ctx.ui.info(`Wrote ${manifest.entries.length} entries (see manifest.json inside):`);
  for (const e of manifest.entries) ctx.ui.info(`  ${e.path.padEnd(36)} ${e.description}`);
  for (const s of manifest.skipped) ctx.ui.info(`  (skipped ${s.path}: ${s.reason})`);
  ctx.ui.info(
    'Secrets were redacted. Review the contents before sharing: tar -tzvf <file>, tar -xzf <file>.',
  );
  ctx.ui.out(path);
  return 0;
}
