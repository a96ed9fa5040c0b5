/**
 * Onboarding with Ollama, vLLM or NIM (product.md §9): use a server that already answers, or start
 * the container (usecases/local-inference.ts: GPU device request when the GPU and toolkit are
 * there, stop waiting the moment it dies), pull the Ollama model with progress, and check that a
 * sandbox can reach it the way sandboxes do: `host.openshell.internal` is the Engine's
 * `host-gateway`, the default bridge's gateway address, so a server bound to loopback only
 * answers this host but never a sandbox.
 */
import { UserError } from '../../core/errors.ts';
import { MANAGED_BY_LABEL } from '../../core/gateway-plan.ts';
import {
  engineOfProvider,
  localServerPlan,
  pullProgressLine,
  type LocalServerPlan,
} from '../../core/local-server.ts';
import type { ProviderSpec } from '../../core/providers.ts';
import { registerSecret } from '../../core/redact.ts';
import type { StepEnv } from './types.ts';

export interface LocalServer {
  hostBase: string;
  gatewayBase: string;
  model?: string;
}

export async function ensureLocalServer(s: StepEnv, spec: ProviderSpec): Promise<LocalServer> {
  const kind = engineOfProvider(spec.key)!;
  const env = s.ctx.env;
  const labels = { [MANAGED_BY_LABEL]: 'nemoclaw', ...s.deps.extraLabels };
  const base = (gpu: boolean, ngcApiKey?: string) =>
    localServerPlan(kind, { env, gpu, model: s.intent.model || undefined, ngcApiKey, labels });
  let plan: LocalServerPlan = base(false);
  const fetchImpl = s.deps.fetchImpl;
  const found = await (await s.deps.http()).listModels(plan.hostBase, { fetchImpl });
  if ('ids' in found) {
    s.progress.detail(`Found ${spec.label} already answering at ${plan.hostBase}.`);
  } else {
    const { resolveGpu } = await import('../gpu.ts');
    const engine = await s.deps.engine();
    const gpu = await resolveGpu({ probe: await s.deps.gpuProbe(), env, engine }, s.intent.gpu);
    let ngc: string | undefined;
    if (kind === 'nim') {
      ngc = env.NGC_API_KEY?.trim();
      if (!ngc)
        throw new UserError('A local NIM needs NGC_API_KEY to download its model.', {
          kind: 'invalid',
          hint: 'Set NGC_API_KEY (from ngc.nvidia.com) and run: nemoclaw onboard --resume',
        });
      registerSecret(ngc);
    }
    plan = base(gpu.enabled, ngc);
    s.progress.detail(gpu.enabled ? 'Using the GPU for local inference.' : gpu.reason);
    const { createVolume, volumeExists } = await s.deps.docker();
    if (!(await volumeExists(engine, plan.volume))) await createVolume(engine, plan.volume, labels);
    const { startLocalInference } = await import('../local-inference.ts');
    const timeoutMs = Number(env.NEMOCLAW_LOCAL_INFERENCE_TIMEOUT_MS) || undefined;
    const r = await startLocalInference(
      { docker: s.deps.docker, engine, onProgress: (l) => s.progress.detail(l), fetchImpl },
      plan.spec,
      { timeoutMs },
    );
    s.progress.detail(
      `${plan.spec.containerName} ${r.reused ? 'was already running' : 'is up'} at ${plan.hostBase}.`,
    );
  }
  if (kind === 'ollama' && plan.model) await ollamaPull(s, plan.hostBase, plan.model);
  await checkReachable(s, spec, plan);
  return { hostBase: plan.hostBase, gatewayBase: plan.gatewayBase, model: plan.model };
}

/** Pulls the model unless the server has it, with progress; Ollama reports errors in the stream. */
async function ollamaPull(s: StepEnv, hostBase: string, model: string): Promise<void> {
  const fetchImpl = s.deps.fetchImpl ?? fetch;
  const root = hostBase.replace(/\/v1$/, '');
  const have = await (await s.deps.http()).listModels(hostBase, { fetchImpl: s.deps.fetchImpl });
  if ('ids' in have && have.ids.includes(model)) return;
  s.progress.detail(`Pulling ${model} into Ollama (kept in its model volume)…`);
  const res = await fetchImpl(`${root}/api/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true }),
  });
  if (!res.ok || !res.body) {
    throw new UserError(`Ollama refused to pull ${model} (HTTP ${res.status}).`, {
      hint: 'Check the model name at ollama.com/library and resume with --model <name>.',
    });
  }
  const decoder = new TextDecoder();
  let buf = '';
  let last = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let doc: { status?: string; total?: number; completed?: number; error?: string };
      try {
        doc = JSON.parse(line) as typeof doc;
      } catch {
        continue;
      }
      if (doc.error) {
        throw new UserError(`Ollama could not pull ${model}: ${doc.error}`, {
          kind: 'invalid',
          hint: 'Check the model name at ollama.com/library, then run: nemoclaw onboard --resume --model <name>',
        });
      }
      const text = pullProgressLine(doc);
      // A line per new step, and per tenth of a download: bounded output, whatever the speed.
      const step = `${doc.status ?? ''}:${doc.total ? Math.floor(((doc.completed ?? 0) / doc.total) * 10) : ''}`;
      if (text && step !== last) {
        last = step;
        s.progress.detail(`  ${model}: ${text}`);
      }
    }
  }
}

/** What a sandbox sees: the server through the default bridge's gateway address. */
async function checkReachable(s: StepEnv, spec: ProviderSpec, plan: LocalServerPlan) {
  const { bridgeGateway } = await s.deps.docker();
  const gw = await bridgeGateway(await s.deps.engine());
  if (!gw) return;
  const url = plan.hostBase.replace('//127.0.0.1', `//${gw}`);
  const r = await (await s.deps.http()).listModels(url, { fetchImpl: s.deps.fetchImpl });
  if ('ids' in r) return;
  throw new UserError(
    `${spec.label} answers on this host but not at ${url}, where sandboxes reach it (host.openshell.internal).`,
    {
      kind: 'invalid',
      hint:
        spec.key === 'ollama'
          ? 'Make Ollama listen on every interface (OLLAMA_HOST=0.0.0.0, e.g. `systemctl edit ollama`), or stop it so onboarding starts its own container; then run: nemoclaw onboard --resume'
          : 'Make the server listen on 0.0.0.0 (not 127.0.0.1), or stop it so onboarding starts its own container; then run: nemoclaw onboard --resume',
    },
  );
}
