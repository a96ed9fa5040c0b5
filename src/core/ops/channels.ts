/**
 * Messaging channels (reference-behaviour §1 `channels`). A channel's bot token becomes a gateway
 * provider of OpenShell's `generic` type (the contract's non-inference type for arbitrary
 * credentials), so the token stays in the gateway and the agent only ever sees a placeholder; the
 * channel's policy preset opens egress to its API.
 *
 * Semantics: `add` = provider + preset + registry record; `stop` = remove the preset (egress to the
 * API is denied at once, network policy hot-reloads) but keep the provider and the record; `start`
 * = apply the preset again; `remove` = preset and record gone, and the provider too unless another
 * sandbox on the gateway still uses the channel. Providers attach at sandbox creation (onboarding
 * and rebuild pass every attached channel's provider) and the agent's config names the channel's
 * placeholder, so after `add` the agent sees the token only after `nemoclaw <name> rebuild`.
 */

export type ChannelName = 'telegram' | 'discord' | 'slack';

export interface ChannelSpec {
  name: ChannelName;
  label: string;
  /** The OpenShell provider (one per gateway, shared by its sandboxes). */
  provider: string;
  providerType: 'generic';
  preset: string;
  /** Env names that carry the tokens; also the credential keys OpenShell stores. */
  credentials: { env: string; label: string }[];
}

export const CHANNELS: readonly ChannelSpec[] = [
  {
    name: 'telegram',
    label: 'Telegram',
    provider: 'telegram-bot',
    providerType: 'generic',
    preset: 'telegram',
    credentials: [{ env: 'TELEGRAM_BOT_TOKEN', label: 'Telegram bot token' }],
  },
  {
    name: 'discord',
    label: 'Discord',
    provider: 'discord-bot',
    providerType: 'generic',
    preset: 'discord',
    credentials: [{ env: 'DISCORD_BOT_TOKEN', label: 'Discord bot token' }],
  },
  {
    name: 'slack',
    label: 'Slack',
    provider: 'slack-app',
    providerType: 'generic',
    preset: 'slack',
    credentials: [
      { env: 'SLACK_BOT_TOKEN', label: 'Slack bot token (xoxb-…)' },
      { env: 'SLACK_APP_TOKEN', label: 'Slack app-level token for Socket Mode (xapp-…)' },
    ],
  },
];

export function findChannel(name: string): ChannelSpec | undefined {
  return CHANNELS.find((c) => c.name === name.toLowerCase());
}

/**
 * `pending-rebuild`: configured, but the agent's config (baked into its image) does not name the
 * channel yet, so nothing reaches the agent until `rebuild`. Entries from before nemoclaw tracked
 * the agent's channels (`agentChannels` unset) are taken at their word.
 */
export type ChannelState = 'running' | 'stopped' | 'pending-rebuild' | 'not-configured';

export function channelState(
  c: ChannelSpec,
  entry: { channels: string[]; presets: string[]; agentChannels?: string[] },
): ChannelState {
  if (!entry.channels.includes(c.name)) return 'not-configured';
  if (!entry.presets.includes(c.preset)) return 'stopped';
  return entry.agentChannels && !entry.agentChannels.includes(c.name)
    ? 'pending-rebuild'
    : 'running';
}

/** A pasted token with whitespace or a newline would reach the API broken: refuse it early. */
export function tokenProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (/\s/.test(value)) return 'contains whitespace';
  if (value.length > 4096) return 'is longer than 4096 characters';
  return undefined;
}

/** The providers a sandbox is created with: the inference provider, then each channel's. */
export function sandboxProviders(inference: string | undefined, channels: string[]): string[] {
  const out = inference ? [inference] : [];
  for (const n of channels) {
    const p = findChannel(n)?.provider;
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}
