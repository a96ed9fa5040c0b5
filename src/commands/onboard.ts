import { Option, type Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerOnboard(program: Command, env: CommandEnv): void {
  program
    .command('onboard')
    .description(
      'onboard an agent into an OpenShell sandbox (interactive, or --non-interactive for CI)',
    )
    .option(
      '--non-interactive',
      'take every answer from flags and environment (also NEMOCLAW_NON_INTERACTIVE=1 or no TTY)',
    )
    .option('--resume', 'continue the last unfinished onboarding with the same answers')
    .option('--fresh', 'discard an unfinished onboarding and start over')
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--yes-i-accept-third-party-software',
      'accept the third-party software notice (NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1)',
    )
    .addOption(
      new Option('--agent <agent>', 'the agent (NEMOCLAW_AGENT)').choices(['openclaw', 'hermes']),
    )
    .option(
      '--provider <key>',
      'build, openai, anthropic, gemini, custom, anthropicCompatible, ollama (NEMOCLAW_PROVIDER)',
    )
    .option('--model <id>', 'the model (NEMOCLAW_MODEL)')
    .option(
      '--endpoint-url <url>',
      'the provider base URL, for custom endpoints (NEMOCLAW_ENDPOINT_URL)',
    )
    .option('--name <sandbox>', 'the sandbox name (NEMOCLAW_SANDBOX_NAME)')
    .option('--policy-tier <tier>', 'restricted, balanced or open (NEMOCLAW_POLICY_TIER)')
    .option('--policy-presets <list>', 'extra presets, comma-separated (NEMOCLAW_POLICY_PRESETS)')
    .option('--gpu', 'pass an NVIDIA GPU through (default: when one and the toolkit are present)')
    .option('--no-gpu', 'do not pass a GPU through')
    .option('--gpu-count <n>', 'how many GPUs to pass through')
    .option('--dashboard-port <port>', 'the dashboard port on this host (NEMOCLAW_DASHBOARD_PORT)')
    .option('--gateway-port <port>', 'the local gateway port (NEMOCLAW_GATEWAY_PORT)')
    .option(
      '--gateway-url <url>',
      'register a remote OpenShell gateway instead of running one (NEMOCLAW_GATEWAY_URL)',
    )
    .option(
      '--image-registry <host/path>',
      'with --gateway-url: push the sandbox image there so the remote gateway can pull it (NEMOCLAW_IMAGE_REGISTRY)',
    )
    .option(
      '--recreate-sandbox',
      'replace an existing sandbox of that name, after a snapshot (NEMOCLAW_RECREATE_SANDBOX=1)',
    )
    .option('--blueprint <ref>', 'a blueprint version, folder or https URL (NEMOCLAW_BLUEPRINT)')
    .option('--blueprint-sha256 <digest>', 'sha256:<hex> pin of a blueprint archive URL')
    .option('--from <Dockerfile>', 'build the sandbox image from your own Dockerfile')
    .option(
      '--profile <name>',
      'a blueprint profile: resources and inference (nemoclaw profiles list)',
    )
    .action(
      action(env, async (o: Record<string, unknown>) => {
        const { onboardCommand } = await import('../usecases/onboard/command.ts');
        return onboardCommand(env.ctx(), env.world(), o);
      }),
    );
}
