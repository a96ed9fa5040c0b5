/**
 * Ctrl-C while a command streams (logs --follow): the handler replaces Node's default exit so the
 * command can stop its child and finish normally. Returns the function that removes it.
 */
export function onInterrupt(handler: () => void): () => void {
  const h = () => handler();
  process.on('SIGINT', h);
  process.on('SIGTERM', h);
  return () => {
    process.off('SIGINT', h);
    process.off('SIGTERM', h);
  };
}

/**
 * While a long operation runs, Ctrl-C (or SIGTERM) says what was interrupted and how to go on,
 * then exits 130 (issue 18 item 8). Returns the function that ends the activity; nested
 * activities report the innermost one.
 */
const activities: { what: string | (() => string); next: string }[] = [];
let installed: (() => void) | undefined;

export function noteActivity(
  what: string | (() => string),
  next: string,
  write: (s: string) => void = (s) => void process.stderr.write(s),
): () => void {
  const a = { what, next };
  activities.push(a);
  if (!installed) {
    const h = (signal: NodeJS.Signals) => {
      const cur = activities.at(-1);
      const w = typeof cur?.what === 'function' ? cur.what() : cur?.what;
      if (cur) write(`\nInterrupted (${signal}) while ${w}.\n  ${cur.next}\n`);
      process.exit(130);
    };
    process.on('SIGINT', h);
    process.on('SIGTERM', h);
    installed = () => {
      process.off('SIGINT', h);
      process.off('SIGTERM', h);
    };
  }
  return () => {
    const i = activities.indexOf(a);
    if (i >= 0) activities.splice(i, 1);
    if (activities.length === 0 && installed) {
      installed();
      installed = undefined;
    }
  };
}
