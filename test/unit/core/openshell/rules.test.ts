/** Reading `openshell rule …` text and turning chunks into reviewable requests (pure). */
import { describe, expect, it } from 'vitest';
import {
  parseRuleApprove,
  parseRuleGet,
  parseRuleHistory,
} from '../../../../src/core/openshell/rules.ts';

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

describe('rule output', () => {
  it('parses rule get, ANSI codes and all', () => {
    const chunks = parseRuleGet(GET);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatchObject({
      id: '11111111-aaaa-4bbb-8ccc-000000000001',
      status: 'pending',
      rule: 'allow_api_github_com_443',
      binary: '/usr/bin/curl',
      confidence: 0.65,
      hits: 3,
      endpoints: [
        {
          host: 'api.github.com',
          port: 443,
          layer: 'L7 rest',
          allows: [{ method: 'GET', path: '/repos/o/r' }],
        },
      ],
    });
    expect(chunks[1]!.security).toContain('database');
    expect(parseRuleGet("No network rules for sandbox 'x'\n")).toEqual([]);
  });

  it('parses approve and history', () => {
    expect(
      parseRuleApprove(
        `${E}[1m${E}[32mOK${E}[39m${E}[0m Chunk approved. Policy version: 7, hash: 0123456789ab\n`,
      ),
    ).toEqual({
      version: 7,
      hash: '0123456789ab',
    });
    const h = parseRuleHistory(
      `Rule History:\n\n  ${E}[2m1d 10:00${E}[0m ${E}[33mproposed${E}[39m [11111111] Rule 'a' proposed (confidence: 65%)\n  ${E}[2m10:05${E}[0m ${E}[32mapproved${E}[39m [11111111] Rule 'a' approved\n`,
    );
    expect(h).toEqual([
      {
        when: '1d 10:00',
        event: 'proposed',
        chunk: '11111111',
        description: "Rule 'a' proposed (confidence: 65%)",
      },
      { when: '10:05', event: 'approved', chunk: '11111111', description: "Rule 'a' approved" },
    ]);
  });
});
