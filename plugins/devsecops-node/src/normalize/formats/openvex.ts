import { ReportFormatError, jsonTypeOf } from '../errors';
import { expectArray, expectObject, isObject, normalizeDigest, optionalString } from '../helpers';
import {
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  VexStatement,
  VexStatus,
} from '../types';
import { jsonDocument, preferCve, stringsOf } from './shared';
import { vexProductOf } from './vexProducts';

/*
 * OpenVEX JSON (https://github.com/openvex/spec), v0.0.x and v0.2.0; samples in fixtures/openvex.
 *
 * - Detection: an object whose `@context` starts with `https://openvex.dev/ns` and that has a
 *   `statements` array.
 * - `vulnerability`: a string (v0.0.x) or `{ name, @id, aliases }` (v0.2.0); the CVE among them
 *   names the statement, the others are aliases.
 * - `products[]`: strings (v0.0.x) or `{ @id, identifiers: { purl }, subcomponents[] }`. A product
 *   with subcomponents is an image (or other container) and the subcomponents are the packages
 *   the statement is about; an OCI purl product (`pkg:oci/name@sha256%3A…`) scopes the statement
 *   to that image digest. One VexStatement per (vulnerability, package).
 * - `status`: not_affected | affected | fixed | under_investigation (anything else is a 400).
 *   `not_affected` must carry a `justification` or an `impact_statement` (the spec's rule).
 * - A VEX document finds nothing: no findings, no components, the control `vex` (which no
 *   scorecard control evaluates): the statements apply to the findings of the other scanners.
 */

const FORMAT_TITLE = 'OpenVEX';
const CONTEXT = /^https:\/\/openvex\.dev\/ns(\/|$)/;
const STATUSES: ReadonlySet<string> = new Set<VexStatus>([
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
]);
/** More statements than any real document holds; a bound on what one upload writes. */
export const MAX_VEX_STATEMENTS = 20_000;

function contextOf(doc: Record<string, unknown>): string | undefined {
  return typeof doc['@context'] === 'string' ? doc['@context'] : undefined;
}

function vulnerabilityOf(
  value: unknown,
  path: string,
): { vulnerabilityId: string; aliases?: string[] } {
  if (typeof value === 'string' && value.trim() !== '') return preferCve(value.trim(), []);
  if (!isObject(value)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      path,
      `must be a vulnerability name or an object with a name (got ${jsonTypeOf(value)})`,
    );
  }
  const name = optionalString(value.name)?.trim() ?? optionalString(value['@id'])?.trim();
  if (!name) {
    throw new ReportFormatError(FORMAT_TITLE, `${path}.name`, 'must be a non-empty string');
  }
  const id = optionalString(value['@id'])?.trim();
  return preferCve(name, [...stringsOf(value.aliases).map(a => a.trim()), ...(id && id !== name && !/^https?:/.test(id) ? [id] : [])]);
}

/** The product's identifier: its `@id`, else its purl identifier (v0.2.0), or the string (v0.0.x). */
function productId(value: unknown, path: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (isObject(value)) {
    const identifiers = isObject(value.identifiers) ? value.identifiers : undefined;
    const id = optionalString(identifiers?.purl) ?? optionalString(value['@id']);
    if (id) return id.trim();
  }
  throw new ReportFormatError(
    FORMAT_TITLE,
    path,
    `must be a product id or an object with an @id or identifiers.purl (got ${jsonTypeOf(value)})`,
  );
}

function statementsOf(
  item: unknown,
  path: string,
  documentTimestamp: string | undefined,
): VexStatement[] {
  const node = expectObject(FORMAT_TITLE, path, item);
  const names = vulnerabilityOf(node.vulnerability, `${path}.vulnerability`);
  const status = optionalString(node.status)?.trim();
  if (!status || !STATUSES.has(status)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.status`,
      `must be one of not_affected, affected, fixed, under_investigation (got ${
        typeof node.status === 'string' ? JSON.stringify(node.status.slice(0, 40)) : jsonTypeOf(node.status)
      })`,
    );
  }
  const justification = optionalString(node.justification)?.trim();
  const impactStatement = optionalString(node.impact_statement)?.trim();
  if (status === 'not_affected' && !justification && !impactStatement) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      path,
      'is not_affected without a justification or an impact_statement (the OpenVEX spec requires one)',
    );
  }
  const actionStatement = optionalString(node.action_statement)?.trim();
  const timestamp = optionalString(node.last_updated) ?? optionalString(node.timestamp) ?? documentTimestamp;
  const common = {
    ...names,
    status: status as VexStatus,
    ...(justification ? { justification } : {}),
    ...(impactStatement ? { impactStatement } : {}),
    ...(actionStatement ? { actionStatement } : {}),
    ...(timestamp ? { timestamp } : {}),
  };

  const products = expectArray(FORMAT_TITLE, `${path}.products`, node.products ?? []);
  if (products.length === 0) {
    throw new ReportFormatError(FORMAT_TITLE, `${path}.products`, 'must name at least one product');
  }
  const out: VexStatement[] = [];
  products.forEach((product, p) => {
    const productPath = `${path}.products[${p}]`;
    const id = productId(product, productPath);
    const image = vexProductOf(id);
    const digest = image.purl?.startsWith('pkg:oci/') ? normalizeDigest(image.version) : undefined;
    const subcomponents =
      isObject(product) && product.subcomponents !== undefined && product.subcomponents !== null
        ? expectArray(FORMAT_TITLE, `${productPath}.subcomponents`, product.subcomponents)
        : [];
    if (subcomponents.length === 0) {
      out.push({ ...common, product: digest ? { ...image, version: undefined } : image, ...(digest ? { artifactDigest: digest } : {}) });
      return;
    }
    subcomponents.forEach((sub, s) => {
      const subId = productId(sub, `${productPath}.subcomponents[${s}]`);
      out.push({ ...common, product: vexProductOf(subId), ...(digest ? { artifactDigest: digest } : {}) });
    });
  });
  return out.map(s => (s.product.version === undefined ? { ...s, product: withoutUndefined(s.product) } : s));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function normalizeOpenVex(value: unknown): NormalizedReport {
  const doc = expectObject(FORMAT_TITLE, '$', value);
  const context = contextOf(doc);
  if (!context || !CONTEXT.test(context)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$["@context"]',
      `must be an OpenVEX context (https://openvex.dev/ns…) (got ${jsonTypeOf(doc['@context'])})`,
    );
  }
  const documentTimestamp = optionalString(doc.last_updated) ?? optionalString(doc.timestamp);
  const items = expectArray(FORMAT_TITLE, '$.statements', doc.statements);
  const statements: VexStatement[] = [];
  items.forEach((item, index) => {
    statements.push(...statementsOf(item, `$.statements[${index}]`, documentTimestamp));
    if (statements.length > MAX_VEX_STATEMENTS) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$.statements',
        `holds more than ${MAX_VEX_STATEMENTS} (vulnerability, product) statements; split the document`,
      );
    }
  });
  const version = /\/v(\d[\w.-]*)$/.exec(context)?.[1];
  const documentId = optionalString(doc['@id'])?.trim();
  const author = optionalString(doc.author)?.trim();
  return {
    format: 'openvex',
    tool: optionalString(doc.tooling)?.trim().slice(0, 100) ?? 'OpenVEX',
    ...(version ? { toolVersion: version } : {}),
    controls: ['vex'],
    findings: [],
    vex: {
      ...(documentId ? { documentId } : {}),
      ...(author ? { author } : {}),
      ...(documentTimestamp ? { timestamp: documentTimestamp } : {}),
      statements,
    },
  };
}

/** @public */
export const openvexNormalizer: ReportNormalizer = {
  id: 'openvex',
  title: FORMAT_TITLE,
  detect(report: ParsedReport): boolean {
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const context = contextOf(report.value);
    return !!context && CONTEXT.test(context) && Array.isArray(report.value.statements);
  },
  acceptsNamed(report: ParsedReport): boolean {
    return report.shape === 'json' && isObject(report.value) && ('@context' in report.value || 'statements' in report.value);
  },
  normalize(report: ParsedReport): NormalizedReport {
    const value = jsonDocument(FORMAT_TITLE, report);
    if (value === undefined || value === null || (isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0)) {
      throw new ReportFormatError(FORMAT_TITLE, '$', 'is empty: a VEX document needs @context and statements');
    }
    return normalizeOpenVex(value);
  },
};
