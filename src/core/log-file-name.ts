/** The day's log file name (UTC date): nemoclaw-YYYY-MM-DD.jsonl. */
export function logFileName(d: Date): string {
  return `nemoclaw-${d.toISOString().slice(0, 10)}.jsonl`;
}
