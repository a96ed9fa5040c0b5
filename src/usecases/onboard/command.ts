/** Wires the real adapters into onboarding. */
import type { Context } from '../../context.ts';
import type { OnboardOptions } from './run.ts';
import { GATEWAY_NAME, type OnboardDeps } from './types.ts';

export async function onboardCommand(ctx: Context, o: OnboardOptions): Promise<number> {
  const { openshellClient } = await import('../../adapters/openshell/factory.ts');
  const { connectEngine } = await import('../../adapters/docker/engine.ts');
  const interactive = !o.nonInteractive && !ctx.nonInteractive;
  let engine: ReturnType<typeof connectEngine> | undefined;
  const openshell = await openshellClient(ctx, GATEWAY_NAME);
  const deps: OnboardDeps = {
    openshell,
    engine: () => (engine ??= connectEngine(ctx.env)),
    prompter: interactive
      ? (await import('../../adapters/terminal/prompt.ts')).inquirerPrompter()
      : undefined,
    // A spinner only where someone watches; CI logs and pipes get plain [n/8] lines.
    progressStream: interactive && !ctx.env.CI ? process.stderr : undefined,
    extraLabels: ctx.env.NEMOCLAW_TEST_RUN_ID
      ? { 'nemoclaw.test': ctx.env.NEMOCLAW_TEST_RUN_ID }
      : undefined,
  };
  const { onboard } = await import('./run.ts');
  return onboard(ctx, deps, o);
}
