/**
 * `apply -f FILE [--dry-run] [--json] [--yes] [--prune]`: observe (the registry) → plan
 * (core/fleet/plan.ts, typed changes) → render → consent → apply each change through the use case
 * that owns it (onboarding, policy-add/remove, channels, inference set, destroy). Everything that
 * can be refused is refused before the first change: a bad file, a plan problem, a credential
 * variable that is not set.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { ask, assertCanAsk, consentMode } from '../core/consent.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import {
  describeChange,
  missingEnv,
  onboardGateway,
  planFleet,
  type FleetChange,
  type FleetPlan,
} from '../core/fleet/plan.ts';
import {
  credentialSources,
  FLEET_SCHEMA_VERSION,
  FleetFileSchema,
  type FleetFile,
  type FleetSandbox,
} from '../core/fleet/schema.ts';
import { parseCustomPolicyFile, parseYaml, validateParsed } from '../core/policy/parse.ts';
import { customPolicyName } from '../core/policy/presets.ts';
import { registerSecret } from '../core/redact.ts';
import { noteAuditPlan } from './audit.ts';
import type { OpsWorld } from '../world.ts';

export interface ApplyOptions {
  file: string;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  prune?: boolean;
}

export interface ApplyDeps {
  ops: OpsWorld;
  /** Creates or recreates one sandbox non-interactively (the onboarding use case). */
  onboard(ctx: Context, flags: Record<string, unknown>): Promise<number>;
}

async function readFleetFile(ctx: Context, file: string): Promise<FleetFile> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${path}: ${(e as Error).message}`, {
      hint: 'Write one with `nemoclaw config export <name> --out FILE`.',
    });
  }
  const what = 'The configuration file';
  const f = validateParsed(FleetFileSchema, parseYaml(text, path, what), path, what);
  for (const s of f.sandboxes) {
    for (const c of s.customPolicies) {
      const parsed = parseCustomPolicyFile(c.content, `${path}: ${s.name} custom policy ${c.name}`);
      if (customPolicyName(`${c.name}.yaml`, parsed.preset?.name) !== c.name) {
        throw new UsageError(
          `${path}: ${s.name} custom policy ${c.name} declares the name ${parsed.preset?.name}.`,
          { hint: 'Make the two names the same.' },
        );
      }
    }
  }
  return f;
}

export async function applyFile(ctx: Context, deps: ApplyDeps, o: ApplyOptions): Promise<number> {
  const file = await readFleetFile(ctx, o.file);
  const reg = await ctx.registry().read();
  const { expandTier } = await import('../core/policy/presets.ts');
  const tiers = await deps.ops.tiers();
  const plan = planFleet(file, reg.sandboxes, {
    prune: o.prune,
    goneFromGateway: await goneFromGateway(ctx, deps, file, reg.sandboxes),
    tierPresets: (t) => expandTier(tiers, t as 'restricted' | 'balanced' | 'open'),
  });
  if (plan.problems.length > 0) {
    throw new UsageError(`The configuration cannot be applied: ${plan.problems.join(' ')}`);
  }
  const missing = missingEnv(plan, ctx.env);
  if (missing.length > 0 && !o.dryRun) {
    const names = [...new Set(missing.map((m) => m.env))];
    throw new UsageError(
      `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set; the file reads ${missing.map((m) => `${m.sandbox}'s ${m.credential}`).join(', ')} from ${names.length === 1 ? 'it' : 'them'}.`,
      { hint: 'Set them in the environment and run apply again; nothing was changed.' },
    );
  }
  if (
    !o.dryRun &&
    plan.changes.some((c) => c.op === 'sandbox.create' || c.op === 'sandbox.recreate') &&
    !/^(1|true|yes)$/i.test(ctx.env.NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE ?? '')
  ) {
    throw new UsageError('Creating sandboxes needs the third-party software notice accepted.', {
      hint: 'Read it with `nemoclaw onboard`, then set NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1.',
    });
  }
  noteAuditPlan({
    title: `apply ${o.file}`,
    steps: plan.changes.map((c) => ({ kind: c.op, target: c.sandbox, cause: describeChange(c) })),
  });
  if (o.dryRun || plan.changes.length === 0) return render(ctx, plan, o);

  // A destroy (--prune) or a recreate deletes a sandbox: only --yes or NEMOCLAW_YES=1 consent to
  // that, never NEMOCLAW_NON_INTERACTIVE alone. Consent given here covers every change below.
  const destructive = plan.changes.some(
    (c) => c.op === 'sandbox.destroy' || c.op === 'sandbox.recreate',
  );
  const consent = {
    yes: o.yes,
    destructive,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw apply -f ${o.file}`,
  };
  assertCanAsk(
    destructive ? 'apply would destroy or recreate sandboxes' : 'apply changes sandboxes',
    consent,
  );
  if (consentMode(consent) === 'ask') renderText(plan, (s) => ctx.ui.info(s));
  const question = `Apply these ${plan.changes.length} change(s)?`;
  if (!(await ask(question, { ...consent, confirm: (q) => deps.ops.confirm(q) }))) {
    ctx.ui.info('Nothing was changed.');
    return 1;
  }
  const bySandbox = new Map(file.sandboxes.map((s) => [s.name, s]));
  for (const [i, c] of plan.changes.entries()) {
    ctx.ui.info(`[${i + 1}/${plan.changes.length}] ${describeChange(c)}`);
    const code = await execute(ctx, deps, c, bySandbox.get(c.sandbox));
    if (code !== 0) {
      throw new NemoclawError('failed', `apply stopped at: ${describeChange(c)} (exit ${code}).`, {
        exitCode: code,
        hint: `Fix the cause and run apply again: it plans only what is still missing.`,
      });
    }
  }
  if (o.json)
    ctx.ui.json({ schemaVersion: FLEET_SCHEMA_VERSION, changes: plan.changes, applied: true });
  else ctx.ui.out(`✓ Applied ${plan.changes.length} change(s).`);
  return 0;
}

/** Listed sandboxes the registry records but their gateway says it does not have. */
async function goneFromGateway(
  ctx: Context,
  deps: ApplyDeps,
  file: FleetFile,
  registry: Record<string, { gatewayName: string; workspace?: string }>,
): Promise<Set<string>> {
  const gone = new Set<string>();
  for (const s of file.sandboxes) {
    const e = registry[s.name];
    if (!e) continue;
    try {
      const client = await deps.ops.openshell(e.gatewayName, e.workspace);
      if ((await client.sandboxGet(s.name)) === undefined) gone.add(s.name);
    } catch (err) {
      // An unreachable gateway proves nothing: plan from the registry alone.
      ctx.ui.warn(
        `Could not ask gateway ${e.gatewayName} about ${s.name}: ${(err as Error).message}`,
      );
    }
  }
  return gone;
}

function renderText(plan: FleetPlan, write: (s: string) => void): void {
  if (plan.changes.length === 0) {
    write('Nothing to change: the sandboxes match the file.');
    return;
  }
  write(`Plan: ${plan.changes.length} change(s)`);
  plan.changes.forEach((c, i) => write(`  ${i + 1}. ${c.op} ${c.sandbox}: ${describeChange(c)}`));
}

function render(ctx: Context, plan: FleetPlan, o: ApplyOptions): number {
  const missing = missingEnv(plan, ctx.env);
  if (o.json) {
    ctx.ui.json({ schemaVersion: FLEET_SCHEMA_VERSION, changes: plan.changes });
  } else {
    renderText(plan, (s) => ctx.ui.out(s));
  }
  if (missing.length > 0) {
    ctx.ui.warn(
      `Not set (apply would stop here): ${[...new Set(missing.map((m) => m.env))].join(', ')}.`,
    );
  }
  if (o.dryRun && plan.changes.length > 0 && !o.json) ctx.ui.info('Dry run: nothing was changed.');
  return 0;
}

/** The context a change of this sandbox runs in: its credentials under the names nemoclaw reads. */
function contextFor(ctx: Context, s: FleetSandbox | undefined): Context {
  if (!s) return ctx;
  const env = { ...ctx.env };
  for (const [key, from] of Object.entries(credentialSources(s))) {
    const v = ctx.env[from];
    if (v) {
      registerSecret(v);
      env[key] = v;
    }
  }
  // The file says where the sandbox lives: a gateway URL in the environment must not make a
  // local one remote.
  if (!('gatewayUrl' in onboardGateway(s.gateway))) delete env.NEMOCLAW_GATEWAY_URL;
  return { ...ctx, env, nonInteractive: true };
}

function onboardFlags(s: FleetSandbox, recreate: boolean): Record<string, unknown> {
  return {
    nonInteractive: true,
    name: s.name,
    agent: s.agent,
    provider: s.provider,
    model: s.model,
    ...(s.endpointUrl ? { endpointUrl: s.endpointUrl } : {}),
    policyTier: s.tier,
    policyPresets: s.presets.join(','),
    gpu: s.gpu.enabled,
    ...(s.gpu.count ? { gpuCount: String(s.gpu.count) } : {}),
    dashboardPort: String(s.dashboardPort),
    ...onboardGateway(s.gateway),
    blueprint: s.blueprint,
    ...(recreate ? { recreateSandbox: true } : {}),
  };
}

async function execute(
  ctx: Context,
  deps: ApplyDeps,
  c: FleetChange,
  s: FleetSandbox | undefined,
): Promise<number> {
  const sctx = contextFor(ctx, s);
  const policy = async () => {
    const entry = (await ctx.registry().read()).sandboxes[c.sandbox]!;
    return {
      openshell: await deps.ops.openshell(entry.gatewayName, entry.workspace),
      presets: () => deps.ops.presets(),
      baseline: deps.ops.baseline,
      confirm: (m: string) => deps.ops.confirm(m),
      files: () => deps.ops.files(),
    };
  };
  switch (c.op) {
    case 'sandbox.create':
    case 'sandbox.recreate':
      return deps.onboard(sctx, onboardFlags(s!, c.op === 'sandbox.recreate'));
    case 'sandbox.destroy': {
      const { destroySandbox } = await import('./destroy.ts');
      return destroySandbox(ctx, deps.ops, { sandbox: c.sandbox, yes: true });
    }
    case 'preset.add':
    case 'preset.remove': {
      const m = await import('./policy-change.ts');
      return c.op === 'preset.add'
        ? m.policyAdd(ctx, await policy(), { sandbox: c.sandbox, preset: c.preset, yes: true })
        : m.policyRemove(ctx, await policy(), { sandbox: c.sandbox, name: c.preset, yes: true });
    }
    case 'custom-policy.add': {
      const content = s!.customPolicies.find((x) => x.name === c.name)!.content;
      const dir = await mkdtemp(join(tmpdir(), 'nemoclaw-apply-'));
      try {
        const f = join(dir, `${c.name}.yaml`);
        await writeFile(f, content, { mode: 0o600 });
        const { policyAdd } = await import('./policy-change.ts');
        return await policyAdd(ctx, await policy(), { sandbox: c.sandbox, fromFile: f, yes: true });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    case 'custom-policy.remove': {
      const { policyRemove } = await import('./policy-change.ts');
      return policyRemove(ctx, await policy(), { sandbox: c.sandbox, name: c.name, yes: true });
    }
    case 'channel.add':
    case 'channel.remove': {
      const m = await import('./channels.ts');
      const o = { sandbox: c.sandbox, channel: c.channel };
      return c.op === 'channel.add'
        ? m.channelsAdd(sctx, deps.ops, o)
        : m.channelsRemove(ctx, deps.ops, o);
    }
    case 'inference.set': {
      const { inferenceSet } = await import('./settings.ts');
      return inferenceSet(ctx, deps.ops, c);
    }
    case 'registry.set': {
      await ctx.registry().update((r) => {
        const e = r.sandboxes[c.sandbox];
        if (!e) return undefined;
        const updated = {
          ...e,
          policyTier: c.value as typeof e.policyTier,
          updatedAt: ctx.now().toISOString(),
        };
        return { ...r, sandboxes: { ...r.sandboxes, [c.sandbox]: updated } };
      });
      return 0;
    }
  }
}
