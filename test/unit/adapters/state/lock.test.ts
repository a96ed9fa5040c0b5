import { readFileSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, lockHolder } from '../../../../src/adapters/state/lock.ts';
import { writeFileAtomic } from '../../../../src/adapters/state/atomic.ts';
import { NemoclawError } from '../../../../src/core/errors.ts';
import { useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-state-' });

describe('locks', () => {
  it('names the live holder when it cannot get the lock', async () => {
    const path = join(t.home, 'x.lock');
    const held = await acquireLock(path, { command: 'onboard --name a' });
    const err = await acquireLock(path, { timeoutMs: 0, what: 'onboarding' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).kind).toBe('conflict');
    expect((err as NemoclawError).message).toContain(`PID ${process.pid}`);
    expect((await lockHolder(path))?.pid).toBe(process.pid);
    await held.release();
    expect(await lockHolder(path)).toBeUndefined();
  });

  it('takes over a lock whose holder is dead', async () => {
    const path = join(t.home, 'y.lock');
    mkdirSync(t.home, { recursive: true });
    writeFileSync(
      path,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: (await import('node:os')).hostname(),
        command: 'x',
        acquiredAt: '',
      }),
    );
    const lock = await acquireLock(path, { timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('removes temp files that killed writers left, and only those', async () => {
    const path = join(t.home, 'g.json');
    const dead = join(t.home, '.g.json.4194999.deadbeef.tmp');
    const mine = join(t.home, `.g.json.${process.pid}.cafef00d.tmp`);
    const other = join(t.home, '.other.json.4194999.deadbeef.tmp');
    for (const f of [dead, mine, other]) writeFileSync(f, 'partial');
    await writeFileAtomic(path, 'new');
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('writes atomically: the old content or the new, never a mix', async () => {
    const path = join(t.home, 'f.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
