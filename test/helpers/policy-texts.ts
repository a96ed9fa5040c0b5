/** Policy texts and patches the core policy tests share (schema, parse, merge, diff, presets). */
import { expect } from 'vitest';
import { parse } from 'yaml';
import { NemoclawError } from '../../src/core/errors.ts';
import { parsePolicy } from '../../src/core/policy/parse.ts';
import type { PolicyPatch } from '../../src/core/policy/merge.ts';

export const STATIC = `version: 1
filesystem_policy:
  include_workdir: true
  read_only: [/usr, /lib, /etc]
  read_write: [/sandbox, /tmp]
landlock:
  compatibility: best_effort
process:
  run_as_user: sandbox
  run_as_group: sandbox
`;

/** A policy with one network entry whose endpoint is `ep` (YAML flow mapping). */
export function withEndpoint(ep: string, extra = ''): string {
  return `${STATIC}network_policies:
  api:
    endpoints:
      - ${ep}
    binaries: [{ path: /usr/bin/curl }]
${extra}`;
}

export function problems(text: string) {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(NemoclawError);
    const err = e as NemoclawError;
    expect(err.kind).toBe('invalid');
    expect(err.exitCode).toBe(2);
    return (err.detail!.problems as { path: string; line?: number; message: string }[]) ?? [];
  }
  return [];
}

export const LIVE = `${STATIC}network_policies:
  clawhub:
    name: clawhub
    endpoints:
      - host: clawhub.com
        port: 443
        protocol: rest
        enforcement: enforce
        access: read-only
    binaries:
      - path: /usr/bin/node
`;

export const NPM: PolicyPatch = {
  name: 'npm',
  entries: {
    npm_registry: {
      name: 'npm_registry',
      endpoints: [
        {
          host: 'registry.npmjs.org',
          port: 443,
          protocol: 'rest',
          enforcement: 'enforce',
          rules: [{ allow: { method: 'GET', path: '/**' } }],
        },
      ],
      binaries: [{ path: '/usr/bin/node' }],
    },
  },
};

export const add = (patch: PolicyPatch) => ({ kind: 'add' as const, patch });

export const data = (y: string) => parse(y) as Record<string, Record<string, unknown>>;
