/** `policy-list`, `policy-get` and `policy-check`: read the live policy, change nothing. */
import type { Context } from '../context.ts';
import { errorMessage, UsageError } from '../core/errors.ts';
import {
  checkRequest,
  presetsThatAllow,
  requestFromUrl,
  type CheckDecision,
  type CheckRequest,
} from '../core/policy/check.ts';
import { parseEffectivePolicy } from '../core/policy/parse.ts';
import { isApplied } from '../core/policy/presets.ts';
import type { NetworkPolicies } from '../core/policy/schema.ts';
import {
  customPatch,
  livePolicyYaml,
  presetsOf,
  sandboxEntry,
  type PolicyDeps,
} from './policy-shared.ts';

/** The methods an OpenShell REST rule can name (and `*`). */
const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
];

type ReadDeps = Pick<PolicyDeps, 'openshell' | 'presets'>;

async function liveNetworkPolicies(deps: ReadDeps, sandbox: string): Promise<NetworkPolicies> {
  const yaml = await livePolicyYaml(deps, sandbox);
  return parseEffectivePolicy(yaml, `the live policy of sandbox ${sandbox}`).networkPolicies;
}

export async function policyList(
  ctx: Context,
  deps: ReadDeps,
  o: { sandbox: string; json?: boolean },
): Promise<number> {
  const entry = await sandboxEntry(ctx, o.sandbox);
  const presets = await presetsOf(deps);
  let live: NetworkPolicies | undefined;
  try {
    live = await liveNetworkPolicies(deps, o.sandbox);
  } catch (e) {
    ctx.ui.warn(
      `Cannot read the live policy (${errorMessage(e)}); showing what the registry records.`,
    );
  }
  const row = (
    name: string,
    description: string,
    recorded: boolean,
    applied: boolean,
    custom: boolean,
  ) => ({
    name,
    description,
    applied,
    recorded,
    custom,
  });
  const rows = [
    ...presets.map((p) => {
      const recorded = entry.presets.includes(p.name);
      return row(p.name, p.description, recorded, live ? isApplied(p, live) : recorded, false);
    }),
    ...entry.customPolicies.map((c) => {
      const patch = customPatch(c);
      return row(c.name, 'custom policy', true, live ? isApplied(patch, live) : true, true);
    }),
  ];
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      sandbox: o.sandbox,
      tier: entry.policyTier,
      source: live ? 'live' : 'registry',
      presets: rows,
    });
    return 0;
  }
  ctx.ui.out(`Policy presets for sandbox ${o.sandbox} (tier ${entry.policyTier}):`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const mark = r.applied ? ctx.ui.style.green('●') : '○';
    let note = '';
    if (r.recorded && !r.applied)
      note = `  (recorded but missing from the live policy; run policy-add ${r.name})`;
    if (!r.recorded && r.applied) note = '  (in the live policy, not recorded by nemoclaw)';
    ctx.ui.out(`  ${mark} ${r.name.padEnd(width)}  ${r.description}${note}`);
  }
  ctx.ui.out('');
  ctx.ui.out('● applied  ○ not applied');
  return 0;
}

export async function policyGet(
  ctx: Context,
  deps: ReadDeps,
  o: { sandbox: string; raw?: boolean },
): Promise<number> {
  await sandboxEntry(ctx, o.sandbox);
  const view = await deps.openshell.policyGet(o.sandbox);
  const yaml = (view.yaml ?? '').trimEnd();
  if (o.raw) {
    ctx.ui.out(yaml);
    return 0;
  }
  // Metadata as YAML comments, so the output is still a policy document.
  ctx.ui.out(`# Effective policy of sandbox ${o.sandbox}`);
  ctx.ui.out(`# version ${view.version}, hash ${view.hash}, status ${view.status}`);
  ctx.ui.out('# Entries named _provider_* are composed by OpenShell from attached providers.');
  ctx.ui.out(yaml);
  return 0;
}

export interface PolicyCheckOptions {
  sandbox: string;
  url: string;
  method?: string;
  binary?: string;
  json?: boolean;
}

export async function policyCheck(
  ctx: Context,
  deps: ReadDeps,
  o: PolicyCheckOptions,
): Promise<number> {
  const req = parseCheckRequest(o);
  await sandboxEntry(ctx, o.sandbox);
  const policies = await liveNetworkPolicies(deps, o.sandbox);
  const decision = checkRequest(policies, req);
  let suggestions: string[] = [];
  if (decision.decision === 'deny') {
    const presets = await presetsOf(deps);
    suggestions = presetsThatAllow(
      presets.filter((p) => !isApplied(p, policies)),
      req,
    );
  }
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      sandbox: o.sandbox,
      request: { ...req, url: o.url },
      ...decision,
      suggestions,
    });
  } else {
    for (const line of describeDecision(decision, req, o, suggestions)) ctx.ui.out(line);
  }
  return decision.decision === 'allow' ? 0 : 1;
}

function parseCheckRequest(o: PolicyCheckOptions): CheckRequest {
  if (o.method !== undefined && !HTTP_METHODS.includes(o.method.toUpperCase())) {
    throw new UsageError(`--method ${o.method} is not an HTTP method.`, {
      hint: `One of ${HTTP_METHODS.join(', ')}. Example: --method POST`,
    });
  }
  if (o.binary !== undefined && !o.binary.startsWith('/')) {
    throw new UsageError(`--binary ${o.binary} must be an absolute path in the sandbox.`, {
      hint: 'Example: --binary /usr/bin/curl',
    });
  }
  try {
    return requestFromUrl(o.url, { method: o.method, binary: o.binary });
  } catch (e) {
    throw new UsageError(`${o.url} is not a URL nemoclaw can check: ${errorMessage(e)}.`, {
      hint: 'Example: nemoclaw <name> policy-check https://registry.npmjs.org/left-pad',
    });
  }
}

function describeDecision(
  d: CheckDecision,
  req: CheckRequest,
  o: PolicyCheckOptions,
  suggestions: string[],
): string[] {
  const head = `${req.method} ${o.url}${req.binary ? ` from ${req.binary}` : ''}`;
  const lines: string[] = [];
  if (d.decision === 'allow') {
    lines.push(`ALLOWED  ${head}`);
    lines.push(
      `  by network_policies.${d.by.key}.endpoints[${d.by.endpoint}] ${d.by.rule}: ${d.by.summary}`,
    );
    if (!req.binary)
      lines.push(`  only for these binaries (or their children): ${d.binaries.join(', ')}`);
    return lines;
  }
  lines.push(`DENIED   ${head}`);
  switch (d.reason) {
    case 'deny-rule':
      lines.push(
        `  by network_policies.${d.by.key}.endpoints[${d.by.endpoint}] ${d.by.rule}: ${d.by.summary} (deny rules win over allow rules)`,
      );
      break;
    case 'binary':
      lines.push(
        `  ${req.host}:${req.port} is allowed by ${d.keys.join(', ')}, but not for ${req.binary}.`,
      );
      lines.push(`  allowed binaries: ${d.binaries.join(', ')}`);
      break;
    case 'l7':
      lines.push(
        `  ${req.host}:${req.port} is reachable through ${d.keys.join(', ')}, but no rule allows ${req.method} ${req.path}.`,
      );
      break;
    case 'no-endpoint':
      lines.push(`  no network policy entry allows ${req.host}:${req.port}.`);
      break;
  }
  if (suggestions.length > 0) {
    lines.push(
      `  the preset ${suggestions.join(' or ')} would allow it: nemoclaw ${o.sandbox} policy-add ${suggestions[0]}`,
    );
  } else {
    lines.push(
      `  no preset allows it; a custom policy can: nemoclaw ${o.sandbox} policy-add --from-file <file>`,
    );
  }
  return lines;
}
