/**
 * Host GPU facts: `nvidia-smi` and `nvidia-ctk` (run with execa, found on the given PATH) and the
 * CDI spec folders. A missing binary is an answer ("none"), not an error.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi, type GpuInfo } from '../../core/gpu.ts';

export type Env = Record<string, string | undefined>;

export const CDI_DIRS = ['/etc/cdi', '/var/run/cdi'];

async function run(
  file: string,
  args: string[],
  env: Env,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  const r = await execa(file, args, {
    env: env as NodeJS.ProcessEnv,
    extendEnv: false,
    reject: false,
    timeout: 15_000,
    stdin: 'ignore',
  });
  return {
    ok: r.exitCode === 0 && !r.failed,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
  };
}

/** The GPUs `nvidia-smi` lists; [] when it is absent or fails (no driver, no GPU). */
export async function queryNvidiaSmi(
  env: Env = process.env,
): Promise<{ gpus: GpuInfo[]; error?: string }> {
  const r = await run('nvidia-smi', NVIDIA_SMI_ARGS, env);
  if (!r.ok) return { gpus: [], error: (r.stderr || r.stdout).trim().split('\n')[0] || undefined };
  return { gpus: parseNvidiaSmi(r.stdout) };
}

/** The toolkit CLI's version line, or undefined when it is not installed. */
export async function nvidiaCtkVersion(env: Env = process.env): Promise<string | undefined> {
  const r = await run('nvidia-ctk', ['--version'], env);
  if (!r.ok) return undefined;
  const m = /version\s+v?([0-9][^\s,]*)/i.exec(r.stdout);
  return m?.[1] ?? (r.stdout.trim().split('\n')[0] || 'unknown');
}

/** CDI spec files that declare NVIDIA devices. */
export async function nvidiaCdiSpecs(dirs: string[] = CDI_DIRS): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.filter((x) => /\.(ya?ml|json)$/.test(x)).sort()) {
      const text = await readFile(join(dir, n), 'utf8').catch(() => '');
      if (/nvidia\.com\/gpu/.test(text)) found.push(join(dir, n));
    }
  }
  return found;
}
