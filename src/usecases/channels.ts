/**
 * `<name> channels list|add|remove|start|stop <channel>` — semantics in core/ops/channels.ts.
 * Tokens come from the environment or a hidden prompt and reach OpenShell only through the child's
 * environment (`--credential NAME`), never argv, files or logs.
 */
import type { Context } from '../context.ts';
import { UsageError } from '../core/errors.ts';
import {
  CHANNELS,
  channelState,
  findChannel,
  tokenProblem,
  type ChannelSpec,
} from '../core/ops/channels.ts';
import { tokenFingerprint, tokenHolders } from '../core/ops/token-fingerprint.ts';
import { registerSecret } from '../core/redact.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { policyFilesOf } from './policy-shared.ts';

function channelOf(name: string | undefined, sandbox: string, verb: string): ChannelSpec {
  const c = name ? findChannel(name) : undefined;
  if (!c) {
    throw new UsageError(name ? `Unknown channel "${name}".` : `Name the channel to ${verb}.`, {
      hint: `Channels: ${CHANNELS.map((x) => x.name).join(', ')}. For example: nemoclaw ${sandbox} channels ${verb} telegram`,
    });
  }
  return c;
}

export async function channelsList(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; json?: boolean },
): Promise<number> {
  const entry = await requireEntry(ctx, o.sandbox);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const providers = await client.providerList().then(
    (l) => new Set(l.map((p) => p.name)),
    () => undefined,
  );
  const rows = CHANNELS.map((c) => ({
    name: c.name,
    state: channelState(c, entry),
    provider: c.provider,
    /** null: the gateway could not be asked. */
    providerPresent: providers ? providers.has(c.provider) : null,
    preset: c.preset,
  }));
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, sandbox: o.sandbox, channels: rows });
    return 0;
  }
  for (const r of rows) {
    const prov =
      r.state === 'not-configured'
        ? ''
        : r.state === 'pending-rebuild'
          ? `  (the agent gets it after: nemoclaw ${o.sandbox} rebuild)`
          : r.providerPresent === null
            ? '  (provider: gateway unreachable)'
            : r.providerPresent
              ? `  (provider ${r.provider})`
              : `  (provider ${r.provider} is missing: run channels add ${r.name} again)`;
    ctx.ui.out(`  ${r.state === 'running' ? '●' : '○'} ${r.name.padEnd(9)} ${r.state}${prov}`);
  }
  return 0;
}

async function readTokens(
  ctx: Context,
  deps: OpsWorld,
  c: ChannelSpec,
  sandbox: string,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const cred of c.credentials) {
    let v = ctx.env[cred.env]?.trim();
    if (!v) {
      if (ctx.nonInteractive || !ctx.ui.stdinIsTTY) {
        throw new UsageError(`The ${cred.label} is needed and ${cred.env} is not set.`, {
          hint: `Set it and run again: ${cred.env}=… nemoclaw ${sandbox} channels add ${c.name}`,
        });
      }
      const prompter = await deps.prompter();
      v = (
        await prompter.password(`${cred.label}:`, {
          validate: (x) => {
            const p = tokenProblem(x.trim());
            return p ? `The token ${p}.` : true;
          },
        })
      ).trim();
    }
    const problem = tokenProblem(v);
    if (problem) throw new UsageError(`${cred.env} ${problem}.`);
    registerSecret(v);
    values[cred.env] = v;
  }
  return values;
}

async function policyDeps(deps: OpsWorld, gateway: string, workspace?: string) {
  const client = await deps.openshell(gateway, workspace);
  return {
    openshell: client,
    presets: () => deps.presets(),
    baseline: deps.baseline,
  };
}

export async function channelsAdd(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; channel?: string; rebuild?: boolean },
): Promise<number> {
  const c = channelOf(o.channel, o.sandbox, 'add');
  const entry = await requireEntry(ctx, o.sandbox);
  const tokens = await readTokens(ctx, deps, c, o.sandbox);
  const fingerprint = await refuseSharedToken(ctx, c, o.sandbox, tokens);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const options = {
    name: c.provider,
    type: c.providerType,
    credentialEnv: Object.keys(tokens),
    env: tokens,
  };
  if (await client.providerGet(c.provider)) await client.providerUpdate(options);
  else await client.providerCreate(options);
  ctx.ui.info(`✓ The ${c.label} token is stored in the gateway as provider ${c.provider}.`);
  const { ensurePolicies } = await import('./policy-restore.ts');
  await ensurePolicies(ctx, await policyDeps(deps, entry.gatewayName, entry.workspace), {
    sandbox: o.sandbox,
    presets: [c.preset],
  });
  ctx.ui.info(`✓ Preset ${c.preset} applied.`);
  await recordChannels(ctx, o.sandbox, (chs) => (chs.includes(c.name) ? chs : [...chs, c.name]), {
    [c.name]: fingerprint,
  });
  ctx.ui.out(`${c.label} added to ${o.sandbox}.`);
  return offerRebuild(ctx, deps, o.sandbox, c, o.rebuild);
}

/**
 * The agent names the channel's placeholder only once its image is rebuilt, and the sandbox gets
 * the channel's provider only when it is created again: offer the (journaled) rebuild. `--rebuild`
 * runs it without asking; a terminal is asked; otherwise the command is printed.
 */
async function offerRebuild(
  ctx: Context,
  deps: OpsWorld,
  sandbox: string,
  c: ChannelSpec,
  now: boolean | undefined,
): Promise<number> {
  const entry = await requireEntry(ctx, sandbox);
  if (entry.agentChannels?.includes(c.name)) return 0;
  const cmd = `nemoclaw ${sandbox} rebuild`;
  const ask = !now && !ctx.nonInteractive && ctx.ui.stdinIsTTY;
  const go =
    now ||
    (ask &&
      (await deps.confirm(
        `The agent gets ${c.label} after a rebuild (its state is snapshotted and restored). Rebuild ${sandbox} now?`,
      )));
  if (!go) {
    ctx.ui.out(
      `The agent picks up the token after a rebuild: ${cmd} (snapshots and restores the workspace).`,
    );
    return 0;
  }
  const { rebuild } = await import('./rebuild.ts');
  return rebuild(
    ctx,
    {
      openshell: await deps.openshell(entry.gatewayName, entry.workspace),
      docker: () => deps.docker(),
      blueprints: () => deps.blueprints(),
      confirm: (m) => deps.confirm(m),
      extraLabels: deps.extraLabels,
      faultPause: deps.faultPause,
      ...policyFilesOf(deps),
    },
    { sandbox, yes: true },
  );
}

export async function channelsRemove(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; channel?: string },
): Promise<number> {
  const c = channelOf(o.channel, o.sandbox, 'remove');
  const entry = await requireEntry(ctx, o.sandbox);
  await removePreset(ctx, deps, entry, o.sandbox, c.preset);
  await recordChannels(ctx, o.sandbox, (chs) => chs.filter((x) => x !== c.name), {
    [c.name]: undefined,
  });
  const reg = await ctx.registry().read();
  const others = Object.values(reg.sandboxes).filter(
    (e) => e.gatewayName === entry.gatewayName && e.channels.includes(c.name),
  );
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  if (others.length === 0 && (await client.providerGet(c.provider))) {
    await client.providerDelete(c.provider);
    ctx.ui.info(`✓ Deleted provider ${c.provider} from the gateway.`);
  } else if (others.length > 0) {
    ctx.ui.info(
      `Kept provider ${c.provider}: ${others.map((e) => e.name).join(', ')} still use${others.length === 1 ? 's' : ''} it.`,
    );
  }
  ctx.ui.out(
    `${c.label} removed from ${o.sandbox}. A rebuild drops it from the agent: nemoclaw ${o.sandbox} rebuild`,
  );
  return 0;
}

export async function channelsToggle(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; channel?: string; on: boolean },
): Promise<number> {
  const c = channelOf(o.channel, o.sandbox, o.on ? 'start' : 'stop');
  const entry = await requireEntry(ctx, o.sandbox);
  if (!entry.channels.includes(c.name)) {
    throw new UsageError(`${c.label} is not configured for ${o.sandbox}.`, {
      hint: `Add it first: nemoclaw ${o.sandbox} channels add ${c.name}`,
    });
  }
  if (o.on) {
    const { ensurePolicies } = await import('./policy-restore.ts');
    await ensurePolicies(ctx, await policyDeps(deps, entry.gatewayName, entry.workspace), {
      sandbox: o.sandbox,
      presets: [c.preset],
    });
    ctx.ui.out(`${c.label} started: egress to its API is allowed again.`);
  } else {
    await removePreset(ctx, deps, entry, o.sandbox, c.preset);
    ctx.ui.out(
      `${c.label} stopped: egress to its API is denied; the token stays in the gateway. Start it with: nemoclaw ${o.sandbox} channels start ${c.name}`,
    );
  }
  return 0;
}

async function removePreset(
  ctx: Context,
  deps: OpsWorld,
  at: { gatewayName: string; workspace?: string },
  sandbox: string,
  preset: string,
): Promise<void> {
  const { policyRemove } = await import('./policy-change.ts');
  // The channel command is the user's decision; the policy change needs no second question.
  const code = await policyRemove(ctx, await policyDeps(deps, at.gatewayName, at.workspace), {
    sandbox,
    name: preset,
    yes: true,
  });
  if (code !== 0) throw new UsageError(`The ${preset} preset could not be removed.`);
}

/**
 * One consumer per token: refuses (exit 2, nothing changed) a token that another registered
 * sandbox already holds, and returns this token's fingerprint to record.
 */
async function refuseSharedToken(
  ctx: Context,
  c: ChannelSpec,
  sandbox: string,
  tokens: Record<string, string>,
): Promise<string> {
  const { fingerprintKey } = await import('../adapters/state/fingerprint-key.ts');
  const fingerprint = tokenFingerprint(await fingerprintKey(ctx.paths.home), tokens);
  const reg = await ctx.registry().read();
  const holders = tokenHolders(Object.values(reg.sandboxes), fingerprint, sandbox);
  if (holders.length > 0) {
    const h = holders[0]!;
    throw new UsageError(
      `This ${c.label} token is already used by sandbox ${h.sandbox} (${h.channel}): two sandboxes reading one token disconnect each other and drop messages.`,
      {
        hint: `Create a separate token for ${sandbox}, or take it off ${h.sandbox} first: nemoclaw ${h.sandbox} channels remove ${h.channel}`,
      },
    );
  }
  return fingerprint;
}

async function recordChannels(
  ctx: Context,
  sandbox: string,
  fn: (c: string[]) => string[],
  tokens: Record<string, string | undefined> = {},
) {
  await ctx.registry().update((reg) => {
    const e = reg.sandboxes[sandbox];
    if (!e) return undefined;
    const channels = fn(e.channels);
    const channelTokens: Record<string, string> = { ...e.channelTokens };
    for (const [k, v] of Object.entries(tokens)) {
      if (v === undefined) delete channelTokens[k];
      else channelTokens[k] = v;
    }
    const same =
      channels.join('\0') === e.channels.join('\0') &&
      JSON.stringify(channelTokens) === JSON.stringify(e.channelTokens ?? {});
    if (same) return undefined;
    return {
      ...reg,
      sandboxes: {
        ...reg.sandboxes,
        [sandbox]: { ...e, channels, channelTokens, updatedAt: ctx.now().toISOString() },
      },
    };
  });
}
