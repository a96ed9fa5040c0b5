/** Reading `openshell rule …` text and turning chunks into reviewable requests (pure). */
import { describe, expect, it } from 'vitest';
import {
  parseRuleApprove,
  parseRuleGet,
  parseRuleHistory,
} from '../../../../src/core/openshell/rules.ts';
import { E, GET } from '../../../helpers/openshell-rule-text.ts';

// As v0.0.111's sandbox_draft_get prints it (owo-colors codes included).

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
