import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  errorHeadline,
  isCliFailure,
  parseCreatedSandbox,
  parseForwardList,
  parseInferenceGet,
  parseLogLine,
  parsePolicyGet,
  parsePolicyList,
  parsePolicySet,
  parseProviderGet,
  stripAnsi,
} from '../../../../src/core/openshell/parse.ts';

describe('openshell text parsers', () => {
  it('strips ANSI colour codes', () => {
    expect(stripAnsi('\u001b[36m\u001b[1mSandbox:\u001b[0m')).toBe('Sandbox:');
  });

  it('reads a provider block, with <none> as no keys', () => {
    const text = [
      'Provider:',
      '',
      '  Id: 1f2e',
      '  Name: nvidia-prod',
      '  Type: nvidia',
      '  Resource version: 3',
      '  Credential keys: NVIDIA_API_KEY, OTHER_KEY',
      '  Config keys: <none>',
    ].join('\n');
    expect(parseProviderGet(text)).toEqual({
      id: '1f2e',
      name: 'nvidia-prod',
      type: 'nvidia',
      credential_keys: ['NVIDIA_API_KEY', 'OTHER_KEY'],
      config_keys: [],
    });
    expect(parseProviderGet('nothing here')).toBeUndefined();
  });

  it('reads both inference blocks, "Not configured" as undefined', () => {
    const text = [
      '\u001b[36mInference:\u001b[0m',
      '',
      '  Workspace: default',
      '  Provider: nvidia-prod',
      '  Model: nvidia/nemotron',
      '  Version: 4',
      '  Timeout: 60s (default)',
      '',
      'System inference:',
      '',
      '  Not configured',
    ].join('\n');
    expect(parseInferenceGet(text)).toEqual({
      route: {
        provider: 'nvidia-prod',
        model: 'nvidia/nemotron',
        version: '4',
        timeout: '60s (default)',
      },
    });
  });

  it('splits policy get --full on the --- line and keeps the YAML verbatim', () => {
    const yaml =
      'version: 1\nnetwork_policies:\n  a:\n    endpoints:\n      - host: x\n---not-a-separator\n';
    const text = `Version:      3\nHash:         abc123\nStatus:       Effective\nSource:       sandbox\nConfig rev:   5\n---\n${yaml}`;
    expect(parsePolicyGet(text)).toEqual({
      version: 3,
      hash: 'abc123',
      status: 'Effective',
      source: 'sandbox',
      configRevision: 5,
      yaml,
    });
    expect(parsePolicyGet('Version: 1\nHash: h\n')?.yaml).toBeUndefined();
    expect(parsePolicyGet('garbage')).toBeUndefined();
  });

  it('reads the policy revision table, error text last', () => {
    const text = [
      'VERSION  HASH           STATUS       CREATED                  ERROR',
      '3        2721c8ba17e2   Failed       1795305117931            load failed: bad thing...',
      '2        531e2958e82f   Loaded       1795305109194            ',
    ].join('\n');
    expect(parsePolicyList(text)).toEqual([
      {
        version: 3,
        hash: '2721c8ba17e2',
        status: 'Failed',
        created: '1795305117931',
        error: 'load failed: bad thing...',
      },
      { version: 2, hash: '531e2958e82f', status: 'Loaded', created: '1795305109194' },
    ]);
  });

  it('reads the forward table', () => {
    const text =
      'SANDBOX BIND      PORT     PID        STATUS\nmy-sb   127.0.0.1 18789    4242       running\n';
    expect(parseForwardList(text)).toEqual([
      { sandbox: 'my-sb', bind: '127.0.0.1', port: 18789, pid: 4242, status: 'running' },
    ]);
    expect(parseForwardList('')).toEqual([]);
  });

  it.each([
    ['✓ Policy version 4 submitted (hash: 0123456789ab)', { version: 4, unchanged: false }],
    ['· Policy unchanged (version 2, hash: 0123456789ab)', { version: 2, unchanged: true }],
    ['', { version: undefined, unchanged: false }],
  ])('reads policy set stderr %j', (stderr, expected) => {
    expect(parsePolicySet(stderr)).toEqual(expected);
  });

  it('finds the created sandbox name and parses log lines', () => {
    expect(parseCreatedSandbox('\n\u001b[1mCreated sandbox:\u001b[0m my-sb\n')).toBe('my-sb');
    expect(
      parseLogLine('[1795305086.381] [gateway] [INFO ] [openshell_server] sandbox created a=b'),
    ).toEqual({
      epochMs: 1795305086381,
      source: 'gateway',
      level: 'INFO',
      target: 'openshell_server',
      message: 'sandbox created a=b',
    });
    expect(parseLogLine('not a log line')).toBeUndefined();
  });
});

describe('openshell failure classification', () => {
  const grpc = (code: string, msg: string) =>
    `Error:   × status: ${code}, message: "${msg}", details: [], metadata: MetadataMap { headers: {} }\n`;

  it.each([
    [grpc('NotFound', "sandbox 'x' not found"), 'not-found'],
    [grpc('AlreadyExists', "sandbox 'x' already exists"), 'conflict'],
    [grpc('InvalidArgument', 'landlock policy cannot be changed'), 'invalid'],
    [grpc('Unavailable', 'tcp connect error'), 'unavailable'],
    [
      'Error:   × No active gateway.\n  │ Set one with: openshell gateway select <name>\n',
      'unavailable',
    ],
    ["Error:   × Unknown gateway 'nemoclaw'.\n", 'unavailable'],
    ['Error:   × failed to parse sandbox policy YAML: unknown field `x`\n', 'invalid'],
    ['Error:   × something else broke\n', 'failed'],
  ])('classifies %j', (stderr, kind) => {
    expect(classifyFailure(stderr)).toBe(kind);
  });

  it('extracts the headline of miette and clap errors', () => {
    expect(errorHeadline(grpc('NotFound', "sandbox 'x' not found"))).toBe("sandbox 'x' not found");
    expect(errorHeadline("error: unexpected argument '--nope' found\n\nUsage: openshell")).toBe(
      "unexpected argument '--nope' found",
    );
    expect(errorHeadline('Error:   × plain message\n')).toBe('plain message');
  });

  it('tells CLI failures from a remote command writing to stderr', () => {
    expect(isCliFailure('Error:   × sandbox not ready\n', 1)).toBe(true);
    expect(isCliFailure('ls: /nope: No such file or directory\n', 2)).toBe(false);
    expect(isCliFailure("error: x\n\nFor more information, try '--help'.\n", 2)).toBe(true);
  });
});
