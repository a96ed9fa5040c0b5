/** Global: `status`, `use <name>`, `inference get|set`, `credentials list|add|reset`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

interface SetFlags {
  provider: string;
  model: string;
  sandbox?: string;
  endpointUrl?: string;
  verify?: boolean;
  rebuild?: boolean;
}

export function registerSettings(program: Command, env: CommandEnv): void {
  program
    .command('recover')
    .description('bring back the gateway, every registered sandbox and its forward (e.g. at boot)')
    .option('--dry-run', 'print what would be done; change nothing')
    .action(
      action(env, async (o: { dryRun?: boolean }) => {
        const ctx = env.ctx();
        const { recoverAll } = await import('../usecases/recover.ts');
        return recoverAll(ctx, env.world(), o);
      }),
    );
  program
    .command('status')
    .description('gateway health and each sandbox’s phase (exit 1 if a gateway is down)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const ctx = env.ctx();
        const { globalStatus } = await import('../usecases/status-global.ts');
        return globalStatus(ctx, env.world(), o);
      }),
    );
  program
    .command('use')
    .description('set the default sandbox')
    .argument('<name>', 'a registered sandbox')
    .action(
      action(env, async (name: string) =>
        (await import('../usecases/settings.ts')).useSandbox(env.ctx(), { name }),
      ),
    );
  const inference = program
    .command('inference')
    .description(
      'the inference route (one per sandbox workspace; older sandboxes share the gateway’s)',
    );
  inference
    .command('get')
    .description('print the route')
    .option('--json', 'print JSON')
    .option('--sandbox <name>', 'the route of this sandbox (default: the default sandbox’s)')
    .action(
      action(env, async (o: { json?: boolean; sandbox?: string }) => {
        const ctx = env.ctx();
        const { inferenceGet } = await import('../usecases/settings.ts');
        return inferenceGet(ctx, env.world(), o);
      }),
    );
  inference
    .command('set')
    .description(
      'point a sandbox’s route at a provider/model, registering the provider if needed (affects only the sandboxes in its workspace)',
    )
    .requiredOption('--provider <provider>', 'a provider key (build, openai, …) or OpenShell name')
    .requiredOption('--model <model>', 'the model id')
    .option('--sandbox <name>', 'the route of this sandbox (default: the default sandbox’s)')
    .option('--endpoint-url <url>', 'the base URL (compatible endpoints)')
    .option('--no-verify', 'skip the validation request')
    .option('--rebuild', 'rebuild the affected sandboxes so their agent config names the model')
    .action(
      action(env, async (o: SetFlags) => {
        const ctx = env.ctx();
        const { inferenceSet } = await import('../usecases/settings.ts');
        return inferenceSet(ctx, env.world(), o);
      }),
    );
  const credentials = program
    .command('credentials')
    .description('provider credentials in the gateway (names only, never values)');
  credentials
    .command('list')
    .description('providers and their credential key names')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const ctx = env.ctx();
        const { credentialsList } = await import('../usecases/settings.ts');
        return credentialsList(ctx, env.world(), o);
      }),
    );
  credentials
    .command('add')
    .description(
      'register a provider in the gateway without onboarding (key from its env variable)',
    )
    .argument('<provider>', 'a provider key (build, openai, anthropic, gemini, custom, …)')
    .option('--model <model>', 'the model the validation request asks (default: the provider’s)')
    .option('--endpoint-url <url>', 'the base URL (compatible endpoints)')
    .option('--no-verify', 'skip the validation request')
    .action(
      action(
        env,
        async (provider: string, o: { model?: string; endpointUrl?: string; verify?: boolean }) => {
          const ctx = env.ctx();
          const { credentialsAdd } = await import('../usecases/inference-switch.ts');
          return credentialsAdd(ctx, env.world(), { provider, ...o });
        },
      ),
    );
  credentials
    .command('reset')
    .description('replace a provider’s stored key (from its env variable or a hidden prompt)')
    .argument('<provider>', 'a provider key (build, openai, …) or OpenShell name')
    .action(
      action(env, async (provider: string) => {
        const ctx = env.ctx();
        const { credentialsReset } = await import('../usecases/settings.ts');
        return credentialsReset(ctx, env.world(), { provider });
      }),
    );
}
