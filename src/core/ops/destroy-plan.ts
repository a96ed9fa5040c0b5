/**
 * `<name> destroy` as a plan (house style 4): what is removed and why. The gateway container and
 * its volume are never in it — they serve every other sandbox (user-pain-points 24) — and neither
 * are snapshots.
 */
import { NemoclawError } from '../errors.ts';
import type { Plan, PlanStep } from '../plan.ts';
import type { SandboxEntry } from '../registry/schema.ts';

export type DestroyStepKind =
  | 'openshell.forward.stop'
  | 'openshell.sandbox.delete'
  | 'docker.container.remove'
  | 'docker.image.remove'
  | 'registry.entry.remove';

export type DestroyStep = PlanStep<DestroyStepKind>;

export interface DestroyObservation {
  entry: SandboxEntry;
  /** false: the gateway did not report Connected. */
  gatewayUp: boolean;
  /** undefined when it could not be asked (gateway down). */
  sandboxExists: boolean | undefined;
  /** Other registered sandboxes built from the same image. */
  imageSharedWith: string[];
  force: boolean;
}

export function planDestroy(o: DestroyObservation): Plan<DestroyStep> {
  const { entry } = o;
  const name = entry.name;
  if (!o.gatewayUp && !o.force) {
    throw new NemoclawError(
      'unavailable',
      `The OpenShell gateway ${entry.gatewayName} does not answer, so sandbox ${name} cannot be deleted through it.`,
      {
        hint: `Bring it back with \`nemoclaw ${name} recover\`, or remove what is left anyway with \`nemoclaw ${name} destroy --force\`.`,
      },
    );
  }
  if (o.gatewayUp && o.sandboxExists === false && !o.force) {
    throw new NemoclawError(
      'not-found',
      `OpenShell has no sandbox named ${name}; only its registry entry is left.`,
      { hint: `Remove the entry with: nemoclaw ${name} destroy --force` },
    );
  }
  const steps: DestroyStep[] = [
    {
      kind: 'openshell.forward.stop',
      target: `${name}:${entry.dashboardPort}`,
      cause: 'the dashboard forward points at this sandbox',
      bestEffort: true,
      bestEffortReason: 'a forward is a local process; the sandbox goes either way',
    },
  ];
  if (o.gatewayUp && o.sandboxExists !== false) {
    steps.push({ kind: 'openshell.sandbox.delete', target: name, cause: 'the sandbox itself' });
  } else {
    steps.push({
      kind: 'docker.container.remove',
      target: `label openshell.ai/sandbox-name=${name}`,
      cause: o.gatewayUp
        ? 'OpenShell no longer knows the sandbox: remove any container left behind'
        : '--force with the gateway down: remove the container directly',
      ...(o.force
        ? {
            bestEffort: true as const,
            bestEffortReason: '--force removes what is left even when a part of it cannot be',
          }
        : {}),
    });
  }
  if (o.imageSharedWith.length === 0) {
    steps.push({
      kind: 'docker.image.remove',
      target: entry.image,
      cause: 'no other registered sandbox uses this image (kept if a container still does)',
      bestEffort: true,
      bestEffortReason: 'the image is only disk space; `nemoclaw gc` can remove it later',
    });
  }
  steps.push({
    kind: 'registry.entry.remove',
    target: name,
    cause: 'forget the sandbox; snapshots are kept',
  });
  return { title: `destroy ${name}`, steps };
}
