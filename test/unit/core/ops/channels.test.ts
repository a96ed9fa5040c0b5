import { describe, expect, it } from 'vitest';
import {
  channelState,
  findChannel,
  sandboxProviders,
  tokenProblem,
} from '../../../../src/core/ops/channels.ts';

describe('providers a sandbox is created with', () => {
  it('the inference provider, then every attached channel’s, once', () => {
    expect(sandboxProviders('nvidia-prod', [])).toEqual(['nvidia-prod']);
    expect(sandboxProviders('nvidia-prod', ['telegram', 'slack', 'telegram'])).toEqual([
      'nvidia-prod',
      'telegram-bot',
      'slack-app',
    ]);
    expect(sandboxProviders(undefined, ['discord'])).toEqual(['discord-bot']);
  });
});

describe('what channels list calls live', () => {
  const tg = findChannel('telegram')!;
  it('a channel the agent config does not name yet is pending a rebuild', () => {
    const e = { channels: ['telegram'], presets: ['telegram'] };
    expect(channelState(tg, { ...e, agentChannels: [] })).toBe('pending-rebuild');
    expect(channelState(tg, { ...e, agentChannels: ['telegram'] })).toBe('running');
    expect(channelState(tg, { ...e, presets: [], agentChannels: ['telegram'] })).toBe('stopped');
    // Entries from before the agent's channels were tracked: taken at their word.
    expect(channelState(tg, e)).toBe('running');
    expect(channelState(tg, { channels: [], presets: [], agentChannels: [] })).toBe(
      'not-configured',
    );
  });
});

describe('channels', () => {
  it('knows three channels; slack needs two tokens', () => {
    expect(findChannel('Telegram')?.provider).toBe('telegram-bot');
    expect(findChannel('slack')?.credentials.map((c) => c.env)).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ]);
    expect(findChannel('irc')).toBeUndefined();
  });
  it('state: running with its preset, stopped without, else not configured', () => {
    const tg = findChannel('telegram')!;
    expect(channelState(tg, { channels: ['telegram'], presets: ['telegram'] })).toBe('running');
    expect(channelState(tg, { channels: ['telegram'], presets: [] })).toBe('stopped');
    expect(channelState(tg, { channels: [], presets: ['telegram'] })).toBe('not-configured');
  });
  it('refuses tokens a paste broke', () => {
    expect(tokenProblem('abc def')).toBe('contains whitespace');
    expect(tokenProblem('')).toBe('is empty');
    expect(tokenProblem('123:abc')).toBeUndefined();
  });
});
