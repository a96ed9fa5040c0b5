/**
 * What `recover` may do with a sandbox in a given OpenShell phase. It follows v0.0.111
 * `crates/openshell-server/src/compute/mod.rs` `start_sandbox`: Ready is a no-op, Stopped and
 * Starting are started, every other phase is refused ("sandbox must be Stopped to start"). Error
 * is terminal there (`apply_driver_snapshot`: "Error is terminal until an explicit future lifecycle
 * operation changes desired state"; `sandbox_phase_should_be_running` leaves it alone at gateway
 * start), so a sandbox whose main process exited can only be deleted and made again.
 */
export type RecoverAction =
  /** Nothing to start. */
  | { kind: 'none' }
  /** `openshell sandbox start`, then wait for Ready. */
  | { kind: 'start' }
  /** It is coming up on its own: wait for Ready. */
  | { kind: 'wait' }
  /** Failed for good: OpenShell will not start it; it must be recreated. */
  | { kind: 'failed' }
  /** In a transition OpenShell does not start from (Stopping, Deleting, Unknown…): try again later. */
  | { kind: 'unsettled' };

export function recoverAction(phase: string): RecoverAction {
  switch (phase) {
    case 'Ready':
      return { kind: 'none' };
    case 'Stopped':
    case 'Starting':
      return { kind: 'start' };
    case 'Provisioning':
      return { kind: 'wait' };
    case 'Error':
      return { kind: 'failed' };
    default:
      return { kind: 'unsettled' };
  }
}

/** The commands that make a failed sandbox again without losing its last snapshot. */
export function recreateSteps(name: string, snapshotId: string | undefined): string[] {
  return [
    `nemoclaw ${name} destroy --yes   (its snapshots are kept)`,
    `nemoclaw onboard --name ${name}   (with the options it was made with)`,
    snapshotId
      ? `nemoclaw ${name} snapshot restore ${snapshotId}`
      : `(no snapshot of ${name} exists, so its agent state since onboarding cannot be restored)`,
  ];
}
