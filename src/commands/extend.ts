/** `nemoclaw <name> channels … | skill install <dir> | inference get|set`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export const EXTEND_VERBS = [
  {
    usage: 'channels list|add|remove|start|stop',
    summary: 'telegram, discord, slack: token in the gateway, preset applied',
  },
  { usage: 'skill install <dir>', summary: 'upload a skill folder (SKILL.md with a name)' },
  { usage: 'inference get|set', summary: 'the inference route this sandbox uses' },
];

export function registerExtend(program: Command, env: CommandEnv): void {
  const sandbox = () => env.sandboxName!;
  const channels = program
    .command('channels')
    .description('messaging channels: telegram, discord, slack');
  channels
    .command('list')
    .description('each channel: running, stopped, pending a rebuild, or not configured')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const ctx = env.ctx();
        const { channelsList } = await import('../usecases/channels.ts');
        return channelsList(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
  channels
    .command('add')
    .description('store the token (env or prompt) as a gateway provider and apply the preset')
    .argument('<channel>', 'telegram, discord or slack')
    .option('--rebuild', 'rebuild the sandbox now so the agent gets the channel (no question)')
    .action(
      action(env, async (channel: string, o: { rebuild?: boolean }) => {
        const ctx = env.ctx();
        const { channelsAdd } = await import('../usecases/channels.ts');
        return channelsAdd(ctx, env.world(), { sandbox: sandbox(), channel, ...o });
      }),
    );
  channels
    .command('remove')
    .description('remove the preset and the record (and the provider if no other sandbox uses it)')
    .argument('<channel>', 'telegram, discord or slack')
    .action(
      action(env, async (channel: string) => {
        const ctx = env.ctx();
        const { channelsRemove } = await import('../usecases/channels.ts');
        return channelsRemove(ctx, env.world(), { sandbox: sandbox(), channel });
      }),
    );
  for (const [verb, on] of [
    ['start', true],
    ['stop', false],
  ] as const) {
    channels
      .command(verb)
      .description(
        on
          ? 'allow egress to the channel’s API again (re-apply its preset)'
          : 'deny egress to the channel’s API (remove its preset); the token is kept',
      )
      .argument('<channel>', 'telegram, discord or slack')
      .action(
        action(env, async (channel: string) => {
          const ctx = env.ctx();
          const { channelsToggle } = await import('../usecases/channels.ts');
          return channelsToggle(ctx, env.world(), { sandbox: sandbox(), channel, on });
        }),
      );
  }
  program
    .command('skill')
    .description('agent skills')
    .command('install')
    .description('validate a skill folder and upload it into the agent’s skills folder')
    .argument('<dir>', 'a folder with SKILL.md (front matter with a name)')
    .action(
      action(env, async (dir: string) => {
        const ctx = env.ctx();
        const { skillInstall } = await import('../usecases/skill.ts');
        return skillInstall(ctx, env.world(), { sandbox: sandbox(), dir });
      }),
    );
  const inference = program
    .command('inference')
    .description('the inference route of this sandbox’s gateway');
  inference
    .command('get')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const ctx = env.ctx();
        const { inferenceGet } = await import('../usecases/settings.ts');
        return inferenceGet(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
  inference
    .command('set')
    .requiredOption('--provider <provider>', 'a provider key (build, openai, …) or OpenShell name')
    .requiredOption('--model <model>', 'the model id')
    .option('--endpoint-url <url>', 'the base URL (compatible endpoints)')
    .option('--no-verify', 'skip the validation request')
    .option('--rebuild', 'rebuild the affected sandboxes so their agent config names the model')
    .action(
      action(
        env,
        async (o: {
          provider: string;
          model: string;
          endpointUrl?: string;
          verify?: boolean;
          rebuild?: boolean;
        }) => {
          const ctx = env.ctx();
          const { inferenceSet } = await import('../usecases/settings.ts');
          return inferenceSet(ctx, env.world(), { sandbox: sandbox(), ...o });
        },
      ),
    );
}
