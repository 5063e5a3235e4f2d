import { canonicalJson, GENESIS_HASH, recordHash } from '@devsecops-scorecard/plugin-devsecops-node';
import { strToU8, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A small audit package shaped like the backend's exports. */
function buildPackage(tamper?: (files: Record<string, Uint8Array>) => void) {
  const first = { seq: 1, at: '2026-11-28T12:00:00.000Z', kind: 'report.ingested', entityRef: 'component:default/a', subjectId: 'r1', actor: 'ci', payload: canonicalJson({ x: 1 }), prevHash: GENESIS_HASH };
  const one = { ...first, hash: recordHash(first) };
  const second = { seq: 2, at: '2026-11-28T12:01:00.000Z', kind: 'deployment.recorded', entityRef: 'component:default/a', subjectId: 'd1', actor: 'cd', payload: canonicalJson({ y: 2 }), prevHash: one.hash };
  const two = { ...second, hash: recordHash(second) };
  const files: Record<string, Uint8Array> = {
    'data/reports.json': strToU8('[{"id":"r1"}]'),
    'evidence-log.json': strToU8(JSON.stringify([one, two])),
  };
  const manifest = {
    format: 'devsecops-audit-package/v1',
    generatedAt: '2026-11-28T13:00:00.000Z',
    generatedBy: 'user:default/auditor',
    scope: { kind: 'entity', ref: 'component:default/a', entities: ['component:default/a'] },
    range: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-28T13:00:00.000Z' },
    evidenceLog: { fromSeq: 1, toSeq: 2, records: 2, headHash: two.hash, wholeLogHeadHash: two.hash, wholeLogHeadSeq: 2 },
    files: Object.entries(files).map(([path, data]) => ({ path, sha256: sha(data), bytes: data.length })),
  };
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  tamper?.(files);
  const dir = mkdtempSync(join(tmpdir(), 'devsecops-package-'));
  const path = join(dir, 'package.zip');
  writeFileSync(path, zipSync(files));
  return { path, head: two.hash };
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {}, { stdout: { write: s => (stdout += s) }, stderr: { write: s => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('devsecops verify-package', () => {
  it('verifies an intact package offline, also against a noted head hash', async () => {
    const { path, head } = buildPackage();
    const ok = await cli(['verify-package', path, '--head-hash', head]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('verified: 2 files, evidence-log records 1–2');
    const wrongHead = await cli(['verify-package', path, '--head-hash', 'f'.repeat(64)]);
    expect(wrongHead.code).toBe(1);
    expect(wrongHead.stdout).toContain('not the head you noted');
  });

  it('names each problem of a tampered package and exits 1', async () => {
    const { path } = buildPackage(files => {
      files['data/reports.json'] = strToU8('[]');
      files['extra.txt'] = strToU8('slipped in');
    });
    const result = await cli(['verify-package', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ data/reports.json does not match its sha256 in the manifest');
    expect(result.stdout).toContain('✗ extra.txt is in the package but not in the manifest');
  });

  it('refuses a file that is not a package with exit 1 and a missing file with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devsecops-package-'));
    writeFileSync(join(dir, 'x.zip'), 'not a zip');
    expect((await cli(['verify-package', join(dir, 'x.zip')])).stdout).toContain('not a readable zip');
    const missing = await cli(['verify-package', join(dir, 'nope.zip')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});
