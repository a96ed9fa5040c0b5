/**
 * A stand-in sandbox backed by a local folder, for snapshot tests before the simulator: download
 * copies a path out (`<localDir>/<basename>`, modes and links kept), upload copies one in, and exec
 * understands the few argv-form commands restore uses (rm -rf, mkdir -p, mv, test). It records every call
 * so a test can assert that a refused restore never reached the sandbox.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type {
  ExecResult,
  OpenshellClient,
  SandboxDetail,
} from '../../src/adapters/openshell/types.ts';
import { NemoclawError } from '../../src/core/errors.ts';

export function copyTree(src: string, dest: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), dest);
  } else if (st.isDirectory()) {
    mkdirSync(dest);
    for (const n of readdirSync(src)) copyTree(join(src, n), join(dest, n));
    chmodSync(dest, st.mode & 0o7777);
  } else if (st.isFile()) {
    copyFileSync(src, dest);
    chmodSync(dest, st.mode & 0o7777);
  } else {
    throw new Error(`copyTree: unsupported file type at ${src}`);
  }
}

/** Type, mode, content (or link target) of every path below `dir`, as one digest. */
export function treeDigest(dir: string): string {
  const lines: string[] = [];
  const walk = (p: string, rel: string) => {
    const st = lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) lines.push(`${rel} l ${readlinkSync(p)}`);
    else if (st.isDirectory()) {
      lines.push(`${rel} d ${mode}`);
      for (const n of readdirSync(p).sort()) walk(join(p, n), `${rel}/${n}`);
    } else {
      const h = createHash('sha256').update(readFileSync(p)).digest('hex');
      lines.push(`${rel} f ${mode} ${h}`);
    }
  };
  if (existsSync(dir)) walk(dir, '.');
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export type FakeClient = Pick<
  OpenshellClient,
  'sandboxDownload' | 'sandboxUpload' | 'sandboxExec' | 'sandboxGet'
> & { calls: string[]; root: string; failUpload?: boolean };

export function fakeSandbox(root: string, name = 'alpha'): FakeClient {
  const at = (remote: string) => join(root, remote);
  const fake: FakeClient = {
    root,
    calls: [],
    async sandboxGet(n) {
      fake.calls.push(`get ${n}`);
      if (n !== name) return undefined;
      return { id: 'x', name, phase: 'Ready', created_at: '', labels: {} } as SandboxDetail;
    },
    async sandboxDownload(n, remote, localDir) {
      fake.calls.push(`download ${remote}`);
      if (!existsSync(at(remote)) && !isLink(at(remote))) {
        throw new NemoclawError('not-found', `no such path in ${n}: ${remote}`);
      }
      copyTree(at(remote), join(localDir, basename(remote)));
    },
    async sandboxUpload(_n, localPath, remoteDir = '/sandbox') {
      fake.calls.push(`upload ${remoteDir}`);
      if (fake.failUpload) throw new NemoclawError('failed', 'upload failed (injected)');
      copyTree(localPath, join(at(remoteDir), basename(localPath)));
    },
    async sandboxExec(_n, argv): Promise<ExecResult> {
      fake.calls.push(`exec ${argv.join(' ')}`);
      const [cmd, ...rest] = argv;
      const args = rest.filter((a) => !a.startsWith('-'));
      try {
        if (cmd === 'rm') for (const p of args) rmSync(at(p), { recursive: true, force: true });
        else if (cmd === 'mkdir') for (const p of args) mkdirSync(at(p), { recursive: true });
        else if (cmd === 'mv') renameSync(at(args[0]!), at(args[1]!));
        else if (cmd === 'test') {
          // test -e follows links, test -L does not.
          const p = at(args[0]!);
          const ok = rest[0] === '-L' ? isLink(p) : existsSync(p);
          return { exitCode: ok ? 0 : 1, stdout: '', stderr: '' };
        } else return { exitCode: 127, stdout: '', stderr: `${cmd}: not found` };
      } catch (e) {
        return { exitCode: 1, stdout: '', stderr: (e as Error).message };
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
  return fake;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
