/**
 * Onboarding steps 1–3 and 5–8 (step 4, the provider, is in provider.ts). Each is idempotent:
 * run again, it finds its work done and says so.
 */
import { resolve as resolvePath } from 'node:path';
import { profileResources } from '../../core/blueprint/profiles.ts';
import { NemoclawError, UserError } from '../../core/errors.ts';
import type { DockerEngine } from '../../adapters/docker/engine.ts';
import { redactUrl } from '../../core/redact.ts';
import type { SandboxEntry } from '../../core/registry/schema.ts';
import { GATEWAY_NAME, type StepEnv } from './types.ts';
import { onboardWorkspace, scopedClient } from './workspace.ts';
import { DEFAULT_WORKSPACE } from '../../core/workspace.ts';
import { orWarn, warnUnobserved } from '../unobserved.ts';

export async function blueprintOf(s: StepEnv): Promise<NonNullable<StepEnv['blueprint']>> {
  if (s.blueprint) return s.blueprint;
  const { resolveBlueprint, verifyOrThrow } = await s.deps.blueprints();
  const r = await resolveBlueprint({
    packageRoot: s.ctx.packageRoot,
    home: s.ctx.paths.home,
    spec: s.intent.blueprint,
    sha256: s.intent.blueprintSha256,
  });
  const v = await verifyOrThrow(r);
  s.blueprint = { ...r, digest: v.actual };
  return s.blueprint;
}

async function forwardRunning(s: StepEnv): Promise<boolean> {
  const list = await orWarn(
    s.ctx,
    {
      id: 'openshell.forward-list',
      what: "list OpenShell's port forwards",
      consequence: `whether port ${s.intent.dashboardPort} is already forwarded is unknown; the forward is started anyway`,
    },
    s.deps.openshell.forwardList(),
    [],
  );
  const port = s.intent.dashboardPort;
  const other = list.find(
    (f) => f.port === port && f.sandbox !== s.intent.sandboxName && f.status === 'running',
  );
  if (other) {
    // Caught here, before anything is created, rather than at the last step.
    throw new UserError(
      `The dashboard port ${port} is already forwarded to sandbox ${other.sandbox}.`,
      {
        hint: `Give this sandbox its own port: nemoclaw onboard --dashboard-port <port> (or NEMOCLAW_DASHBOARD_PORT), or free it with: openshell forward stop ${port} ${other.sandbox} -g ${GATEWAY_NAME}`,
      },
    );
  }
  return list.some(
    (f) => f.sandbox === s.intent.sandboxName && f.port === port && f.status === 'running',
  );
}

export async function preflightStep(s: StepEnv): Promise<string> {
  const { runPreflight, assertPreflight } = await import('../preflight.ts');
  const { resolveGpu } = await import('../gpu.ts');
  const bp = await blueprintOf(s);
  const results = await runPreflight(
    { ...s.deps, env: s.ctx.env }, // the world's engine, docker, host and gpuProbe
    {
      blueprint: bp.blueprint,
      gatewayMode: s.intent.gatewayUrl ? 'remote' : 'local',
      gatewayPort: s.intent.gatewayPort,
      dashboardPort: s.intent.dashboardPort,
      gpu: s.intent.gpu,
      ownDashboardForward: await forwardRunning(s),
      openshellVersion: () => s.deps.openshell.version(),
    },
  );
  for (const r of results) {
    if (r.status === 'warn')
      s.progress.detail(
        `! ${r.title}: ${r.detail}${r.fix ? `\n    fix: ${r.fix.replace(/\n/g, '\n    ')}` : ''}`,
      );
  }
  assertPreflight(results);
  const gpu = await resolveGpu(
    { probe: await s.deps.gpuProbe(), env: s.ctx.env, engine: await s.deps.engine() },
    s.intent.gpu,
  );
  s.session.outputs.gpu = gpu.enabled ? { enabled: true, count: gpu.count } : { enabled: false };
  return `${results.filter((r) => r.status === 'ok').length} checks passed${gpu.enabled ? `; GPU: ${gpu.reason}` : ''}`;
}

export async function blueprintStep(s: StepEnv): Promise<string> {
  s.blueprint = undefined; // verification happens before every use, resume included
  const bp = await blueprintOf(s);
  const v = await s.deps.checkOpenshellVersion(s.deps.openshell, bp.blueprint);
  s.session.outputs.blueprintVersion = bp.version;
  s.session.outputs.blueprintDigest = bp.digest;
  return `blueprint ${bp.version} verified (${bp.digest.slice(0, 19)}…); OpenShell ${v.version}`;
}

export async function gatewayStep(s: StepEnv): Promise<string> {
  const { ensureGateway, registerRemoteGateway } = await import('../gateway.ts');
  if (s.intent.gatewayUrl) {
    const { imageRegistryProblem } = await import('../../core/onboard/intent.ts');
    const problem = imageRegistryProblem(s.intent.gatewayUrl, s.intent.imageRegistry);
    if (problem) {
      throw new NemoclawError('invalid', `--image-registry: ${problem}`, {
        hint: 'Run again with --image-registry <host[:port]/path> (or NEMOCLAW_IMAGE_REGISTRY).',
      });
    }
    const r = await registerRemoteGateway(s.deps.openshell, s.intent.gatewayUrl, GATEWAY_NAME);
    for (const w of r.warnings) s.progress.detail(`! ${w}`);
    s.session.outputs.gatewayName = GATEWAY_NAME;
    s.session.outputs.gatewayUrl = r.url;
    return `registered the remote gateway ${r.url}`;
  }
  const bp = await blueprintOf(s);
  const r = await ensureGateway(
    {
      ...s.deps, // the world's docker, files and http
      engine: await s.deps.engine(),
      openshell: s.deps.openshell,
      env: s.ctx.env,
      supervisorDir: s.ctx.paths.supervisorDir,
      onProgress: (l) => s.progress.detail(l),
      warn: (u) => warnUnobserved(s.ctx, u),
    },
    { blueprint: bp.blueprint, port: s.intent.gatewayPort, extraLabels: s.deps.extraLabels },
  );
  s.session.outputs.gatewayName = GATEWAY_NAME;
  s.session.outputs.gatewayUrl = `http://127.0.0.1:${s.intent.gatewayPort}`;
  return r.reused
    ? 'the gateway was already running and healthy'
    : `gateway on 127.0.0.1:${s.intent.gatewayPort}`;
}

export async function imageStep(s: StepEnv): Promise<string> {
  const { buildSandboxImage } = await import('../sandbox-image.ts');
  const { formatBuildStatus } = await import('../../core/build-stream.ts');
  const width = Math.max(40, (s.deps.progressStream?.columns ?? 100) - 40);
  const deps = {
    docker: () => s.deps.docker(),
    blueprints: () => s.deps.blueprints(),
    engine: await s.deps.engine(),
    env: s.ctx.env,
    onProgress: (l: string) => s.progress.detail(l),
    onWarning: (w: string) => s.ctx.ui.warn(w),
    // The build log goes to the log file (and stderr with --verbose); the terminal gets one line.
    onBuildLog: (line: string) => s.ctx.log.info({ image: true, line }, 'image build'),
    onStatus: (st: Parameters<typeof formatBuildStatus>[0]) =>
      s.progress.status(formatBuildStatus(st, width)),
  };
  const r = s.intent.fromDockerfile
    ? await (
        await import('../custom-image-overlay.ts')
      ).buildConfiguredCustomImage(deps, {
        dockerfile: s.intent.fromDockerfile,
        agent: s.intent.agent,
        extraLabels: s.deps.extraLabels,
        ...(await customConfigInput(s)),
      })
    : await buildSandboxImage(deps, await blueprintImageInput(s, deps.engine));
  if (s.intent.imageRegistry) {
    // A remote gateway pulls the image; it cannot see this host's Engine (core/onboard/intent.ts).
    const { pushImage } = await s.deps.docker();
    s.progress.detail(`Pushing ${r.tag} to ${s.intent.imageRegistry}…`);
    const pushed = await pushImage(deps.engine, r.tag, s.intent.imageRegistry, deps.onProgress);
    s.session.outputs.image = pushed.pinned;
    return `${r.built ? 'built' : 'reused'} ${r.tag}, pushed as ${pushed.pinned}`;
  }
  s.session.outputs.image = r.tag;
  return r.built ? `built ${r.tag}` : `${r.tag} (cached)`;
}

/** The blueprint build with the agent's configuration from this onboarding's answers. */
/** A `--from` image gets the generated config too (usecases/custom-image-overlay.ts); no channels. */
async function customConfigInput(s: StepEnv) {
  const prev = (await s.ctx.registry().read()).sandboxes[s.intent.sandboxName];
  const model = s.session.outputs.model ?? s.intent.model;
  const { sandboxName: sandbox, provider, dashboardPort: hostPort } = s.intent;
  const config = { blueprint: await blueprintOf(s), sandbox, provider, model, hostPort };
  return { config: { ...config, channels: [] }, previousImage: prev?.image };
}

async function blueprintImageInput(s: StepEnv, engine: DockerEngine) {
  const { agentConfigFor, instanceFor, INSTANCE_LABEL } = await import('../agent-config.ts');
  const prev = (await s.ctx.registry().read()).sandboxes[s.intent.sandboxName];
  const bp = await blueprintOf(s);
  const instance = await instanceFor(s.deps, engine, prev?.image);
  const agentConfig = await agentConfigFor(s.deps, {
    blueprint: bp,
    agent: s.intent.agent,
    sandbox: s.intent.sandboxName,
    provider: s.intent.provider,
    model: s.session.outputs.model ?? s.intent.model,
    hostPort: s.intent.dashboardPort,
    channels: prev?.channels ?? [],
    instance,
  });
  return {
    blueprint: bp,
    blueprintDigest: bp.digest,
    agent: s.intent.agent,
    extraLabels: { ...s.deps.extraLabels, [INSTANCE_LABEL]: instance },
    agentConfig,
  };
}

/** Presets the sandbox should have: the tier's, the extras asked for, and any the user added before. */
async function desiredPresets(s: StepEnv): Promise<string[]> {
  const { expandTier } = await import('../../core/policy/presets.ts');
  const tiers = await s.deps.tiers();
  const existing = (await s.ctx.registry().read()).sandboxes[s.intent.sandboxName]?.presets ?? [];
  return [
    ...new Set([...expandTier(tiers, s.intent.policyTier), ...s.intent.extraPresets, ...existing]),
  ];
}

const RESUME_HINT = 'run: nemoclaw onboard --resume';

async function waitReady(s: StepEnv, name: string): Promise<void> {
  const { waitCreated } = await import('../sandbox-create.ts');
  await waitCreated(s.ctx, await scopedClient(s), name, RESUME_HINT);
}

export async function sandboxStep(s: StepEnv): Promise<string> {
  const os = await scopedClient(s);
  const name = s.intent.sandboxName;
  const registered = (await s.ctx.registry().read()).sandboxes[name];
  const live = await os.sandboxGet(name);
  let note = '';
  if (live) {
    let recreate = s.intent.recreate;
    if (!recreate && s.deps.prompter && registered && live.phase === 'Ready') {
      recreate =
        (await s.deps.prompter.select(
          `Sandbox ${name} already exists.`,
          [
            { value: 'reuse', name: 'Reuse it (keeps everything in it)' },
            { value: 'recreate', name: 'Recreate it (takes a snapshot first)' },
          ],
          'reuse',
        )) === 'recreate';
    }
    if (recreate) {
      if (registered && live.phase === 'Ready' && s.deps.snapshot) {
        s.progress.detail(`Taking a snapshot of ${name} before recreating it…`);
        const id = await s.deps.snapshot(name);
        s.session.outputs.snapshotBeforeRecreate = id;
        await s.save();
        note = ` (snapshot ${id} kept)`;
      }
      s.progress.detail(`Deleting sandbox ${name}…`);
      await os.sandboxDelete(name);
    } else if (
      live.phase === 'Ready' ||
      live.phase === 'Provisioning' ||
      live.phase === 'Starting'
    ) {
      await waitReady(s, name);
      await register(s);
      return `reusing sandbox ${name}`;
    } else if (registered) {
      throw new UserError(
        `Sandbox ${name} exists in phase ${live.phase}; onboarding will not replace it without being asked.`,
        {
          hint: `Keep its data with: nemoclaw ${name} rebuild; or replace it: nemoclaw onboard --recreate-sandbox`,
        },
      );
    } else {
      // A sandbox a failed onboarding left behind, never registered: nothing of the user's is in it.
      s.progress.detail(`Removing the unfinished sandbox ${name} (phase ${live.phase})…`);
      await os.sandboxDelete(name);
    }
  }
  const presets = await desiredPresets(s);
  const bp = await blueprintOf(s);
  s.progress.detail(`Creating sandbox ${name} from ${s.session.outputs.image}…`);
  const { createSandbox } = await import('../sandbox-create.ts');
  const { agentEnvFor } = await import('../agent-config.ts');
  const { sandboxProviders } = await import('../../core/ops/channels.ts');
  await createSandbox(s.deps, os, {
    name,
    image: s.session.outputs.image!,
    agent: s.intent.agent,
    blueprint: bp.blueprint,
    presets,
    customPolicies: registered?.customPolicies ?? [],
    providers: sandboxProviders(s.session.outputs.providerName!, registered?.channels ?? []),
    gpu: s.session.outputs.gpu,
    resources: profileResources(bp.blueprint, s.intent.profile),
    agentEnv: await agentEnvFor(s.deps, bp, s.intent.agent), // --from images carry the config too
    dashboardPort: s.intent.dashboardPort,
  });
  await waitReady(s, name);
  s.session.outputs.presets = presets;
  await register(s, presets);
  return `sandbox ${name} is Ready${note}`;
}

/** What a rebuild needs to make the sandbox again from the same sources (issue 15). */
function sourceFields(s: StepEnv, prev: SandboxEntry | undefined): Partial<SandboxEntry> {
  const i = s.intent;
  const from = i.fromDockerfile ? resolvePath(i.fromDockerfile) : undefined;
  const spec = i.blueprint && /^[a-z]+:\/\//i.test(i.blueprint) ? i.blueprint : undefined;
  const local =
    i.blueprint && !spec && (i.blueprint.includes('/') || i.blueprint.startsWith('.'))
      ? resolvePath(i.blueprint)
      : undefined;
  const pick = <T>(v: T | undefined, old: T | undefined) => (v !== undefined ? v : old);
  return {
    // A packaged version is recorded as blueprintVersion; a folder or URL is the source.
    blueprintSource: pick(spec ?? local, i.blueprint ? undefined : prev?.blueprintSource),
    blueprintSha256: pick(i.blueprintSha256, prev?.blueprintSha256),
    fromDockerfile: pick(from, prev?.fromDockerfile),
    providers: s.session.outputs.providerName ? [s.session.outputs.providerName] : prev?.providers,
    profile: pick(i.profile, prev?.profile),
    desiredState: 'running',
  };
}

function agentChannelsOf(s: StepEnv, prev: SandboxEntry | undefined, created: boolean) {
  if (!created) return prev?.agentChannels ? { agentChannels: prev.agentChannels } : {};
  return s.intent.fromDockerfile ? {} : { agentChannels: prev?.channels ?? [] };
}

/** Records the sandbox once OpenShell reports it Ready (never before). */
async function register(s: StepEnv, presets?: string[]): Promise<void> {
  const o = s.session.outputs;
  const now = s.ctx.now().toISOString();
  const name = s.intent.sandboxName;
  const ws = await onboardWorkspace(s);
  await s.ctx.registry().update((reg) => {
    const prev = reg.sandboxes[name];
    const entry: SandboxEntry = {
      name,
      agent: s.intent.agent,
      provider: s.intent.provider,
      model: o.model ?? s.intent.model,
      endpointUrl: s.intent.endpointUrl && redactUrl(s.intent.endpointUrl),
      blueprintVersion: o.blueprintVersion!,
      blueprintDigest: o.blueprintDigest!,
      image: o.image!,
      policyTier: s.intent.policyTier,
      presets: presets ?? prev?.presets ?? [],
      customPolicies: prev?.customPolicies ?? [],
      gpu: o.gpu ?? { enabled: false },
      dashboardPort: s.intent.dashboardPort,
      gatewayName: o.gatewayName ?? GATEWAY_NAME,
      gatewayUrl: o.gatewayUrl,
      ...(ws === DEFAULT_WORKSPACE ? {} : { workspace: ws }),
      channels: prev?.channels ?? [],
      ...sourceFields(s, prev),
      // Created now: the image's config names the channels recorded so far; reused: unchanged.
      ...agentChannelsOf(s, prev, presets !== undefined),
      createdAt: prev?.createdAt ?? now,
      updatedAt: now,
    };
    return {
      ...reg,
      defaultSandbox: reg.defaultSandbox ?? name,
      sandboxes: { ...reg.sandboxes, [name]: entry },
    };
  });
}

export async function policyStep(s: StepEnv): Promise<string> {
  const { ensurePolicies } = await import('../policy-restore.ts');
  const presets = await desiredPresets(s);
  const r = await ensurePolicies(
    s.ctx,
    { openshell: await scopedClient(s), presets: () => s.deps.presets(), files: s.deps.files },
    { sandbox: s.intent.sandboxName, presets },
  );
  s.session.outputs.presets = r.presets;
  const tier = `tier ${s.intent.policyTier}`;
  return r.presets.length
    ? `${tier}: ${r.presets.join(', ')}`
    : `${tier}: no presets (deny-by-default egress)`;
}

export async function forwardStep(s: StepEnv): Promise<string> {
  const port = s.intent.dashboardPort;
  if (await forwardRunning(s)) return `dashboard already forwarded on 127.0.0.1:${port}`;
  // Re-onboarding with another port moves the dashboard: one forward per sandbox, not two.
  const stale = (await s.deps.openshell.forwardList()).filter(
    (f) => f.sandbox === s.intent.sandboxName && f.port !== port,
  );
  for (const f of stale) {
    s.progress.detail(`Stopping the old dashboard forward on port ${f.port}…`);
    await s.deps.openshell.forwardStop(f.sandbox, f.port);
  }
  const bind = s.ctx.env.NEMOCLAW_DASHBOARD_BIND?.trim() || '127.0.0.1';
  const os = await scopedClient(s); // forward start finds the sandbox in its workspace (main.rs)
  await os.forwardStart(s.intent.sandboxName, port, { bind, background: true });
  s.session.outputs.forwardPort = port;
  return `dashboard on http://${bind}:${port}/`;
}
