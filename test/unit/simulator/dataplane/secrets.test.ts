/** The simulator data plane's pure parts: the egress decision, the OCSF lines, placeholders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostMap } from '../../../simulator/dataplane/context.ts';
import { backendUrl } from '../../../simulator/dataplane/inference.ts';
import {
  credentialsOf,
  deleteCredentials,
  placeholderEnv,
  resolvePlaceholders,
  storeCredentials,
} from '../../../simulator/dataplane/secrets.ts';

describe('credentials and routing', () => {
  it('gives placeholders to the sandbox and resolves only known ones', () => {
    expect(placeholderEnv(['TOKEN'])).toEqual({ TOKEN: 'openshell:resolve:env:TOKEN' });
    expect(
      resolvePlaceholders('/botopenshell:resolve:env:TOKEN/x openshell:resolve:env:OTHER', {
        TOKEN: 's3',
      }),
    ).toBe('/bots3/x openshell:resolve:env:OTHER');
  });

  it('keeps each workspace its own value for a provider of the same name (providers are per workspace)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-sim-secrets-'));
    const saved = process.env.OPENSHELL_SIM_SECRETS;
    delete process.env.OPENSHELL_SIM_SECRETS;
    try {
      storeCredentials(dir, 'gw', 'default', 'nvidia-prod', { NVIDIA_API_KEY: 'old' }, true);
      storeCredentials(dir, 'gw', 'nc-a', 'nvidia-prod', { NVIDIA_API_KEY: 'old' }, true);
      // A key rotated in one workspace only: the other workspace's sandboxes keep the old value.
      storeCredentials(dir, 'gw', 'nc-a', 'nvidia-prod', { NVIDIA_API_KEY: 'new' }, false);
      expect(credentialsOf(dir, 'gw', 'nc-a', 'nvidia-prod')).toEqual({ NVIDIA_API_KEY: 'new' });
      expect(credentialsOf(dir, 'gw', 'default', 'nvidia-prod')).toEqual({ NVIDIA_API_KEY: 'old' });
      expect(credentialsOf(dir, 'gw', 'nc-b', 'nvidia-prod')).toEqual({});
      deleteCredentials(dir, 'gw', 'default', 'nvidia-prod');
      expect(credentialsOf(dir, 'gw', 'default', 'nvidia-prod')).toEqual({});
      expect(credentialsOf(dir, 'gw', 'nc-a', 'nvidia-prod')).toEqual({ NVIDIA_API_KEY: 'new' });
    } finally {
      if (saved !== undefined) process.env.OPENSHELL_SIM_SECRETS = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('joins base URL and path without a doubled /v1 (router build_backend_url)', () => {
    expect(backendUrl('http://127.0.0.1:9/v1', '/v1/chat/completions')).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(backendUrl('https://api.deepinfra.com/v1/openai', '/v1/models')).toBe('https://api.deepinfra.com/v1/openai/models');
    expect(backendUrl('http://proxy/api/v1/openai', '/v1/x')).toBe('http://proxy/api/v1/openai/v1/x');
    expect(backendUrl('http://h:1', '/v1/messages')).toBe('http://h:1/v1/messages');
  }); // prettier-ignore

  it('reads the simulated hosts map', () => {
    const m = hostMap('a.test:443=http://127.0.0.1:5, B.test:80=https://127.0.0.1:6/base');
    expect(m.get('a.test:443')?.href).toBe('http://127.0.0.1:5/');
    expect(m.get('b.test:80')?.pathname).toBe('/base');
  });
});
