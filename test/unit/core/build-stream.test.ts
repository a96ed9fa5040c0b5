import { describe, expect, it } from 'vitest';
import { BuildTracker } from '../../../src/core/build-stream.ts';

describe('build stream', () => {
  it('keeps the failing step and its output', () => {
    const t = new BuildTracker();
    t.feed({ stream: 'Step 1/2 : FROM base\n' });
    t.feed({ stream: ' ---> 1234\n' });
    t.feed({ stream: 'Step 2/2 : RUN make\n' });
    t.feed({ stream: ' ---> Running in abc\n' });
    expect(t.feed({ stream: '\u001b[91mcc: error\n\u001b[0m' })).toEqual(['cc: error']);
    t.feed({
      errorDetail: {
        code: 2,
        message: "The command '/bin/sh -c make' returned a non-zero code: 2",
      },
      error: 'x',
    });
    const e = t.failure('img:1', 'fix it');
    expect(e.message).toContain('failed at step 2/2 (RUN make)');
    expect(e.message).toContain('cc: error');
    expect(e.message).not.toContain('--->');
    const oom = new BuildTracker();
    oom.feed({ error: "The command '/bin/sh -c npm ci' returned a non-zero code: 137" });
    expect(oom.failure('i', 'h').message).toMatch(/OOM killer/);
  });
});
