/**
 * The sandbox CA and per-host leaf certificates, made at test time with the `openssl` CLI and
 * kept in the state folder (never committed, never in a container except the CA certificate).
 * OpenShell generates an ephemeral CA per sandbox and writes the certificate to
 * `/etc/openshell-tls/openshell-ca.pem` plus a combined bundle `/etc/openshell-tls/ca-bundle.pem`
 * (crates/openshell-supervisor-process/src/child_env.rs `tls_env_vars`;
 * crates/openshell-supervisor-network/src/l7/tls.rs).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataplaneDir } from './ocsf.ts';

export const SANDBOX_CA_PATH = '/etc/openshell-tls/openshell-ca.pem';
export const SANDBOX_BUNDLE_PATH = '/etc/openshell-tls/ca-bundle.pem';

async function openssl(args: string[]): Promise<void> {
  const { execa } = await import('execa');
  await execa('openssl', args, { stdin: 'ignore' });
}

const caDir = (stateDir: string) => join(dataplaneDir(stateDir), 'ca');

/** Creates the CA once; concurrent callers race on a directory rename, and one wins. */
export async function ensureCa(stateDir: string): Promise<{ cert: string; key: string }> {
  const dir = caDir(stateDir);
  if (!existsSync(join(dir, 'ca.pem'))) {
    mkdirSync(dataplaneDir(stateDir), { recursive: true });
    const tmp = mkdtempSync(join(dataplaneDir(stateDir), 'ca-tmp-'));
    await openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(tmp, 'ca.key'), '-out', join(tmp, 'ca.pem'), '-days', '7',
      '-subj', '/O=OpenShell/CN=OpenShell Sandbox CA (simulator)',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]); // prettier-ignore
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process made it first
    }
  }
  return { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
}

export function caPem(stateDir: string): string {
  return readFileSync(join(caDir(stateDir), 'ca.pem'), 'utf8');
}

const pending = new Map<string, Promise<{ cert: Buffer; key: Buffer }>>();

/** A leaf for one host, signed by the sandbox CA (the proxy's TLS termination). */
export function leafFor(stateDir: string, host: string): Promise<{ cert: Buffer; key: Buffer }> {
  let p = pending.get(host);
  if (!p) {
    p = (async () => {
      const ca = await ensureCa(stateDir);
      const dir = join(dataplaneDir(stateDir), 'leaf');
      mkdirSync(dir, { recursive: true });
      const base = join(dir, host.replace(/[^a-z0-9.-]/gi, '_'));
      if (!existsSync(`${base}.pem`)) {
        await openssl([
          'req', '-x509', '-CA', ca.cert, '-CAkey', ca.key, '-newkey', 'ec',
          '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`,
          '-out', `${base}.pem`, '-days', '7', '-subj', `/CN=${host}`,
          '-addext', `subjectAltName=DNS:${host}`, '-addext', 'extendedKeyUsage=serverAuth',
          '-addext', 'basicConstraints=CA:FALSE',
        ]); // prettier-ignore
      }
      return { cert: readFileSync(`${base}.pem`), key: readFileSync(`${base}.key`) };
    })();
    pending.set(host, p);
    p.catch(() => pending.delete(host));
  }
  return p;
}
