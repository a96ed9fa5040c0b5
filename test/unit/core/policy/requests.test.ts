/** Reading `openshell rule …` text and turning chunks into reviewable requests (pure). */
import { describe, expect, it } from 'vitest';
import { parseRuleGet } from '../../../../src/core/openshell/rules.ts';
import {
  approvedPolicyName,
  blockedRequests,
  resolveChunkId,
} from '../../../../src/core/policy/requests.ts';

const E = '\x1b';
// As v0.0.111's sandbox_draft_get prints it (owo-colors codes included).
const GET = `${E}[1m${E}[36mNetwork Rules:${E}[39m${E}[0m  (version 4, 2 chunks)

  ${E}[2mChunk:${E}[0m 11111111-aaaa-4bbb-8ccc-000000000001
  ${E}[2mStatus:${E}[0m ${E}[33mpending${E}[39m
  ${E}[2mRule:${E}[0m allow_api_github_com_443
  ${E}[2mBinary:${E}[0m /usr/bin/curl
  ${E}[2mConfidence:${E}[0m 65%
  ${E}[2mRationale:${E}[0m Allow curl to connect to api.github.com:443 (HTTPS) with L7 inspection. Allowed paths: GET /repos/o/r.
  ${E}[2mEndpoints:${E}[0m api.github.com:443 [L7 rest, allow GET /repos/o/r]
  ${E}[2mBinaries:${E}[0m /usr/bin/curl
  ${E}[2mHits:${E}[0m 3 (first seen 2026-11-28 10:00:00, last seen 2026-11-28 10:05:00)

  ${E}[2mChunk:${E}[0m 11111111-aaaa-4bbb-8ccc-000000000002
  ${E}[2mStatus:${E}[0m ${E}[33mpending${E}[39m
  ${E}[2mRule:${E}[0m allow_db_internal_5432
  ${E}[2mBinary:${E}[0m /usr/bin/psql
  ${E}[2mConfidence:${E}[0m 65%
  ${E}[2mRationale:${E}[0m Allow psql to connect to db.internal:5432 (PostgreSQL).
  ${E}[2mSecurity:${E}[0m ${E}[33mPort 5432 is a well-known database/service port.${E}[39m
  ${E}[2mEndpoints:${E}[0m db.internal:5432 [L4]
  ${E}[2mBinaries:${E}[0m /usr/bin/psql

`;

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
