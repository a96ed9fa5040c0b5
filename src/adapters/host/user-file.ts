/**
 * Files the user asked for (`--out`): written to a temp file beside the target and renamed, so a
 * kill never leaves half a file; the folder's own permissions are left alone.
 */
import { writeThenRename } from '../state/atomic.ts';

export async function writeUserFile(path: string, data: string | Uint8Array, mode = 0o600) {
  await writeThenRename(path, data, mode);
}
