/**
 * `credentials list|reset`: providers live in every (gateway, workspace) the registered sandboxes
 * use (core/credentials/scopes.ts), so both act on all of them unless `--sandbox` names one.
 * Credentials are shown by key name only; a new value is read once and reaches OpenShell only
 * through the environment of each `provider update` child.
 */
import type { Context } from '../context.ts';
import {
  clientWorkspace,
  credentialScopes,
  describeScope,
  planReset,
  type CredentialScope,
  type ObservedProvider,
} from '../core/credentials/scopes.ts';
import { NemoclawError, UsageError, errorMessage } from '../core/errors.ts';
import { didYouMean } from '../core/names.ts';
import { PROVIDERS, findProvider } from '../core/providers.ts';
import { registerSecret } from '../core/redact.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { scopeFor } from './inference-switch.ts';

/** The scopes the command acts on: the named sandbox's, else every one the registry uses. */
async function scopesOf(ctx: Context, sandbox?: string): Promise<CredentialScope[]> {
  if (sandbox !== undefined) await requireEntry(ctx, sandbox);
  const reg = await ctx.registry().read();
  return credentialScopes(Object.values(reg.sandboxes), sandbox);
}

const clientFor = (deps: OpsWorld, s: CredentialScope) =>
  deps.openshell(s.gateway, clientWorkspace(s));

export async function credentialsList(
  ctx: Context,
  deps: OpsWorld,
  o: { json?: boolean; sandbox?: string },
): Promise<number> {
  const scopes = await scopesOf(ctx, o.sandbox);
  const seen = await Promise.all(
    scopes.map(async (scope) => {
      try {
        return { scope, providers: await (await clientFor(deps, scope)).providerList() };
      } catch (e) {
        return { scope, providers: [], error: errorMessage(e) };
      }
    }),
  );
  const failed = seen.filter((s) => s.error !== undefined);
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      gateway: (await scopeFor(ctx, o.sandbox)).gateway,
      providers: seen.flatMap((s) =>
        s.providers.map((p) => ({
          name: p.name,
          type: p.type,
          credentialKeys: p.credential_keys,
          configKeys: p.config_keys,
          gateway: s.scope.gateway,
          workspace: s.scope.workspace,
          sandboxes: s.scope.sandboxes,
        })),
      ),
      scopes: seen.map((s) => ({
        gateway: s.scope.gateway,
        workspace: s.scope.workspace,
        sandboxes: s.scope.sandboxes,
        ...(s.error !== undefined ? { error: s.error } : {}),
      })),
    });
    return failed.length > 0 ? 1 : 0;
  }
  for (const s of seen) {
    const where = describeScope(s.scope);
    if (s.error !== undefined) {
      ctx.ui.error(`Could not read the providers of ${where}: ${s.error}`);
      continue;
    }
    if (s.providers.length === 0) {
      ctx.ui.out(`${capital(where)} holds no providers. Run \`nemoclaw onboard\` to add one.`);
      continue;
    }
    ctx.ui.out(`Providers in ${where} (key names only; values stay in the gateway):`);
    for (const p of s.providers) {
      ctx.ui.out(
        `  ${p.name.padEnd(28)} ${p.type.padEnd(10)} ${p.credential_keys.join(', ') || '-'}`,
      );
    }
  }
  return failed.length > 0 ? 1 : 0;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Registry provider key (build) ↔ OpenShell provider name (nvidia-prod). */
function openshellProviderName(p: string): string {
  return findProvider(p)?.openshellName ?? p;
}

/** Each key's new value: from the user's env variable, else a hidden prompt; asked once. */
async function newValues(
  ctx: Context,
  deps: OpsWorld,
  o: { provider: string; name: string; keys: string[] },
): Promise<Record<string, string>> {
  const spec = PROVIDERS.find((p) => p.openshellName === o.name);
  const env: Record<string, string> = {};
  for (const key of o.keys) {
    // The user supplies Gemini's key as GEMINI_API_KEY although OpenShell stores OPENAI_API_KEY.
    const userEnv = spec?.credentialKey === key && spec.userEnv ? spec.userEnv : key;
    let v = ctx.env[userEnv]?.trim();
    if (!v) {
      if (ctx.nonInteractive || !ctx.ui.stdinIsTTY) {
        throw new UsageError(`The new value for ${key} is needed and ${userEnv} is not set.`, {
          hint: `Set it and run again: ${userEnv}=… nemoclaw credentials reset ${o.provider}`,
        });
      }
      v = (await (await deps.prompter()).password(`New value for ${key} (${o.name}):`)).trim();
    }
    if (!v) throw new UsageError(`The new value for ${key} is empty.`);
    registerSecret(v);
    env[key] = v;
  }
  return env;
}

/**
 * `credentials reset <provider> [--sandbox NAME]`: replaces the stored credential in place
 * (`provider update`) in every scope that holds the provider. In place, because deleting the
 * provider would break every sandbox created with it until each is re-onboarded. A scope that
 * fails keeps its old value; the others still get the new one, and the command exits 1.
 */
export async function credentialsReset(
  ctx: Context,
  deps: OpsWorld,
  o: { provider: string; sandbox?: string },
): Promise<number> {
  const name = openshellProviderName(o.provider);
  const scopes = await scopesOf(ctx, o.sandbox);
  const observed: ObservedProvider[] = await Promise.all(
    scopes.map(async (scope): Promise<ObservedProvider> => {
      try {
        const p = await (await clientFor(deps, scope)).providerGet(name);
        return { scope, provider: p && { type: p.type, credentialKeys: p.credential_keys } };
      } catch (e) {
        return { scope, error: errorMessage(e) };
      }
    }),
  );
  const spec = PROVIDERS.find((p) => p.openshellName === name);
  const plan = planReset(observed, spec?.credentialKey);
  if (plan.kind === 'not-found') {
    const known = new Set<string>();
    for (const s of scopes) {
      try {
        for (const p of await (await clientFor(deps, s)).providerList()) known.add(p.name);
      } catch {
        // An unreadable scope offers no names; its error was not the question here.
      }
    }
    const guess = didYouMean(name, [...known]);
    const where = scopes.length === 1 ? describeScope(scopes[0]!) : 'any workspace in use';
    throw new NemoclawError('not-found', `No provider ${name} in ${where}.`, {
      hint: guess ? `Did you mean ${guess}?` : `Providers: ${[...known].join(', ') || 'none'}`,
    });
  }
  if (plan.kind === 'no-credential') {
    throw new NemoclawError('failed', `Provider ${name} stores no credential to reset.`);
  }
  const env = plan.keys.length ? await newValues(ctx, deps, { ...o, name, keys: plan.keys }) : {};
  let failures = plan.unreadable.length;
  let replaced = 0;
  for (const u of plan.unreadable) {
    ctx.ui.error(`✗ ${name}: not replaced in ${describeScope(u.scope)}: ${u.error}`);
  }
  for (const t of plan.targets) {
    const mine = Object.fromEntries(t.keys.map((k) => [k, env[k]!]));
    try {
      await (
        await clientFor(deps, t.scope)
      ).providerUpdate({ name, type: t.type, credentialEnv: t.keys, env: mine });
      ctx.ui.out(`✓ ${name}: replaced in ${describeScope(t.scope)}`);
      replaced++;
    } catch (e) {
      failures++;
      ctx.ui.error(`✗ ${name}: not replaced in ${describeScope(t.scope)}: ${errorMessage(e)}`);
    }
  }
  if (failures > 0) {
    ctx.ui.error(
      `${failures} ${failures === 1 ? 'workspace keeps' : 'workspaces keep'} the old value; run \`nemoclaw credentials reset ${o.provider}\` again once the cause is fixed.`,
    );
    return 1;
  }
  ctx.ui.out(
    `Updated ${plan.keys.join(', ')} of provider ${name} in ${replaced} ${replaced === 1 ? 'workspace' : 'workspaces'}. Sandboxes use the new value on their next request.`,
  );
  return 0;
}
