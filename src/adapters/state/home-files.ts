/** Whole-folder operations on NEMOCLAW_HOME for uninstall, doctor and debug. */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseReceipt, RECEIPT_FILE, type InstallReceipt } from '../../core/install-receipt.ts';

export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

export async function readReceipt(home: string): Promise<InstallReceipt> {
  const text = await readFile(join(home, RECEIPT_FILE), 'utf8').catch(() => '');
  return parseReceipt(text);
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function removePath(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** A text file, or undefined when it is missing or larger than `maxBytes` (then only its tail). */
export async function readTextTail(path: string, maxBytes: number): Promise<string | undefined> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) return undefined;
  const buf = await readFile(path);
  if (buf.length <= maxBytes) return buf.toString('utf8');
  const tail = buf.subarray(buf.length - maxBytes).toString('utf8');
  // Start at a line boundary so the first line is not a fragment (a fragment could hide a secret's prefix).
  return tail.slice(tail.indexOf('\n') + 1);
}
