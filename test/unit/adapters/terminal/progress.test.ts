/**
 * The image build on a terminal is one line that changes in place (issue 19): the step, the
 * instruction and the context bytes sent; each finished step says how long it took.
 */
import { describe, expect, it } from 'vitest';
import { formatBuildStatus, formatBytes } from '../../../../src/core/build-stream.ts';
import { createProgress, formatDuration } from '../../../../src/adapters/terminal/progress.ts';
import { createUi } from '../../../../src/adapters/terminal/ui.ts';

function terminal(columns = 80) {
  let text = '';
  return {
    isTTY: true,
    columns,
    write(s: string) {
      text += s;
      return true;
    },
    get text() {
      return text;
    },
  };
}

/** What a terminal shows after the writes: each \r returns to the line start, ESC[2K clears it. */
function screen(raw: string): string[] {
  const lines: string[] = [''];
  // eslint-disable-next-line no-control-regex
  for (const part of raw.split(/(\r|\n|\u001b\[2K)/)) {
    if (part === '\n') lines.push('');
    else if (part === '\r' || part === '\u001b[2K') lines[lines.length - 1] = '';
    else lines[lines.length - 1] += part;
  }
  return lines.filter(Boolean);
}

describe('build progress line', () => {
  it('names the step, the instruction and the bytes sent, within the width', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBuildStatus({ contextBytes: 2048 })).toBe('sending the build context: 2.0 KB');
    const line = formatBuildStatus(
      {
        step: { n: 3, of: 12, instruction: `RUN apt-get install -y ${'pkg '.repeat(40)}` },
        contextBytes: 3 * 1024 * 1024,
      },
      70,
    );
    expect(line.length).toBeLessThanOrEqual(70);
    expect(line).toMatch(/^step 3\/12: RUN apt-get install -y pkg .*… · 3\.0 MB of context sent$/);
  });

  it('on a terminal, status updates rewrite the spinner line and never add one', () => {
    const err = terminal(90);
    const out = terminal();
    const ui = createUi({ stdout: out, stderr: err, stdinIsTTY: true });
    let t = 1000;
    const p = createProgress(ui, err, () => t);
    p.start(5, 8, 'Building the sandbox image');
    for (let i = 1; i <= 20; i++)
      p.status(
        formatBuildStatus(
          { step: { n: i, of: 20, instruction: `RUN step-${i}` }, contextBytes: 4096 },
          60,
        ),
      );
    expect(screen(err.text)).toEqual([
      '⠋ [5/8] Building the sandbox image — step 20/20: RUN step-20 · 4.0 KB of context sent',
    ]);
    t += 12_300;
    p.done('built nemoclaw/sandbox:x');
    expect(screen(err.text)).toEqual([
      '✓ [5/8] Building the sandbox image — built nemoclaw/sandbox:x (12s)',
    ]);
  });

  it('without a terminal, status prints nothing and done carries the duration', () => {
    const lines: string[] = [];
    const sink = { write: (s: string) => (lines.push(s), true) };
    const ui = createUi({ stdout: sink, stderr: sink, stdinIsTTY: false });
    let t = 0;
    const p = createProgress(ui, { write: () => true }, () => t);
    p.start(1, 8, 'Preflight');
    p.status('step 1/2: FROM x');
    t = 400;
    p.done('ok');
    expect(lines.join('')).toBe('[1/8] Preflight\n  ✓ ok (0.4s)\n');
  });

  it('durations read as a person would say them', () => {
    expect(formatDuration(420)).toBe('0.4s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });
});
