/** `nemoclaw onboard`: every answer as a flag (or its environment variable) for CI. */
import { defineVerb, type Invocation as V } from './verb.ts';

export const ONBOARD = defineVerb({
  name: 'onboard',
  description:
    'onboard an agent into an OpenShell sandbox (interactive, or --non-interactive for CI)',
  options: [
    {
      flags: '--non-interactive',
      description:
        'take every answer from flags and environment (also NEMOCLAW_NON_INTERACTIVE=1 or no TTY)',
    },
    {
      flags: '--resume',
      description: 'continue the last unfinished onboarding with the same answers',
    },
    { flags: '--fresh', description: 'discard an unfinished onboarding and start over' },
    { flags: '--dry-run', description: 'print the plan and change nothing' },
    {
      flags: '--yes-i-accept-third-party-software',
      description:
        'accept the third-party software notice (NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1)',
    },
    {
      flags: '--agent <agent>',
      description: 'the agent (NEMOCLAW_AGENT)',
      choices: ['openclaw', 'hermes'],
    },
    {
      flags: '--provider <key>',
      description:
        'build, openai, anthropic, gemini, custom, anthropicCompatible, ollama (NEMOCLAW_PROVIDER)',
    },
    { flags: '--model <id>', description: 'the model (NEMOCLAW_MODEL)' },
    {
      flags: '--endpoint-url <url>',
      description: 'the provider base URL, for custom endpoints (NEMOCLAW_ENDPOINT_URL)',
    },
    { flags: '--name <sandbox>', description: 'the sandbox name (NEMOCLAW_SANDBOX_NAME)' },
    {
      flags: '--policy-tier <tier>',
      description: 'restricted, balanced or open (NEMOCLAW_POLICY_TIER)',
    },
    {
      flags: '--policy-presets <list>',
      description: 'extra presets, comma-separated (NEMOCLAW_POLICY_PRESETS)',
    },
    {
      flags: '--gpu',
      description: 'pass an NVIDIA GPU through (default: when one and the toolkit are present)',
    },
    { flags: '--no-gpu', description: 'do not pass a GPU through' },
    { flags: '--gpu-count <n>', description: 'how many GPUs to pass through' },
    {
      flags: '--dashboard-port <port>',
      description: 'the dashboard port on this host (NEMOCLAW_DASHBOARD_PORT)',
    },
    {
      flags: '--gateway-port <port>',
      description: 'the local gateway port (NEMOCLAW_GATEWAY_PORT)',
    },
    {
      flags: '--gateway-url <url>',
      description:
        'register a remote OpenShell gateway instead of running one (NEMOCLAW_GATEWAY_URL)',
    },
    {
      flags: '--image-registry <host/path>',
      description:
        'with --gateway-url: push the sandbox image there so the remote gateway can pull it (NEMOCLAW_IMAGE_REGISTRY)',
    },
    {
      flags: '--recreate-sandbox',
      description:
        'replace an existing sandbox of that name, after a snapshot (NEMOCLAW_RECREATE_SANDBOX=1)',
    },
    {
      flags: '--blueprint <ref>',
      description: 'a blueprint version, folder or https URL (NEMOCLAW_BLUEPRINT)',
    },
    {
      flags: '--blueprint-sha256 <digest>',
      description: 'sha256:<hex> pin of a blueprint archive URL',
    },
    {
      flags: '--from <Dockerfile>',
      description: 'build the sandbox image from your own Dockerfile',
    },
    {
      flags: '--profile <name>',
      description: 'a blueprint profile: resources and inference (nemoclaw profiles list)',
    },
  ],
  load: () => import('../usecases/onboard/command.ts'),
  run: (m, v: V<Record<string, unknown>>) => m.onboardCommand(v.ctx, v.world, v.o),
});
