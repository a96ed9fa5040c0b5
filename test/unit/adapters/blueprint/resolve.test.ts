import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveBlueprint,
  verifyBlueprint,
  verifyOrThrow,
} from '../../../../src/adapters/blueprint/resolve.ts';
import {
  hashBlueprintTree,
  loadBlueprintFile,
  loadBlueprintIndex,
} from '../../../../src/adapters/blueprint/files.ts';
import { diffFiles, treeDigest } from '../../../../src/core/blueprint/digest.ts';
import { referencedFiles } from '../../../../src/core/blueprint/schema.ts';
import { runCli } from '../../../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../../../..');

/** A private copy of the package's blueprint assets, so tests can change bytes. */
function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nc-pkg-'));
  for (const d of ['blueprints', 'policies', 'presets'])
    cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

describe('packaged blueprints', () => {
  it('every released folder matches blueprints/index.yaml', async () => {
    const index = await loadBlueprintIndex(join(ROOT, 'blueprints/index.yaml'));
    expect(Object.keys(index.versions).length).toBeGreaterThan(0);
    for (const [v, entry] of Object.entries(index.versions)) {
      const dir = join(ROOT, 'blueprints', v);
      const bp = await loadBlueprintFile(dir);
      const files = await hashBlueprintTree(dir, ROOT, bp);
      expect(diffFiles(entry.files, files), `blueprint ${v}`).toEqual([]);
      expect(treeDigest(files)).toBe(entry.digest);
    }
  });

  it('the digest covers the policy and preset files the blueprint references', async () => {
    const bp = await loadBlueprintFile(join(ROOT, 'blueprints/0.1.0'));
    const refs = referencedFiles(bp);
    expect(refs).toContain('policies/openclaw-sandbox.yaml');
    expect(refs).toContain('policies/tiers.yaml');
    expect(refs).toContain('presets/npm.yaml');
    const index = await loadBlueprintIndex(join(ROOT, 'blueprints/index.yaml'));
    for (const r of refs) expect(Object.keys(index.versions['0.1.0']!.files)).toContain(r);
  });

  it('resolves the newest packaged version by default and verifies it', async () => {
    const r = await resolveBlueprint({ packageRoot: ROOT, home: tmpdir() });
    expect(r.source).toBe('packaged');
    const v = await verifyOrThrow(r);
    expect(v.ok).toBe(true);
  });
});

describe('changing one byte of any covered file', () => {
  let pkg: string;
  let covered: string[];
  beforeAll(async () => {
    pkg = copyPackage();
    const index = await loadBlueprintIndex(join(pkg, 'blueprints/index.yaml'));
    covered = Object.keys(index.versions['0.1.0']!.files);
  });
  afterAll(() => rmSync(pkg, { recursive: true, force: true }));

  it('makes verify fail naming expected digest, actual digest and the file', async () => {
    expect(covered.length).toBeGreaterThan(10);
    for (const rel of covered) {
      const path =
        rel.startsWith('policies/') || rel.startsWith('presets/')
          ? join(pkg, rel)
          : join(pkg, 'blueprints/0.1.0', rel);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      changed[changed.length - 1] ^= 0x01;
      writeFileSync(path, changed);
      try {
        const res = await runCli(['blueprint', 'verify', '0.1.0'], {
          NEMOCLAW_PACKAGE_ROOT: pkg,
          NEMOCLAW_HOME: join(pkg, 'home'),
        });
        expect(res.code, rel).toBe(1);
        expect(res.stderr).toMatch(/expected sha256:[0-9a-f]{64}, actual sha256:[0-9a-f]{64}/);
        expect(res.stderr, rel).toContain(`First difference: ${rel} (modified)`);
      } finally {
        writeFileSync(path, original);
      }
    }
  }, 60_000);
});

describe('local folder blueprints', () => {
  it('a folder with a packaged version must match it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-bp-'));
    try {
      cpSync(join(ROOT, 'blueprints/0.1.0'), dir, { recursive: true });
      for (const d of ['policies', 'presets'])
        cpSync(join(ROOT, d), join(dir, d), { recursive: true });
      const r = await resolveBlueprint({ packageRoot: ROOT, home: tmpdir(), spec: dir });
      expect(r.source).toBe('path');
      expect((await verifyBlueprint(r)).ok).toBe(true);
      appendFileSync(join(dir, 'Dockerfile'), '\n# changed\n');
      const v = await verifyBlueprint(r);
      expect(v.ok).toBe(false);
      expect(v.differences).toEqual([{ path: 'Dockerfile', change: 'modified' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
