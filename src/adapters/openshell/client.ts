/**
 * The OpenShell client over execa (openshell-contract.md, v0.0.111). `-o json` where the CLI has
 * it (status, gateway info/list, provider list, sandbox get/list); the documented text elsewhere,
 * parsed by src/core/openshell/parse.ts. Never prints, never exits: failures are NemoclawErrors.
 */
import * as argv from '../../core/openshell/argv.ts';
import type { OpenshellCall } from '../../core/openshell/argv.ts';
import {
  isCliFailure,
  parseCreatedSandbox,
  parseForwardList,
  parseInferenceGet,
  parsePolicyGet,
  parsePolicyList,
  parsePolicySet,
  parseProviderGet,
} from '../../core/openshell/parse.ts';
import { NemoclawError, isNemoclawError } from '../../core/errors.ts';
import { parseOpenshellVersion, formatVersion } from '../../core/version.ts';
import { redact } from '../../core/redact.ts';
import type { RunnerOptions, Runner } from './run.ts';
import { createRunner, failure } from './run.ts';
import type {
  GatewayInfo,
  GatewayListEntry,
  GatewayStatus,
  OpenshellClient,
  ProviderSummary,
  SandboxDetail,
  SandboxSummary,
} from './types.ts';

export type OpenshellClientOptions = RunnerOptions;

/** Sandbox creation waits for Ready; OpenShell's own idle timeout is 300 s. */
const CREATE_TIMEOUT_MS = 15 * 60_000;

function parseJson<T>(call: OpenshellCall, stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new NemoclawError('failed', `openshell ${call.verb.join(' ')} printed no JSON`, {
      detail: { stdout: redact(stdout.slice(0, 2000)) },
    });
  }
}

/** Only the credentials the call names with `--credential NAME` reach its child. */
function namedOnly(
  env: Record<string, string> | undefined,
  names: string[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names ?? []) if (env?.[n] !== undefined) out[n] = env[n];
  return out;
}

const plain = (verb: string[], ...args: string[]): OpenshellCall => ({ verb, args });

export function createOpenshellClient(o: OpenshellClientOptions): OpenshellClient {
  const runner: Runner = createRunner(o);
  const call = async (c: OpenshellCall, ro?: Parameters<Runner['run']>[1]) =>
    runner.check(c, await runner.run(c, ro));
  const json = async <T>(c: OpenshellCall): Promise<T> => parseJson<T>(c, (await call(c)).stdout);
  /** undefined when the CLI reports NotFound; other failures throw. */
  const orUndefined = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      if (isNemoclawError(e) && e.kind === 'not-found') return undefined;
      throw e;
    }
  };

  const sandboxGet = (name: string) =>
    orUndefined(() => json<SandboxDetail>(plain(['sandbox', 'get'], name, '-o', 'json')));

  const client: OpenshellClient = {
    async version() {
      const c = plain(['--version']);
      const r = await call({ verb: [], args: c.verb });
      const raw = r.stdout.trim();
      const v = parseOpenshellVersion(raw);
      if (!v) throw new NemoclawError('failed', `cannot read the openshell version from "${raw}"`);
      return { raw, version: formatVersion(v) };
    },

    async status() {
      return json<GatewayStatus>(plain(['status'], '-o', 'json'));
    },

    async gatewayAdd(url, g) {
      await call(argv.gatewayAdd(url, g));
    },
    async gatewaySelect(name) {
      await call(plain(['gateway', 'select'], name));
    },
    async gatewayInfo() {
      return json<GatewayInfo>(plain(['gateway', 'info'], '-o', 'json'));
    },
    async gatewayList() {
      return json<GatewayListEntry[]>(plain(['gateway', 'list'], '-o', 'json'));
    },
    async gatewayRemove(name) {
      await call(plain(['gateway', 'remove'], name));
    },

    async providerCreate(p) {
      await call(argv.providerCreate(p), { env: namedOnly(p.env, p.credentialEnv) });
    },
    async providerUpdate(p) {
      await call(argv.providerUpdate(p), { env: namedOnly(p.env, p.credentialEnv) });
    },
    async providerGet(name) {
      const c = plain(['provider', 'get'], name);
      return orUndefined(async () => {
        const parsed = parseProviderGet((await call(c)).stdout);
        if (!parsed)
          throw new NemoclawError('failed', `cannot read 'openshell provider get ${name}'`);
        return parsed;
      });
    },
    async providerList() {
      const rows = await json<Partial<ProviderSummary>[]>(
        plain(['provider', 'list'], '-o', 'json'),
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name ?? '',
        type: r.type ?? '',
        credential_keys: r.credential_keys ?? [],
        config_keys: r.config_keys ?? [],
      }));
    },
    async providerDelete(name) {
      await call(plain(['provider', 'delete'], name));
    },

    async inferenceSet(i) {
      await call(argv.inferenceSet(i));
    },
    async inferenceGet() {
      return parseInferenceGet((await call(plain(['inference', 'get']))).stdout);
    },

    async sandboxCreate(s) {
      const c = argv.sandboxCreate(s);
      const r = await call(c, { timeoutMs: s.timeoutMs ?? CREATE_TIMEOUT_MS });
      const name = parseCreatedSandbox(r.stdout) ?? s.name;
      const detail = await sandboxGet(name);
      if (!detail) {
        throw new NemoclawError('failed', `sandbox '${name}' was created but cannot be read back`);
      }
      return detail;
    },
    sandboxGet,
    async workspaceCreate(name) {
      try {
        await call(plain(['workspace', 'create'], '--name', name));
        return 'created';
      } catch (e) {
        if (isNemoclawError(e) && e.kind === 'conflict') return 'exists';
        throw e;
      }
    },
    async sandboxList(o = {}) {
      const all = o.allWorkspaces ? ['--all-workspaces'] : [];
      return json<SandboxSummary[]>(plain(['sandbox', 'list'], '-o', 'json', ...all));
    },
    async sandboxDelete(name) {
      await call(plain(['sandbox', 'delete'], name));
    },
    async sandboxStop(name) {
      await call(plain(['sandbox', 'stop'], name));
    },
    async sandboxStart(name) {
      await call(plain(['sandbox', 'start'], name), { timeoutMs: CREATE_TIMEOUT_MS });
    },
    async sandboxExec(name, command, e = {}) {
      const c = argv.sandboxExec(name, command, e);
      // The remote exit code is the CLI's exit code; only the CLI's own reports are failures.
      const r = await runner.run(c, {
        input: e.input ?? '',
        timeoutMs: e.timeoutSecs ? (e.timeoutSecs + 30) * 1000 : undefined,
      });
      if (r.exitCode !== 0 && isCliFailure(r.stderr, r.exitCode)) {
        throw failure(c, r, redact(argv.formatCall(c, runner.gateway)), runner.gateway);
      }
      return r;
    },
    async sandboxConnect(name, c = {}) {
      const cc = plain(['sandbox', 'connect'], name);
      const r = await runner.run(cc, {
        timeoutMs: 0,
        ...(c.input !== undefined ? { input: c.input } : { inherit: true }),
      });
      if (r.exitCode !== 0 && isCliFailure(r.stderr, r.exitCode)) runner.check(cc, r);
      return r.exitCode;
    },
    async sandboxUpload(name, localPath, remoteDir) {
      await call(argv.sandboxUpload(name, localPath, remoteDir), { timeoutMs: CREATE_TIMEOUT_MS });
    },
    async sandboxDownload(name, remotePath, localDir) {
      await call(argv.sandboxDownload(name, remotePath, localDir), {
        timeoutMs: CREATE_TIMEOUT_MS,
      });
    },

    async policySet(sandbox, file, p = {}) {
      const c = argv.policySet(sandbox, file, p);
      const waitMs = ((p.timeoutSecs ?? 60) + 30) * 1000;
      const r = await call(c, p.wait ? { timeoutMs: waitMs } : undefined);
      return parsePolicySet(r.stderr);
    },
    async policyGet(sandbox, p = {}) {
      const c = argv.policyGet(sandbox, p);
      const view = parsePolicyGet((await call(c)).stdout);
      if (!view) throw new NemoclawError('failed', `cannot read 'openshell policy get ${sandbox}'`);
      return view;
    },
    async policyList(sandbox) {
      return parsePolicyList((await call(plain(['policy', 'list'], sandbox))).stdout);
    },

    async forwardStart(sandbox, port, f) {
      await call(argv.forwardStart(sandbox, port, f));
    },
    async forwardStop(sandbox, port) {
      await call(plain(['forward', 'stop'], String(port), sandbox));
    },
    async forwardList() {
      return parseForwardList((await call(plain(['forward', 'list']))).stdout);
    },

    async logs(sandbox, l = {}) {
      const c = argv.logs(sandbox, l);
      const collected: string[] = [];
      const onLine = (line: string) => {
        if (!line) return;
        collected.push(line);
        l.onLine?.(line);
      };
      try {
        const r = await call(c, {
          ...(l.follow ? { timeoutMs: 0, onStdoutLine: onLine } : {}),
          signal: l.signal,
        });
        if (!l.follow) for (const line of r.stdout.split('\n')) onLine(line);
      } catch (e) {
        // Following ends when the caller aborts; what arrived until then is the answer.
        if (l.follow && isNemoclawError(e) && e.kind === 'canceled') return collected;
        throw e;
      }
      return collected;
    },
  };
  return client;
}
