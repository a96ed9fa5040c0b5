/**
 * Step 4: the inference provider. Validate with one real request, register it in the gateway with
 * its credential passed only through the child's environment, and point `inference.local` at it.
 */
import { NemoclawError, UserError } from '../../core/errors.ts';
import { judgeProbe, type ProbeVerdict } from '../../core/onboard/probe-result.ts';
import {
  findProvider,
  LOCAL_PLACEHOLDER_KEY,
  MODEL_RE,
  availableProviders,
  type ProviderSpec,
} from '../../core/providers.ts';
import { dialectOf } from '../../core/probe-shape.ts';
import { registerSecret } from '../../core/redact.ts';
import type { StepEnv } from './types.ts';
import { validateKey } from './wizard.ts';
import { onboardWorkspace, scopedClient } from './workspace.ts';
import { sharesRoute } from '../../core/workspace.ts';

/** The gateway reaches the host as host.openshell.internal; this host reaches itself on loopback. */
export function hostView(url: string): string {
  return url.replace('//host.openshell.internal', '//127.0.0.1');
}

export function providerBaseUrl(spec: ProviderSpec, endpointUrl: string | undefined): string {
  const u = endpointUrl ?? spec.baseUrl;
  if (!u)
    throw new UserError(`Provider ${spec.key} needs an endpoint URL.`, {
      kind: 'invalid',
      hint: 'Pass --endpoint-url URL or set NEMOCLAW_ENDPOINT_URL.',
    });
  return u;
}

async function obtainKey(s: StepEnv, spec: ProviderSpec): Promise<string | undefined> {
  if (!spec.userEnv) return undefined;
  const fromEnv = s.ctx.env[spec.userEnv]?.trim();
  if (fromEnv) return fromEnv;
  if (s.apiKey) return s.apiKey;
  if (!s.deps.prompter) {
    throw new UserError(`Provider ${spec.label} needs an API key in ${spec.userEnv}.`, {
      kind: 'invalid',
      hint: `Set ${spec.userEnv} in the environment and run: nemoclaw onboard --resume`,
    });
  }
  const key = await s.deps.prompter.password(`${spec.label} API key (${spec.userEnv})`, {
    validate: validateKey,
  });
  return key.trim().replace(/\r/g, '');
}

async function chooseLocalModel(s: StepEnv, spec: ProviderSpec, hostBase: string): Promise<string> {
  const r = await (await s.deps.http()).listModels(hostBase, { fetchImpl: s.deps.fetchImpl });
  if ('failure' in r) {
    const v = judgeProbe(r.failure, { provider: spec.label, model: '', url: hostBase });
    throw new UserError(`Cannot list the models of ${spec.label}: ${v.reason}`, { hint: v.fix });
  }
  if (r.ids.length === 0) {
    throw new UserError(`${spec.label} at ${hostBase} serves no model.`, {
      hint:
        spec.key === 'ollama'
          ? 'Pull one first: ollama pull <model>'
          : 'Start the server with a model.',
    });
  }
  if (s.deps.prompter && r.ids.length > 1) {
    const { searchOrInput } = await import('../../core/prompt-choice.ts');
    const { modelChoices } = await import('../../core/onboard/model-choices.ts');
    const valid = (v: string) => MODEL_RE.test(v.trim());
    return searchOrInput(s.deps.prompter, 'Model (type to search)', {
      source: (t) => modelChoices(r.ids, t, { default: r.ids[0], valid }),
      default: r.ids[0],
      validate: (v) => (valid(v) ? true : 'Letters, digits and . _ : / - only.'),
    });
  }
  return r.ids[0]!;
}

/**
 * What to run after a failed check without a terminal. `--resume` keeps every answer, so it only
 * helps when what failed lives outside the session (the key in the environment, a server that was
 * down); a wrong model or URL needs a new onboarding with the corrected flag.
 */
function nextCommand(v: ProbeVerdict, spec: ProviderSpec): string {
  switch (v.next) {
    case 'key':
      return `Then set ${spec.userEnv ?? 'the key'} and run: nemoclaw onboard --resume`;
    case 'model':
      return 'Then resume with the right model: nemoclaw onboard --resume --model <id>';
    case 'endpoint':
      return 'If the server was down, start it and run: nemoclaw onboard --resume; for another URL: nemoclaw onboard --resume --endpoint-url <url>';
    case 'provider':
      return 'Then run onboarding again with another provider: nemoclaw onboard --provider <key> plus your other flags';
    default:
      return 'Then run: nemoclaw onboard --resume';
  }
}

/** Validates the provider; in interactive mode, offers to fix what failed until it passes or the user quits. */
async function validate(s: StepEnv): Promise<{
  spec: ProviderSpec;
  model: string;
  baseUrl: string;
  key?: string;
  verdict: ProbeVerdict;
}> {
  for (;;) {
    const spec = findProvider(s.intent.provider)!;
    let baseUrl = providerBaseUrl(spec, s.intent.endpointUrl);
    let hostBase = hostView(spec.hostBaseUrl && !s.intent.endpointUrl ? spec.hostBaseUrl : baseUrl);
    if (spec.local && !s.intent.endpointUrl) {
      // Found answering, or started here; either way on the port this onboarding uses.
      const { ensureLocalServer } = await import('./local-server.ts');
      const server = await ensureLocalServer(s, spec);
      baseUrl = server.gatewayBase;
      hostBase = server.hostBase;
      if (!s.intent.model && server.model) s.intent.model = server.model;
    }
    let model = s.intent.model;
    if (!model && spec.local) model = await chooseLocalModel(s, spec, hostBase);
    const key = await obtainKey(s, spec);
    if (key) registerSecret(key);
    s.progress.detail(`Checking ${spec.label} with model ${model}…`);
    const outcome = await (
      await s.deps.http()
    ).probeProvider({
      api: spec.api,
      dialect: dialectOf(spec.key, spec.api),
      baseUrl: hostBase,
      model,
      apiKey: key,
      fetchImpl: s.deps.fetchImpl,
    });
    const verdict = judgeProbe(outcome, {
      provider: spec.label,
      model,
      keyEnv: spec.userEnv,
      url: hostBase,
    });
    if (verdict.ok) return { spec, model, baseUrl, key, verdict };
    if (!s.deps.prompter) {
      throw new UserError(verdict.reason, {
        hint: `${verdict.fix ?? ''} ${nextCommand(verdict, spec)}`.trim(),
        detail: { provider: spec.key },
      });
    }
    s.progress.detail(`✗ ${verdict.reason}`);
    if (verdict.fix) s.progress.detail(`  ${verdict.fix}`);
    const choices = [
      ...(spec.userEnv ? [{ value: 'key' as const, name: 'Re-enter the API key' }] : []),
      { value: 'model' as const, name: 'Choose another model' },
      { value: 'endpoint' as const, name: 'Change the endpoint URL' },
      { value: 'provider' as const, name: 'Choose another provider' },
      { value: 'retry' as const, name: 'Retry' },
      { value: 'quit' as const, name: 'Quit (resume later with: nemoclaw onboard --resume)' },
    ];
    const next =
      verdict.next && choices.some((c) => c.value === verdict.next) ? verdict.next : 'retry';
    const move = await s.deps.prompter.select('What would you like to do?', choices, next);
    if (move === 'quit')
      throw new NemoclawError('canceled', 'Onboarding stopped at the provider step.', {
        hint: 'Run: nemoclaw onboard --resume',
      });
    if (move === 'key') {
      if (spec.userEnv && s.ctx.env[spec.userEnv]) {
        s.progress.detail(`${spec.userEnv} from the environment was rejected; enter another key.`);
        delete (s.ctx.env as Record<string, string | undefined>)[spec.userEnv];
      }
      s.apiKey = undefined;
      s.apiKey = await obtainKey(s, spec);
    } else if (move === 'model') {
      s.intent.model = await s.deps.prompter.input('Model', {
        default: s.intent.model,
        validate: (v) => (MODEL_RE.test(v.trim()) ? true : 'Letters, digits and . _ : / - only.'),
      });
    } else if (move === 'endpoint') {
      s.intent.endpointUrl = await s.deps.prompter.input('Endpoint base URL', { default: baseUrl });
    } else if (move === 'provider') {
      const experimental = s.ctx.env.NEMOCLAW_EXPERIMENTAL === '1';
      s.intent.provider = await s.deps.prompter.select(
        'Inference provider',
        availableProviders(experimental).map((p) => ({ value: p.key, name: p.label })),
        s.intent.provider,
      );
      const next = findProvider(s.intent.provider)!;
      s.intent.model = next.defaultModel ?? '';
      s.intent.endpointUrl = undefined;
      s.apiKey = undefined;
      if (!next.baseUrl) s.intent.endpointUrl = await s.deps.prompter.input('Endpoint base URL');
      if (!next.defaultModel && !next.local) s.intent.model = await s.deps.prompter.input('Model');
    }
    s.session.intent = s.intent;
    await s.save();
  }
}

export async function providerStep(s: StepEnv): Promise<string> {
  const { spec, model, baseUrl, key, verdict } = await validate(s);
  if (verdict.warning) s.progress.detail(`Warning: ${verdict.warning}`);
  const os = await scopedClient(s);
  const credentialKey = spec.credentialKey ?? 'OPENAI_API_KEY';
  const value = key ?? LOCAL_PLACEHOLDER_KEY;
  const options = {
    name: spec.openshellName,
    type: spec.openshellType,
    credentialEnv: [credentialKey],
    env: { [credentialKey]: value },
    config: spec.baseUrlConfigKey ? { [spec.baseUrlConfigKey]: baseUrl } : undefined,
  };
  const existing = await os.providerGet(spec.openshellName);
  if (existing) await os.providerUpdate(options);
  else await os.providerCreate(options);

  // One inference route serves every sandbox in this workspace: say so when this changes it.
  const route = (await os.inferenceGet()).route;
  if (route && (route.provider !== spec.openshellName || route.model !== model)) {
    const reg = await s.ctx.registry().read();
    const here = {
      gatewayName: s.session.outputs.gatewayName ?? 'nemoclaw',
      workspace: await onboardWorkspace(s),
    };
    const others = Object.values(reg.sandboxes).filter(
      (e) => e.name !== s.intent.sandboxName && sharesRoute(e, here),
    );
    if (others.length > 0) {
      s.ctx.ui.warn(
        `The inference route is shared by every sandbox in workspace ${here.workspace}: ${others.map((o) => o.name).join(', ')} will now use ${model} via ${spec.openshellName} too (was ${route.model} via ${route.provider}).`,
      );
    }
  }
  await os.inferenceSet({ provider: spec.openshellName, model, noVerify: true });
  s.intent.model = model;
  s.session.outputs.providerName = spec.openshellName;
  s.session.outputs.model = model;
  return `${model} via ${spec.label}`;
}
