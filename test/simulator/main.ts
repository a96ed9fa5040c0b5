/**
 * openshell simulator entry: a strict test double of the `openshell` CLI v0.0.111 (see README.md).
 * Logs the invocation, parses like clap (usage errors exit 2), applies injected latency and
 * faults, dispatches, and maps errors to the real CLI's exit codes and stderr shapes.
 */
import { appendFileSync } from 'node:fs';
import type { Parsed } from './args.ts';
import { UsageError, parseArgv } from './args.ts';
import { GRAMMAR } from './grammar.ts';
import { SimError, SimExit, formatMiette, out, sleep } from './io.ts';
import { setWorkspace, update } from './state.ts';

// Command modules load lazily: `--version` and usage errors stay cheap, and only the commands
// that touch containers pay for dockerode and tar.
const HANDLERS: Record<string, [string, string]> = {
  status: ['gateway', 'status'],
  'gateway add': ['gateway', 'add'],
  'gateway select': ['gateway', 'select'],
  'gateway info': ['gateway', 'info'],
  'gateway list': ['gateway', 'list'],
  'gateway remove': ['gateway', 'remove'],
  'provider create': ['provider', 'create'],
  'provider update': ['provider', 'updateProvider'],
  'provider get': ['provider', 'get'],
  'provider list': ['provider', 'list'],
  'provider delete': ['provider', 'remove'],
  'inference set': ['provider', 'inferenceSet'],
  'inference get': ['provider', 'inferenceGet'],
  'inference delete': ['provider', 'inferenceDelete'],
  'sandbox create': ['sandbox', 'create'],
  'sandbox get': ['sandbox', 'get'],
  'sandbox list': ['sandbox', 'list'],
  'sandbox delete': ['sandbox', 'remove'],
  'sandbox stop': ['sandbox', 'stop'],
  'sandbox start': ['sandbox', 'start'],
  'sandbox exec': ['transfer', 'exec'],
  'sandbox connect': ['transfer', 'connect'],
  'sandbox upload': ['transfer', 'upload'],
  'sandbox download': ['transfer', 'download'],
  'policy set': ['policy', 'set'],
  'policy get': ['policy', 'get'],
  'policy list': ['policy', 'list'],
  'forward start': ['forward', 'start'],
  'forward stop': ['forward', 'stop'],
  'forward list': ['forward', 'list'],
  logs: ['transfer', 'logs'],
  'rule get': ['rule', 'get'],
  'rule approve': ['rule', 'approve'],
  'rule reject': ['rule', 'reject'],
  'rule history': ['rule', 'history'],
  'workspace create': ['workspace', 'create'],
  'workspace get': ['workspace', 'get'],
  'workspace list': ['workspace', 'list'],
  'workspace delete': ['workspace', 'remove'],
};

const SECRET_NAME = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)(?:$|_)/i;

/**
 * One JSON line per call: argv, the names (never values) of secret-looking env vars, and the names
 * of every variable the call received, so a test can read what reached the child.
 */
function logInvocation(argv: string[], command: string | undefined): void {
  const file = process.env.OPENSHELL_SIM_LOG;
  if (!file) return;
  const secretEnv = Object.keys(process.env)
    .filter((k) => SECRET_NAME.test(k) && process.env[k])
    .sort();
  // `sh` (bin/openshell) adds PWD, SHLVL and `_` on its own; they are not what the caller passed.
  const envNames = Object.keys(process.env)
    .filter((k) => !['PWD', 'OLDPWD', 'SHLVL', '_'].includes(k))
    .sort();
  const line = {
    ts: Date.now(),
    pid: process.pid,
    argv,
    command: command ?? null,
    secretEnv,
    envNames,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** `a b:n[:code]` entries, comma-separated. */
function parseRules(env: string | undefined): { key: string; n: number; code: number }[] {
  return (env ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((rule) => {
      const [key = '', n = '0', code = '1'] = rule.split(':');
      return { key: key.trim(), n: Number(n), code: Number(code) };
    });
}

async function injectLatency(key: string): Promise<void> {
  for (const r of parseRules(process.env.OPENSHELL_SIM_LATENCY)) {
    if (r.key === key || r.key === '*') await sleep(r.n);
  }
}

/** The exit code to fail this call with, when OPENSHELL_SIM_FAIL names its ordinal. */
function injectedFault(key: string): number | undefined {
  const rules = parseRules(process.env.OPENSHELL_SIM_FAIL).filter((r) => r.key === key);
  if (rules.length === 0) return undefined;
  const call = update((s) => (s.calls[key] = (s.calls[key] ?? 0) + 1));
  return rules.find((r) => r.n === call)?.code;
}

function usage(e: UsageError): void {
  const path = ['openshell', ...e.usagePath].join(' ');
  process.stderr.write(
    `error: ${e.message}\n\nUsage: ${path} [OPTIONS]\n\nFor more information, try '--help'.\n`,
  );
}

function help(p: Parsed): string {
  const children = p.node.children?.map((c) => `  ${c.name}`).join('\n');
  const path = ['openshell', ...p.path].join(' ');
  if (children) return `Usage: ${path} <COMMAND>\n\nCommands:\n${children}\n`;
  const flags = (p.node.leaf?.flags ?? [])
    .map((f) => `  ${f.short ? `-${f.short}, ` : ''}${f.long ? `--${f.long}` : ''}`)
    .join('\n');
  return `Usage: ${path} [OPTIONS]\n\nFlags:\n${flags}\n`;
}

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgv(GRAMMAR, argv);
  } catch (e) {
    logInvocation(argv, undefined);
    if (e instanceof UsageError) {
      usage(e);
      return 2;
    }
    throw e;
  }
  const key = parsed.path.join(' ');
  logInvocation(argv, key);
  setWorkspace(parsed.global.workspace);
  if (parsed.version) {
    // Fault injection names it `--version` (its key is empty).
    const fault = injectedFault('--version');
    if (fault !== undefined) {
      process.stderr.write(formatMiette(`simulated failure of '--version' (OPENSHELL_SIM_FAIL)`));
      return fault;
    }
    out(`openshell ${process.env.OPENSHELL_SIM_VERSION ?? '0.0.111'}`);
    return 0;
  }
  if (parsed.help || !parsed.node.leaf) {
    out(help(parsed));
    return 0;
  }
  if (parsed.node.simulated === false) {
    process.stderr.write(
      `openshell-sim: '${key}' is a real command the simulator does not implement\n`,
    );
    return 64;
  }
  await injectLatency(key);
  const fault = injectedFault(key);
  if (fault !== undefined) {
    const msg = `simulated failure of '${key}' (OPENSHELL_SIM_FAIL)`;
    if (fault === 2) usage(new UsageError(msg, parsed.path));
    else process.stderr.write(formatMiette(msg));
    return fault;
  }
  try {
    const [file, fn] = HANDLERS[key]!;
    const mod = (await import(`./commands/${file}.ts`)) as Record<string, (p: Parsed) => unknown>;
    await mod[fn]!(parsed);
    return 0;
  } catch (e) {
    if (e instanceof SimExit) return e.exitCode;
    if (e instanceof SimError) {
      process.stderr.write(formatMiette(e.message));
      return e.exitCode;
    }
    process.stderr.write(
      formatMiette(`simulator internal error: ${(e as Error).stack ?? String(e)}`),
    );
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`openshell-sim crashed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(70);
  },
);
