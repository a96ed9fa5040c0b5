/**
 * The argv of every `openshell` call nemoclaw makes (v0.0.111 grammar, openshell-contract.md §1).
 * Pure: the adapter runs them, plans can print them. A call is a verb (one or two words) plus its
 * arguments; the adapter adds `-g <gateway>` right after the verb. Secrets never appear here:
 * credentials are passed as env var *names* (`--credential NAME`), their values travel in the
 * child's environment only.
 */
import { NemoclawError } from '../errors.ts';
import { isSecretEnvName } from '../redact.ts';

export interface OpenshellCall {
  verb: string[];
  args: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keyValues(flag: string, map: Record<string, string> | undefined): string[] {
  return Object.entries(map ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

export function gatewayAdd(url: string, o: { name: string; local?: boolean }): OpenshellCall {
  return {
    verb: ['gateway', 'add'],
    args: [url, '--name', o.name, ...(o.local ? ['--local'] : [])],
  };
}

export interface ProviderArgs {
  name: string;
  type: string;
  credentialEnv?: string[];
  config?: Record<string, string>;
}

function credentialArgs(names: string[] | undefined): string[] {
  return (names ?? []).flatMap((n) => {
    // A `K=V` here would put a secret in argv, where `ps` and logs can see it.
    if (!ENV_NAME.test(n)) {
      throw new NemoclawError(
        'invalid',
        `credential env name '${n.split('=')[0]}' is not a variable name`,
        {
          hint: 'Pass the variable name only; its value goes in the child environment.',
        },
      );
    }
    return ['--credential', n];
  });
}

export function providerCreate(o: ProviderArgs): OpenshellCall {
  const creds = credentialArgs(o.credentialEnv);
  // v0.0.111 requires exactly one credential source. A keyless upstream (Ollama) still gets a
  // dummy key (openshell-contract.md §4), so the caller always names one.
  if (creds.length === 0) {
    throw new NemoclawError(
      'invalid',
      `provider '${o.name}' needs at least one credential env name`,
      {
        hint: 'For a keyless endpoint pass a dummy key, e.g. OPENAI_API_KEY=unused in env.',
      },
    );
  }
  return {
    verb: ['provider', 'create'],
    args: ['--name', o.name, '--type', o.type, ...creds, ...keyValues('--config', o.config)],
  };
}

export function providerUpdate(o: ProviderArgs): OpenshellCall {
  return {
    verb: ['provider', 'update'],
    args: [o.name, ...credentialArgs(o.credentialEnv), ...keyValues('--config', o.config)],
  };
}

export function inferenceSet(o: {
  provider: string;
  model: string;
  noVerify?: boolean;
  timeoutSecs?: number;
}): OpenshellCall {
  return {
    verb: ['inference', 'set'],
    args: [
      '--provider',
      o.provider,
      '--model',
      o.model,
      ...(o.noVerify ? ['--no-verify'] : []),
      ...(o.timeoutSecs !== undefined ? ['--timeout', String(o.timeoutSecs)] : []),
    ],
  };
}

export interface SandboxCreateArgs {
  name: string;
  from: string;
  policyFile?: string;
  providers?: string[];
  gpu?: boolean | number;
  cpu?: string;
  memory?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  autoProviders?: boolean;
  command?: string[];
}

export function sandboxCreate(o: SandboxCreateArgs): OpenshellCall {
  for (const k of Object.keys(o.env ?? {})) {
    if (isSecretEnvName(k)) {
      throw new NemoclawError('invalid', `sandbox env '${k}' looks like a secret`, {
        hint: 'Secrets reach a sandbox only through an OpenShell provider, never --env.',
      });
    }
  }
  if (o.gpu === 0) throw new NemoclawError('invalid', 'a GPU count must be at least 1');
  const args = ['--name', o.name, '--from', o.from];
  if (o.policyFile) args.push('--policy', o.policyFile);
  for (const p of o.providers ?? []) args.push('--provider', p);
  if (o.cpu) args.push('--cpu', o.cpu);
  if (o.memory) args.push('--memory', o.memory);
  args.push(...keyValues('--env', o.env), ...keyValues('--label', o.labels));
  if (o.autoProviders !== undefined) {
    args.push(o.autoProviders ? '--auto-providers' : '--no-auto-providers');
  }
  // `--gpu` takes an optional value, so a count is attached with `=` and a bare flag comes last.
  if (typeof o.gpu === 'number') args.push(`--gpu=${o.gpu}`);
  else if (o.gpu === true) args.push('--gpu');
  if (o.command && o.command.length > 0) args.push('--', ...o.command);
  return { verb: ['sandbox', 'create'], args };
}

export function sandboxExec(
  name: string,
  command: string[],
  o: { workdir?: string; timeoutSecs?: number; env?: Record<string, string> } = {},
): OpenshellCall {
  const args = ['--name', name, '--no-tty'];
  if (o.workdir) args.push('--workdir', o.workdir);
  if (o.timeoutSecs !== undefined) args.push('--timeout', String(o.timeoutSecs));
  args.push(...keyValues('--env', o.env), '--', ...command);
  return { verb: ['sandbox', 'exec'], args };
}

export function sandboxUpload(name: string, localPath: string, remoteDir?: string): OpenshellCall {
  // The CLI takes a destination without a trailing slash as the target *file* name when the
  // local path is a file; the slash makes it "into this folder", which is what callers mean.
  const dir = remoteDir && !remoteDir.endsWith('/') ? `${remoteDir}/` : remoteDir;
  return {
    verb: ['sandbox', 'upload'],
    args: [name, localPath, ...(dir ? [dir] : [])],
  };
}

export function sandboxDownload(name: string, remotePath: string, localDir: string): OpenshellCall {
  return { verb: ['sandbox', 'download'], args: [name, remotePath, localDir] };
}

export function policySet(
  sandbox: string,
  policyFile: string,
  o: { wait?: boolean; timeoutSecs?: number } = {},
): OpenshellCall {
  const args = [sandbox, '--policy', policyFile];
  if (o.wait) args.push('--wait');
  if (o.timeoutSecs !== undefined) args.push('--timeout', String(o.timeoutSecs));
  return { verb: ['policy', 'set'], args };
}

export function policyGet(
  sandbox: string,
  o: { base?: boolean; rev?: number } = {},
): OpenshellCall {
  const args = [sandbox, o.base ? '--base' : '--full'];
  if (o.rev !== undefined) args.push('--rev', String(o.rev));
  return { verb: ['policy', 'get'], args };
}

export function forwardStart(
  sandbox: string,
  port: number,
  o: { bind?: string; background?: boolean } = {},
): OpenshellCall {
  const spec = o.bind ? `${o.bind}:${port}` : String(port);
  // A foreground forward blocks until killed; nemoclaw always wants the background one.
  return {
    verb: ['forward', 'start'],
    args: [spec, sandbox, ...(o.background === false ? [] : ['--background'])],
  };
}

export function logs(
  sandbox: string,
  o: { tail?: number; since?: string; source?: string; follow?: boolean } = {},
): OpenshellCall {
  const args = [sandbox];
  if (o.tail !== undefined) args.push('-n', String(o.tail));
  if (o.since) args.push('--since', o.since);
  if (o.source) args.push('--source', o.source);
  if (o.follow) args.push('--tail');
  return { verb: ['logs'], args };
}

/** The printable form of a call, for plans and logs: `openshell sandbox create -g nemoclaw …`. */
export function formatCall(call: OpenshellCall, gateway?: string, workspace?: string): string {
  const ws = workspace ? ['--workspace', workspace] : [];
  const parts = [
    'openshell',
    ...call.verb,
    ...(gateway ? ['-g', gateway] : []),
    ...ws,
    ...call.args,
  ];
  return parts.map((p) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(p) ? p : JSON.stringify(p))).join(' ');
}
