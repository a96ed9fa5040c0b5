import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRegistryFile } from '../../helpers/context.ts';
import { BUG_HINT, errorJson, errorReport, jsonRequested } from '../../../src/core/error-report.ts';
import { NemoclawError, UsageError } from '../../../src/core/errors.ts';
import { REDACTED, clearKnownSecrets, registerSecret } from '../../../src/core/redact.ts';
import { runCli } from '../../helpers/cli.ts';

afterEach(() => clearKnownSecrets());

describe('jsonRequested', () => {
  it('sees --json anywhere before --, and not after it', () => {
    expect(jsonRequested(['my-box', 'status', '--json'])).toBe(true);
    expect(jsonRequested(['--json', 'list'])).toBe(true);
    expect(jsonRequested(['my-box', 'status'])).toBe(false);
    expect(jsonRequested(['my-box', 'exec', '--', 'tool', '--json'])).toBe(false);
    expect(jsonRequested(['list', '--jsonx'])).toBe(false);
  });
});

describe('errorReport', () => {
  it('keeps the kind, message, hint, exit code and detail of a typed error', () => {
    const e = new NemoclawError('not-found', 'Sandbox "x" is not registered.', {
      hint: 'Run `nemoclaw list`.',
      detail: { sandbox: 'x' },
    });
    expect(errorReport(e)).toEqual({
      kind: 'not-found',
      message: 'Sandbox "x" is not registered.',
      hint: 'Run `nemoclaw list`.',
      exitCode: 1,
      detail: { sandbox: 'x' },
    });
  });

  it('leaves out a hint and detail the error does not have; usage errors exit 2', () => {
    expect(errorReport(new UsageError('bad flag'))).toEqual({
      kind: 'usage',
      message: 'bad flag',
      exitCode: 2,
    });
  });

  it('reports an unexpected error as a bug, exit 1', () => {
    expect(errorReport(new TypeError('x is undefined'))).toEqual({
      kind: 'bug',
      message: 'x is undefined',
      hint: BUG_HINT,
      exitCode: 1,
    });
    expect(errorReport('thrown string').message).toBe('thrown string');
  });

  it('redacts the message, the hint and the detail', () => {
    registerSecret('s3cr3t-value-123');
    const e = new NemoclawError('failed', 'upstream said s3cr3t-value-123', {
      hint: 'key nvapi-abcdefghijklmnop was refused',
      detail: { OPENAI_API_KEY: 'plainvalue', note: 'has s3cr3t-value-123 in it' },
    });
    const text = JSON.stringify(errorReport(e));
    expect(text).not.toContain('s3cr3t-value-123');
    expect(text).not.toContain('nvapi-abcdefghijklmnop');
    expect(text).not.toContain('plainvalue');
    expect(text).toContain(REDACTED);
  });
});

describe('errorJson', () => {
  it('is one line of JSON with the report under "error", and its exit code', () => {
    const { line, exitCode } = errorJson(new UsageError('bad "quoted" value\nsecond line'));
    expect(exitCode).toBe(2);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      error: { kind: 'usage', message: 'bad "quoted" value\nsecond line', exitCode: 2 },
    });
  });

  it('masks a secret that needs escaping in JSON (redacted before it is serialized)', () => {
    registerSecret('pa"ss\\word-42');
    const { line } = errorJson(new Error('login with pa"ss\\word-42 failed'));
    expect(JSON.parse(line).error.message).toBe(`login with ${REDACTED} failed`);
  });
});

describe('the CLI under --json (in-process)', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'nc-errjson-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('`nemoclaw <missing sandbox> status --json` prints the error as JSON on stderr, exit 2', async () => {
    const r = await runCli(['ghost-box', 'status', '--json'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const out = JSON.parse(r.stderr);
    expect(out.error).toMatchObject({ kind: 'usage', exitCode: 2 });
    expect(out.error.message).toContain('ghost-box');
    expect(out.error.hint).toContain('nemoclaw onboard');
  });

  it('`nemoclaw list --json` over a damaged registry: the corrupt-state error as JSON, exit 1', async () => {
    writeFileSync(join(home, 'sandboxes.json'), '{ not json');
    const r = await runCli(['list', '--json'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const out = JSON.parse(r.stderr);
    expect(out.error).toMatchObject({ kind: 'corrupt', exitCode: 1 });
    expect(out.error.message).toContain('sandboxes.json');
  });

  it("commander's own usage errors (unknown option, on a global command and a sandbox verb) are JSON too", async () => {
    const r = await runCli(['list', '--json', '--jsn'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stderr);
    expect(out.error).toMatchObject({ kind: 'usage', exitCode: 2 });
    expect(out.error.message).toContain("unknown option '--jsn'");
    expect(out.error.hint).toContain('--json');
    writeRegistryFile(home, ['alpha']);
    const v = await runCli(['alpha', 'status', '--json', '--bogus'], { NEMOCLAW_HOME: home });
    expect(v.code).toBe(2);
    expect(JSON.parse(v.stderr).error.message).toContain("unknown option '--bogus'");
    const text = await runCli(['list', '--jsn'], { NEMOCLAW_HOME: home });
    expect(text.stderr).toContain("error: unknown option '--jsn'");
  });

  it('without --json the same error is prose', async () => {
    const r = await runCli(['ghost-box', 'status'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: Unknown command or sandbox "ghost-box"\./);
    expect(() => JSON.parse(r.stderr)).toThrow();
  });
});

describe('redaction of the non-interactive missing-key error (issue 17 item 6)', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'nc-errjson-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('names the variable and keeps the words: nothing is masked where no value was given', async () => {
    const r = await runCli(['onboard', '--non-interactive'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'NVIDIA_API_KEY: provider "build" needs its API key in NVIDIA_API_KEY',
    );
    expect(r.stderr).not.toContain(REDACTED);
  });

  it('masks the value where one was there', () => {
    const shown = errorReport(new UsageError('NVIDIA_API_KEY: nvapi-0123456789abcdef was refused'));
    expect(shown.message).toBe(`NVIDIA_API_KEY: ${REDACTED} was refused`);
  });
});
