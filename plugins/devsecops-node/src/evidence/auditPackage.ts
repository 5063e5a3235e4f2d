import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { EvidenceLogLine, verifyChainSegment } from './chain';

/** The manifest at the root of an audit package. @public */
export interface AuditPackageManifest {
  format: 'devsecops-audit-package/v1';
  generatedAt: string;
  generatedBy: string;
  scope: { kind: 'entity' | 'group' | 'org'; ref?: string; entities: string[] };
  range: { from: string; to: string };
  evidenceLog: { fromSeq?: number; toSeq?: number; records: number; headHash?: string; wholeLogHeadHash: string; wholeLogHeadSeq: number };
  files: Array<{ path: string; sha256: string; bytes: number }>;
}

/** @public */
export interface AuditPackageVerification {
  ok: boolean;
  problems: string[];
  manifest?: AuditPackageManifest;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Verifies an audit package offline: every file listed in the manifest is present with its sha256,
 * no unlisted file was added, and the evidence-log segment chains and ends at the manifest's head
 * hash. Anyone holding the package (and, to be sure of the manifest, the head hash from a trusted
 * place) can run it without the portal.
 * @public
 */
export function verifyAuditPackage(zip: Uint8Array): AuditPackageVerification {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (error) {
    return { ok: false, problems: [`not a readable zip: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  const manifestBytes = entries['manifest.json'];
  if (!manifestBytes) return { ok: false, problems: ['manifest.json is missing'] };
  let manifest: AuditPackageManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch {
    return { ok: false, problems: ['manifest.json is not valid JSON'] };
  }
  if (manifest.format !== 'devsecops-audit-package/v1') {
    problems.push(`unknown package format ${JSON.stringify(manifest.format)}`);
  }
  const listed = new Set(manifest.files.map(f => f.path));
  for (const file of manifest.files) {
    const data = entries[file.path];
    if (!data) problems.push(`${file.path} is listed in the manifest but missing`);
    else if (sha256(data) !== file.sha256) problems.push(`${file.path} does not match its sha256 in the manifest`);
  }
  for (const path of Object.keys(entries)) {
    if (path !== 'manifest.json' && !path.endsWith('/') && !listed.has(path)) {
      problems.push(`${path} is in the package but not in the manifest`);
    }
  }
  const logBytes = entries['evidence-log.json'];
  if (logBytes) {
    const records: EvidenceLogLine[] = JSON.parse(Buffer.from(logBytes).toString('utf8'));
    const chain = verifyChainSegment(records);
    if (!chain.ok) {
      problems.push(`evidence-log.json: record ${chain.firstBroken!.seq} ${chain.firstBroken!.problem}`);
    } else if (records.length > 0 && chain.headHash !== manifest.evidenceLog.headHash) {
      problems.push('evidence-log.json does not end at the head hash named in the manifest');
    }
  }
  return { ok: problems.length === 0, problems, manifest };
}
