/**
 * `<name> recover [--dry-run]`: after a reboot, an Engine restart or a killed container, bring back
 * what the sandbox needs, in order — the gateway container (restarted; recreated on the same volume,
 * which holds the gateway's secrets, only when its layout drifted: usecases/gateway.ts), the
 * sandbox (started when Stopped; one in Error is not started, since OpenShell never revives a failed
 * sandbox: core/ops/recover-phase.ts), the dashboard forward. Each part is observed first, so running it
 * again does nothing.
 */
import type { Context } from '../context.ts';
import { NemoclawError, errorMessage } from '../core/errors.ts';
import { isRemoteEntry, localGatewayPort } from '../core/ops/gateway-of.ts';
import { formatPlan } from '../core/plan.ts';
import { recoverAction } from '../core/ops/recover-phase.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { ensureForward, waitReady } from './sandbox-session.ts';
import { warnUnobserved } from './unobserved.ts';

const CONNECTED = new Set(['connected', 'connected_http']);

export async function recoverSandbox(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; dryRun?: boolean },
): Promise<number> {
  const name = o.sandbox;
  const entry = await requireEntry(ctx, name);
  if (entry.desiredState === 'stopped') {
    // Stopped on purpose (`<name> stop`): a reboot must not start it again (issue 15).
    ctx.ui.out(
      `${name} was stopped on purpose; recover leaves it so. Start it with: nemoclaw ${name} start`,
    );
    return 0;
  }
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const done: string[] = [];

  // 1. The gateway.
  if (isRemoteEntry(entry)) {
    let why = '';
    const st = await client.status().catch((e: unknown) => {
      why = ` (${errorMessage(e)})`;
      return undefined;
    });
    if (!st || !CONNECTED.has(st.status)) {
      throw new NemoclawError(
        'unavailable',
        `The remote OpenShell gateway ${entry.gatewayUrl} does not answer${why || (st ? ` (status: ${st.status})` : '')}; nemoclaw does not run it, so it cannot restart it.`,
        {
          hint: 'Ask whoever runs it, or check it (kubectl get pods -n openshell for a Helm install).',
        },
      );
    }
  } else {
    const { resolveBlueprint, verifyOrThrow } = await deps.blueprints();
    const { ensureGateway } = await import('./gateway.ts');
    const bp = await resolveBlueprint({
      packageRoot: ctx.packageRoot,
      home: ctx.paths.home,
      spec: entry.blueprintVersion,
    });
    await verifyOrThrow(bp);
    const r = await ensureGateway(
      {
        docker: () => deps.docker(),
        files: () => deps.files(),
        http: () => deps.http(),
        engine: await deps.engine(),
        openshell: client,
        env: ctx.env,
        supervisorDir: ctx.paths.supervisorDir,
        onProgress: (l) => ctx.ui.info(`  ${l}`),
        warn: (u) => warnUnobserved(ctx, u),
      },
      {
        blueprint: bp.blueprint,
        port: localGatewayPort(entry, ctx.env),
        dryRun: o.dryRun,
        extraLabels: deps.extraLabels,
      },
    );
    if (o.dryRun) {
      ctx.ui.out(formatPlan({ ...r.plan, title: `recover ${name}: gateway` }));
      if (!r.reused) {
        ctx.ui.out(`Then: start sandbox ${name} if Stopped, and its dashboard forward.`);
        return 0;
      }
    } else if (!r.reused) {
      done.push('gateway brought back');
    }
  }

  // 2. The sandbox.
  const sb = await client.sandboxGet(name);
  if (!sb) {
    throw new NemoclawError(
      'not-found',
      `OpenShell has no sandbox named ${name} any more, so there is nothing to start.`,
      {
        hint: `Recreate it with \`nemoclaw onboard --name ${name}\`, then restore a snapshot (nemoclaw ${name} snapshot restore latest).`,
      },
    );
  }
  const startTimeout = 300_000;
  const action = recoverAction(sb.phase);
  if (action.kind === 'failed' || action.kind === 'unsettled') {
    const { notStartableError } = await import('./recover-failed.ts');
    throw await notStartableError(ctx, deps, name, sb.phase, action.kind === 'failed');
  }
  if (o.dryRun) {
    const plan = {
      title: `recover ${name}: sandbox and forward`,
      steps: [
        ...(action.kind === 'start'
          ? [{ kind: 'openshell.sandbox.start', target: name, cause: `phase is ${sb.phase}` }]
          : []),
        {
          kind: 'openshell.forward.start',
          target: `${name}:${entry.dashboardPort}`,
          cause: 'unless it already runs',
        },
      ],
    };
    ctx.ui.out(formatPlan(plan));
    return 0;
  }
  if (action.kind === 'start') {
    ctx.ui.info(`Starting sandbox ${name} (phase ${sb.phase})…`);
    try {
      await client.sandboxStart(name);
    } catch (e) {
      throw new NemoclawError(
        'failed',
        `Sandbox ${name} could not be started: ${(e as Error).message}`,
        {
          cause: e,
          hint: `See why with \`nemoclaw ${name} logs\`; if it cannot come back, rebuild it: nemoclaw ${name} rebuild`,
        },
      );
    }
    done.push('sandbox started');
  }
  if (sb.phase !== 'Ready') await waitReady(client, deps, name, startTimeout);

  // 3. The dashboard forward.
  if (await ensureForward(ctx, client, entry)) done.push('dashboard forward started');

  ctx.ui.out(
    done.length > 0
      ? `Recovered ${name}: ${done.join('; ')}.`
      : `Nothing to recover: ${name}, its gateway and its forward are up.`,
  );
  return 0;
}

/**
 * `nemoclaw recover`: every registered sandbox in turn, for a boot-time service. One sandbox that
 * cannot be brought back does not stop the others; the exit code says whether all came back.
 */
export async function recoverAll(
  ctx: Context,
  deps: OpsWorld,
  o: { dryRun?: boolean },
): Promise<number> {
  const names = Object.keys((await ctx.registry().read()).sandboxes).sort();
  if (names.length === 0) {
    ctx.ui.info('No sandboxes are registered; nothing to recover.');
    return 0;
  }
  const failed: string[] = [];
  for (const name of names) {
    ctx.ui.info(`== ${name}`);
    try {
      const code = await recoverSandbox(ctx, deps, { sandbox: name, dryRun: o.dryRun });
      if (code !== 0) failed.push(name);
    } catch (e) {
      failed.push(name);
      ctx.ui.error(`  ${name}: ${(e as Error).message}`);
      if (e instanceof NemoclawError && e.hint) ctx.ui.error(`  ${e.hint}`);
    }
  }
  if (failed.length > 0) {
    ctx.ui.error(`Could not recover: ${failed.join(', ')}. See: nemoclaw <name> status`);
    return 1;
  }
  return 0;
}
