import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/adapters/docker/engine.ts';
import { parseKernelRelease } from '../../src/core/posture.ts';
import { enforcementPart } from '../../src/usecases/posture.ts';
import { realAdapters } from '../helpers/adapter-world.ts';
import { skipWithoutDocker } from '../helpers/docker.ts';

const skip = await skipWithoutDocker('host posture against the engine');

describe.skipIf(skip)('status: what the host can enforce (real Engine)', () => {
  it('reads the Engine kernel and cgroup version, and says whether Landlock applies', async () => {
    const engine = await connectEngine(process.env);
    const part = await enforcementPart({ ...realAdapters(), engine: async () => engine }, false);
    // The Engine here is this host's, so its kernel is os.release().
    const v = parseKernelRelease(release())!;
    const landlockKernel = v.major > 5 || (v.major === 5 && v.minor >= 13);
    expect(part.landlock).toBe(landlockKernel);
    expect(part.summary).toMatch(landlockKernel ? /Landlock filesystem rules: Linux/ : /5\.13/);
    expect(part.cgroup).toMatch(/^[12]$/);
  });

  it('a remote gateway is not observed from here and says so', async () => {
    const part = await enforcementPart(
      { ...realAdapters(), engine: async () => Promise.reject(new Error('x')) },
      true,
    );
    expect(part.summary).toMatch(/remote gateway/);
  });

  it('an Engine that cannot be asked is a warning, never ok', async () => {
    const part = await enforcementPart(
      { ...realAdapters(), engine: async () => Promise.reject(new Error('no engine')) },
      false,
    );
    expect(part.state).toBe('warn');
    expect(part.landlock).toBeNull();
  });
});
