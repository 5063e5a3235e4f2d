import { isObject, optionalString } from '../helpers';
import { VexDocument, VexStatement, VexStatus } from '../types';
import { preferCve } from './shared';
import { vexProductOf } from './vexProducts';

/*
 * A standalone CycloneDX VEX (a BOM with `vulnerabilities[].analysis` and no components of its own,
 * fixtures/cyclonedx/vex-*.json) as VEX statements, so it applies to every scanner's findings the
 * way an OpenVEX document does. `analysis.state` maps onto OpenVEX's statuses:
 * not_affected / false_positive → not_affected, exploitable → affected, in_triage →
 * under_investigation, resolved / resolved_with_pedigree → fixed; `justification` is kept as
 * CycloneDX writes it, `detail` is the impact statement, `response[]` the action statement.
 */

const STATE_TO_STATUS: ReadonlyMap<string, VexStatus> = new Map<string, VexStatus>([
  ['not_affected', 'not_affected'],
  ['false_positive', 'not_affected'],
  ['exploitable', 'affected'],
  ['in_triage', 'under_investigation'],
  ['resolved', 'fixed'],
  ['resolved_with_pedigree', 'fixed'],
]);

/** A component as the CycloneDX reader resolved it from a ref. */
export interface VexComponent {
  name: string;
  version?: string;
  purl?: string;
}

/** Whether a BOM is a standalone VEX: vulnerabilities with an analysis, no components of its own. */
export function isStandaloneVex(doc: Record<string, unknown>): boolean {
  const components = doc.components;
  if (Array.isArray(components) && components.length > 0) return false;
  if (!Array.isArray(doc.vulnerabilities) || doc.vulnerabilities.length === 0) return false;
  return doc.vulnerabilities.some(v => isObject(v) && isObject(v.analysis) && typeof v.analysis.state === 'string');
}

/**
 * The statements of a standalone VEX, one per (vulnerability, affected ref); a vulnerability
 * without `affects` is about the document's subject. Vulnerabilities without an analysis state
 * state nothing and are skipped. The document was validated by the CycloneDX reader first.
 */
export function cyclonedxVexDocument(
  doc: Record<string, unknown>,
  aliasesOf: (vuln: Record<string, unknown>) => string[],
  resolve: (ref: string) => VexComponent,
  subject: VexComponent | undefined,
): VexDocument {
  const metadata = isObject(doc.metadata) ? doc.metadata : undefined;
  const documentTimestamp = optionalString(metadata?.timestamp);
  const statements: VexStatement[] = [];
  for (const vuln of Array.isArray(doc.vulnerabilities) ? doc.vulnerabilities : []) {
    if (!isObject(vuln) || !isObject(vuln.analysis)) continue;
    const analysis = vuln.analysis;
    const status = STATE_TO_STATUS.get(optionalString(analysis.state)?.trim().toLowerCase() ?? '');
    const id = optionalString(vuln.id)?.trim();
    if (!status || !id) continue;
    const justification = optionalString(analysis.justification)?.trim();
    const impactStatement = optionalString(analysis.detail)?.trim();
    const responses = Array.isArray(analysis.response)
      ? analysis.response.filter((r): r is string => typeof r === 'string' && r.trim() !== '')
      : [];
    const timestamp =
      optionalString(analysis.lastUpdated) ??
      optionalString(analysis.firstIssued) ??
      optionalString(vuln.updated) ??
      optionalString(vuln.published) ??
      documentTimestamp;
    // CycloneDX's false_positive is a reason of its own.
    const reason = justification || (analysis.state === 'false_positive' ? 'false_positive' : undefined);
    const common = {
      ...preferCve(id, aliasesOf(vuln)),
      status,
      ...(reason ? { justification: reason } : {}),
      ...(impactStatement ? { impactStatement: impactStatement.slice(0, 2000) } : {}),
      ...(responses.length > 0 ? { actionStatement: responses.join(', ') } : {}),
      ...(timestamp ? { timestamp } : {}),
    };
    const refs = (Array.isArray(vuln.affects) ? vuln.affects : [])
      .map(a => (isObject(a) ? optionalString(a.ref)?.trim() : undefined))
      .filter((r): r is string => !!r);
    let components = [...new Set(refs)].map(resolve);
    if (components.length === 0 && subject) components = [subject];
    for (const component of components) {
      statements.push({ ...common, product: productOf(component) });
    }
  }
  const serial = optionalString(doc.serialNumber)?.trim();
  const author = authorOf(metadata);
  return {
    ...(serial ? { documentId: serial } : {}),
    ...(author ? { author } : {}),
    ...(documentTimestamp ? { timestamp: documentTimestamp } : {}),
    statements,
  };
}

function productOf(component: VexComponent): VexStatement['product'] {
  if (component.purl) {
    const fromPurl = vexProductOf(component.purl);
    if (fromPurl.purl) {
      const version = component.version ?? fromPurl.version;
      return { ...fromPurl, ...(version ? { version } : {}) };
    }
  }
  return { name: component.name, ...(component.version ? { version: component.version } : {}) };
}

/** `metadata.authors[0].name`, else the manufacturer's or supplier's name. */
function authorOf(metadata: Record<string, unknown> | undefined): string | undefined {
  if (!metadata) return undefined;
  const authors = Array.isArray(metadata.authors) ? metadata.authors : [];
  for (const author of authors) {
    const name = isObject(author) ? optionalString(author.name) : undefined;
    if (name) return name.trim();
  }
  for (const key of ['manufacturer', 'supplier', 'manufacture']) {
    const org = metadata[key];
    const name = isObject(org) ? optionalString(org.name) : undefined;
    if (name) return name.trim();
  }
  return undefined;
}
