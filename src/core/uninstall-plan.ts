/**
 * What `nemoclaw uninstall` removes and what it keeps (product.md §4; user-pain-points 25). Pure:
 * the use case observes once, this decides, the executor walks the steps without deciding.
 *
 * Kept unless asked: snapshots and the gateway's state volume (it holds provider credentials and
 * the gateway database) need `--destroy-user-data`; model volumes need `--delete-models`; the
 * OpenShell binary and images stay with `--keep-openshell`.
 */
import { isNemoclawContainer, isNemoclawImage, type GcContainer, type GcImage } from './gc.ts';
import { GATEWAY_ROLE_LABEL } from './gateway-plan.ts';
import type { Plan, PlanStep } from './plan.ts';

export interface UninstallOptions {
  keepOpenshell: boolean;
  deleteModels: boolean;
  destroyUserData: boolean;
}

export interface UninstallObservation {
  home: string;
  /** Top-level names inside NEMOCLAW_HOME (empty when it does not exist). */
  homeEntries: string[];
  snapshotsDirName: string;
  /** Registered sandboxes with their dashboard port and, for a remote gateway, its URL. */
  sandboxes: { name: string; dashboardPort: number; gatewayUrl?: string }[];
  /** Sandboxes OpenShell lists on nemoclaw's gateway; undefined when it did not answer. */
  openshellSandboxes?: string[];
  /** Containers OpenShell made for sandboxes, by sandbox name. */
  sandboxContainers: { id: string; name: string; sandbox: string }[];
  gatewayRegistered: boolean;
  gatewayName: string;
  gatewayContainer?: { id: string; name: string };
  gatewayVolume?: string;
  containers: GcContainer[];
  images: GcImage[];
  /** The gateway and supervisor images the blueprint names, where the Engine has them. */
  openshellImages: string[];
  /** Volumes nemoclaw labelled, other than the gateway's. */
  modelVolumes: string[];
  /** From install.sh's receipt: the OpenShell binary it installed. */
  openshellBinary?: string;
  /** How nemoclaw itself was installed, for the closing hint. */
  nemoclawPrefix?: string;
}

export type UninstallStepKind =
  | 'openshell.forward.stop'
  | 'openshell.sandbox.delete'
  | 'openshell.gateway.remove'
  | 'docker.container.remove'
  | 'docker.volume.remove'
  | 'docker.image.remove'
  | 'file.remove';

export interface UninstallStep extends PlanStep<UninstallStepKind> {
  /** Engine id, sandbox name, port or path the executor acts on. */
  ref: string;
  port?: number;
  refs?: string[];
}

export interface UninstallPlan extends Plan<UninstallStep> {
  kept: { target: string; reason: string }[];
  /** What the user still has to do by hand. */
  next: string[];
}

export function planUninstall(obs: UninstallObservation, o: UninstallOptions): UninstallPlan {
  const steps: UninstallStep[] = [];
  const kept: UninstallPlan['kept'] = [];
  const add = (s: UninstallStep) => steps.push(s);

  const names = new Set([...obs.sandboxes.map((s) => s.name), ...(obs.openshellSandboxes ?? [])]);
  for (const s of obs.sandboxes) {
    add({
      kind: 'openshell.forward.stop',
      target: `${s.name}:${s.dashboardPort}`,
      ref: s.name,
      port: s.dashboardPort,
      cause: 'the dashboard forward of a sandbox being removed',
      bestEffort: true,
      bestEffortReason: 'a forward is a local process that ends with its sandbox',
    });
  }
  for (const n of [...names].sort()) {
    add({
      kind: 'openshell.sandbox.delete',
      target: n,
      ref: n,
      cause: obs.sandboxes.some((s) => s.name === n)
        ? 'a registered sandbox'
        : "a sandbox on nemoclaw's gateway",
      // With the gateway down, the container removal below still takes the sandbox away.
      bestEffort: true,
      bestEffortReason: 'the container removal takes the sandbox away if OpenShell cannot',
    });
  }
  for (const c of obs.sandboxContainers) {
    if (!names.has(c.sandbox)) continue;
    add({
      kind: 'docker.container.remove',
      target: c.name,
      ref: c.id,
      cause: `the container of the sandbox ${c.sandbox}, if OpenShell left it`,
      bestEffort: true,
      bestEffortReason: 'OpenShell usually removed it with the sandbox',
    });
  }
  if (obs.gatewayRegistered) {
    add({
      kind: 'openshell.gateway.remove',
      target: obs.gatewayName,
      ref: obs.gatewayName,
      cause: "nemoclaw's gateway registration in OpenShell",
      bestEffort: true,
      bestEffortReason: 'a registration left behind points at nothing and holds no secret',
    });
  }
  for (const s of obs.sandboxes.filter((x) => x.gatewayUrl)) {
    kept.push({
      target: s.gatewayUrl!,
      reason: `the remote gateway of ${s.name}: someone else runs it`,
    });
  }
  if (obs.gatewayContainer) {
    add({
      kind: 'docker.container.remove',
      target: obs.gatewayContainer.name,
      ref: obs.gatewayContainer.id,
      cause: 'the OpenShell gateway container',
    });
  }
  if (obs.gatewayVolume) {
    if (o.destroyUserData) {
      add({
        kind: 'docker.volume.remove',
        target: obs.gatewayVolume,
        ref: obs.gatewayVolume,
        cause: 'the gateway state volume (credentials, gateway database): --destroy-user-data',
      });
    } else {
      kept.push({
        target: `volume ${obs.gatewayVolume}`,
        reason: 'the gateway state (provider credentials); remove with --destroy-user-data',
      });
    }
  }
  for (const c of obs.containers) {
    if (!isNemoclawContainer(c) || c.name === obs.gatewayContainer?.name) continue;
    if (c.labels[GATEWAY_ROLE_LABEL] === 'openshell-gateway') continue;
    add({
      kind: 'docker.container.remove',
      target: c.name,
      ref: c.id,
      cause: `made by nemoclaw (${c.labels[GATEWAY_ROLE_LABEL] ?? 'no role'})`,
    });
  }
  for (const v of obs.modelVolumes) {
    if (o.deleteModels)
      add({
        kind: 'docker.volume.remove',
        target: v,
        ref: v,
        cause: 'model files: --delete-models',
      });
    else
      kept.push({
        target: `volume ${v}`,
        reason: 'downloaded models; remove with --delete-models',
      });
  }
  for (const i of obs.images) {
    if (!isNemoclawImage(i)) continue;
    add({
      kind: 'docker.image.remove',
      target: i.tags[0] ?? i.id.slice(7, 19),
      ref: i.id,
      refs: i.tags.length > 0 ? i.tags : [i.id],
      cause: 'a sandbox image nemoclaw built',
    });
  }
  // nemoclaw pulls the gateway and supervisor images but does not make them: they may be the
  // user's own (loaded or built by hand), so uninstall keeps them and says how to remove them.
  for (const ref of obs.openshellImages)
    kept.push({
      target: `image ${ref}`,
      reason: o.keepOpenshell
        ? '--keep-openshell'
        : `not made by nemoclaw; remove it yourself if unused: docker image rm ${ref}`,
    });
  if (obs.openshellBinary) {
    if (o.keepOpenshell) kept.push({ target: obs.openshellBinary, reason: '--keep-openshell' });
    else
      add({
        kind: 'file.remove',
        target: obs.openshellBinary,
        ref: obs.openshellBinary,
        cause: 'the OpenShell CLI install.sh installed',
      });
  }

  // State last: until here a failed run can be repeated with everything it needs still on disk.
  const snapshots = obs.homeEntries.includes(obs.snapshotsDirName);
  if (o.destroyUserData) {
    if (obs.homeEntries.length > 0)
      add({
        kind: 'file.remove',
        target: obs.home,
        ref: obs.home,
        cause: 'all nemoclaw state, snapshots included: --destroy-user-data',
      });
  } else {
    for (const e of [...obs.homeEntries].sort()) {
      if (e === obs.snapshotsDirName) continue;
      const path = `${obs.home.replace(/\/+$/, '')}/${e}`;
      add({ kind: 'file.remove', target: path, ref: path, cause: 'nemoclaw state' });
    }
    if (snapshots)
      kept.push({
        target: `${obs.home.replace(/\/+$/, '')}/${obs.snapshotsDirName}`,
        reason: 'your snapshots; remove with --destroy-user-data',
      });
  }

  const next: string[] = [];
  if (!obs.openshellBinary && !o.keepOpenshell)
    next.push('OpenShell was not installed by install.sh, so its CLI was left in place.');
  next.push(
    obs.nemoclawPrefix
      ? `Remove the CLI itself: npm uninstall -g --prefix ${obs.nemoclawPrefix} nemoclaw`
      : 'Remove the CLI itself: npm uninstall -g nemoclaw',
  );
  return { title: 'uninstall', steps, kept, next };
}
