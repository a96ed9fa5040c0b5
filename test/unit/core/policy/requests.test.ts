/** Reading `openshell rule …` text and turning chunks into reviewable requests (pure). */
import { describe, expect, it } from 'vitest';
import { parseRuleGet } from '../../../../src/core/openshell/rules.ts';
import {
  approvedPolicyName,
  blockedRequests,
  resolveChunkId,
} from '../../../../src/core/policy/requests.ts';
import { GET } from '../../../helpers/openshell-rule-text.ts';

// As v0.0.111's sandbox_draft_get prints it (owo-colors codes included).

const GITHUB = {
  name: 'github',
  entries: {
    github: {
      endpoints: [
        {
          host: 'api.github.com',
          port: 443,
          protocol: 'rest' as const,
          enforcement: 'enforce' as const,
          rules: [{ allow: { method: 'GET', path: '/**' } }],
        },
      ],
      binaries: [{ path: '/usr/bin/curl' }],
    },
  },
};

describe('blocked requests', () => {
  it('shows binary, host, port, method and path, and the preset that covers it', () => {
    const [gh, db] = blockedRequests(parseRuleGet(GET), [GITHUB]);
    expect(gh).toMatchObject({
      binary: '/usr/bin/curl',
      host: 'api.github.com',
      port: 443,
      method: 'GET',
      path: '/repos/o/r',
      coveredBy: ['github'],
    });
    expect(db).toMatchObject({
      host: 'db.internal',
      port: 5432,
      method: '*',
      path: '*',
      coveredBy: [],
    });
  });

  it('a preset for another binary does not cover the request', () => {
    const chunks = parseRuleGet(GET.replaceAll('/usr/bin/curl', '/usr/bin/wget'));
    expect(blockedRequests(chunks, [GITHUB])[0]!.coveredBy).toEqual([]);
  });

  it('resolves ids by unique prefix, and refuses ambiguous or short ones', () => {
    const chunks = parseRuleGet(GET);
    expect(resolveChunkId(chunks, '11111111-aaaa-4bbb-8ccc-000000000002')).toEqual({
      id: '11111111-aaaa-4bbb-8ccc-000000000002',
    });
    expect(resolveChunkId(chunks, '11111111')).toMatchObject({ error: 'ambiguous' });
    expect(resolveChunkId(chunks, '111')).toMatchObject({ error: 'none' });
    expect(approvedPolicyName('allow_api_github_com_443')).toBe(
      'approved-allow-api-github-com-443',
    );
  });
});
