import { describe, expect, it } from 'vitest';
import { unobservedCheck, unobservedText } from '../../../src/core/unobserved.ts';
import { portContainerUnknown, port } from '../../../src/core/preflight.ts';

const u = {
  id: 'openshell.forward-list',
  what: "list OpenShell's port forwards",
  reason: 'status: Unavailable ',
  consequence: 'forwards are not checked.',
};

describe('unobserved', () => {
  it('says what could not be observed, why, and what is unknown, in one sentence', () => {
    expect(unobservedText(u)).toBe(
      "Could not list OpenShell's port forwards (status: Unavailable); forwards are not checked.",
    );
    expect(unobservedText({ ...u, reason: '' })).toContain('(no reason given)');
  });

  it('becomes a doctor warning marked unknown, with the reason', () => {
    expect(unobservedCheck(u)).toEqual({
      id: 'unknown.openshell.forward-list',
      title: "Could not list OpenShell's port forwards",
      status: 'warn',
      detail: 'unknown: status: Unavailable; forwards are not checked',
    });
  });
});

describe('portContainerUnknown', () => {
  const facts = { port: 8080, role: 'gateway', envVar: 'NEMOCLAW_GATEWAY_PORT' };
  it('adds the reason to a taken port, and leaves a free one alone', () => {
    const taken = portContainerUnknown(port({ ...facts, free: false }), 'connect ENOENT');
    expect(taken.status).toBe('fail');
    expect(taken.detail).toContain(
      'unknown whether a container publishes it (the Engine could not list containers: connect ENOENT)',
    );
    const free = port({ ...facts, free: true });
    expect(portContainerUnknown(free, 'x')).toEqual(free);
  });
});
