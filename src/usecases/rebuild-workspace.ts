/**
 * A rebuild moves a sandbox still in OpenShell's shared `default` workspace into one of its own
 * (core/workspace.ts), since the sandbox is recreated anyway. The move is decided when the rebuild
 * starts and journaled (`journal.workspace`); the old sandbox is deleted where it was, and from the
 * create step on everything happens in the new workspace, which first gets the provider (its key
 * from the environment: OpenShell never gives a stored key back) and the same route.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { findProvider, LOCAL_PLACEHOLDER_KEY } from '../core/providers.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { workspaceNameFor } from '../core/workspace.ts';
import type { World } from '../world.ts';
import { entryProviders } from './rebuild-steps.ts';

/** The workspace to move into, or undefined (with the reason said) when it stays where it is. */
export function planMove(ctx: Context, entry: SandboxEntry): string | undefined {
  if (entry.workspace) return undefined;
  const spec = findProvider(entry.provider);
  const stay = (why: string) => {
    ctx.ui.info(`${entry.name} stays in the shared default workspace: ${why}`);
    return undefined;
  };
  if (!spec) return stay(`its provider ${entry.provider} is not one nemoclaw can register.`);
  const extra = entryProviders(entry).filter((p) => p !== spec.openshellName);
  if (extra.length > 0) {
    return stay(
      `its providers ${extra.join(', ')} cannot be copied (OpenShell never returns a key).`,
    );
  }
  if (spec.userEnv && !ctx.env[spec.userEnv]?.trim()) {
    return stay(`set ${spec.userEnv} to move it into a workspace (and route) of its own.`);
  }
  return workspaceNameFor(entry.name);
}

/** Makes the workspace, its provider and its route (each idempotent); returns its client. */
export async function prepareWorkspace(
  ctx: Context,
  world: Pick<World, 'openshell'>,
  entry: SandboxEntry,
  workspace: string,
  base: OpenshellClient,
): Promise<OpenshellClient> {
  await base.workspaceCreate(workspace);
  const os = await world.openshell(entry.gatewayName, workspace);
  const spec = findProvider(entry.provider)!;
  if (!(await os.providerGet(spec.openshellName))) {
    const key = spec.credentialKey ?? 'OPENAI_API_KEY';
    const baseUrl = entry.endpointUrl ?? spec.baseUrl;
    await os.providerCreate({
      name: spec.openshellName,
      type: spec.openshellType,
      credentialEnv: [key],
      env: { [key]: (spec.userEnv && ctx.env[spec.userEnv]?.trim()) || LOCAL_PLACEHOLDER_KEY },
      config: spec.baseUrlConfigKey && baseUrl ? { [spec.baseUrlConfigKey]: baseUrl } : undefined,
    });
  }
  await os.inferenceSet({ provider: spec.openshellName, model: entry.model, noVerify: true });
  return os;
}
