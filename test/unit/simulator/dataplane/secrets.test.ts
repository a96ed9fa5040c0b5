/** The simulator data plane's pure parts: the egress decision, the OCSF lines, placeholders. */
import { describe, expect, it } from 'vitest';
import { hostMap } from '../../../simulator/dataplane/context.ts';
import { backendUrl } from '../../../simulator/dataplane/inference.ts';
import { placeholderEnv, resolvePlaceholders } from '../../../simulator/dataplane/secrets.ts';

describe('credentials and routing', () => {
  it('gives placeholders to the sandbox and resolves only known ones', () => {
    expect(placeholderEnv(['TOKEN'])).toEqual({ TOKEN: 'openshell:resolve:env:TOKEN' });
    expect(
      resolvePlaceholders('/botopenshell:resolve:env:TOKEN/x openshell:resolve:env:OTHER', {
        TOKEN: 's3',
      }),
    ).toBe('/bots3/x openshell:resolve:env:OTHER');
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
