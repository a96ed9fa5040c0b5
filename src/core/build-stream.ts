/**
 * Reads the Engine's image-build stream (JSON objects: `{stream}`, `{status}`, `{aux}`,
 * `{error, errorDetail}`) and remembers enough to explain a failure: the step that failed and the
 * last lines it printed. Pure: the adapter feeds it parsed objects.
 */
import { NemoclawError } from './errors.ts';
import { oomExplanation } from './posture.ts';

export interface BuildEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

const STEP_RE = /^Step (\d+)\/(\d+) : (.*)$/;
const TAIL_LINES = 30;

export class BuildTracker {
  step: { n: number; of: number; instruction: string } | undefined;
  imageId: string | undefined;
  error: string | undefined;
  #stepOutput: string[] = [];

  /** Returns the lines worth showing as progress. */
  feed(ev: BuildEvent): string[] {
    if (ev.error || ev.errorDetail) {
      this.error = (ev.errorDetail?.message ?? ev.error ?? 'unknown error').trim();
      return [];
    }
    if (ev.aux?.ID) this.imageId = ev.aux.ID;
    const out: string[] = [];
    const text = ev.stream ?? (ev.status ? `${ev.id ? `${ev.id}: ` : ''}${ev.status}\n` : '');
    for (const raw of text.split('\n')) {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\u001b\[[0-9;]*m|\r/g, '').trimEnd();
      if (!line) continue;
      const m = STEP_RE.exec(line);
      if (m) {
        this.step = { n: Number(m[1]), of: Number(m[2]), instruction: m[3]! };
        this.#stepOutput = [];
      } else {
        this.#stepOutput.push(line);
        if (this.#stepOutput.length > TAIL_LINES) this.#stepOutput.shift();
      }
      const legacyId = /^Successfully built ([0-9a-f]+)$/.exec(line);
      if (legacyId && !this.imageId) this.imageId = legacyId[1];
      out.push(line);
    }
    return out;
  }

  /** What the failing step printed, without the engine's own ` ---> ` bookkeeping lines. */
  stepTail(): string[] {
    return this.#stepOutput.filter(
      (l) => !/^ ---> |^Removing intermediate container |^Running in [0-9a-f]+$/.test(l),
    );
  }

  failure(image: string, hint: string): NemoclawError {
    const where = this.step
      ? `step ${this.step.n}/${this.step.of} (${this.step.instruction})`
      : 'before the first step';
    const tail = this.stepTail();
    const oom = /\b137\b/.test(this.error ?? '') ? ` ${oomExplanation('The build step')}` : '';
    const shown = tail.length > 0 ? `\n--- output of the failing step ---\n${tail.join('\n')}` : '';
    return new NemoclawError(
      'failed',
      `Building ${image} failed at ${where}: ${this.error}.${oom}${shown}`,
      {
        hint,
        detail: { image, step: this.step, error: this.error, output: tail },
      },
    );
  }
}

/** "1.2 MB" style sizes for the progress line. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/**
 * The one progress line of an image build: `step n/m: <instruction> · <bytes> of context sent`,
 * cut to `width` characters (the instruction is what gets shortened).
 */
export function formatBuildStatus(
  s: { step?: { n: number; of: number; instruction: string }; contextBytes: number },
  width = 80,
): string {
  const sent = `${formatBytes(s.contextBytes)} of context sent`;
  if (!s.step) return `sending the build context: ${formatBytes(s.contextBytes)}`.slice(0, width);
  const head = `step ${s.step.n}/${s.step.of}: `;
  const tail = ` · ${sent}`;
  const room = Math.max(8, width - head.length - tail.length);
  const instr = s.step.instruction.replace(/\s+/g, ' ');
  const shown = instr.length > room ? `${instr.slice(0, room - 1)}…` : instr;
  return `${head}${shown}${tail}`;
}
