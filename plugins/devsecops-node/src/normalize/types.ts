/** Severity scale every tool's own scale is mapped onto. @public */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** @public */
export const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** What kind of problem a finding is; decides its default pipeline control. @public */
export type FindingKind = 'sast' | 'sca' | 'secret' | 'iac';

/** One problem a scanner reported, in the scorecard's vocabulary. @public */
export interface NormalizedFinding {
  kind: FindingKind;
  /** Pipeline control the finding counts against (see `controlForKind`). */
  control: string;
  /** Rule id, or the vulnerability id for dependency findings. */
  ruleId: string;
  /**
   * CVE / GHSA / OSV id when the finding is a known vulnerability: the CVE whenever the report
   * names one for it (so CVE-scoped exceptions and CVE searches match), else the tool's id.
   */
  vulnerabilityId?: string;
  /** The other ids the report gives the same vulnerability (GHSA ↔ CVE, vendor ids), sorted. */
  aliases?: string[];
  title: string;
  severity: Severity;
  /** The tool's own severity value, as written (for display and audit). */
  originalSeverity?: string;
  location?: { path: string; startLine?: number; endLine?: number };
  component?: {
    purl?: string;
    name: string;
    version?: string;
    ecosystem?: string;
  };
  /** true / false when the report says; undefined when it does not know. */
  fixAvailable?: boolean;
  fixedVersions?: string[];
  /**
   * Stable identity of the problem within (entity, control, tool): the same problem in the next
   * scan gets the same fingerprint, whatever moved around it. Built with `stableFingerprint`.
   */
  fingerprint: string;
  /** Suppressed by the tool itself (SARIF suppression, VEX not_affected, …): kept, not counted. */
  suppressed?: boolean;
  /**
   * Exploitability the scanner states for the vulnerability (Grype's `epss` and `knownExploited`),
   * kept beside what the backend's imported KEV / EPSS feeds say.
   */
  exploitability?: FindingExploitability;
  /** The CVSS base score and vector the scanner gives (the NVD's when it gives several). */
  cvss?: { score: number; vector?: string; source?: string };
}

/** What a scanner says about a vulnerability being exploited. @public */
export interface FindingExploitability {
  /** FIRST EPSS probability (0..1) and percentile, with the day it was scored when given. */
  epss?: { score: number; percentile?: number; date?: string };
  /** Listed in CISA's Known Exploited Vulnerabilities catalog, per the scanner's database. */
  knownExploited?: boolean;
}

/** One package of an SBOM. @public */
export interface SbomComponent {
  name: string;
  version?: string;
  purl?: string;
  type?: string;
  licenses: string[];
}

/** What a normaliser makes of one uploaded document. @public */
export interface NormalizedReport {
  /** Format id of the normaliser that read it. */
  format: string;
  /** The scanner that produced the report, e.g. `Trivy`, `CodeQL`, `gitleaks`. */
  tool: string;
  toolVersion?: string;
  /**
   * The pipeline controls this report is evidence for, even when it has no findings (a clean
   * secret scan is evidence that secret scanning ran). Never empty.
   */
  controls: string[];
  findings: NormalizedFinding[];
  /** Inventory, for SBOM formats (and scanners that list packages). */
  components?: SbomComponent[];
  /** What the report says it scanned, when it says. Digests are `algo:hex`, lowercase. */
  artifact?: { digest?: string; name?: string; commit?: string };
  /**
   * For tools that run several scanners into one report and leave out what a scanner that found
   * nothing would have written (Trivy writes no secret result for a clean secret scan): the tool's
   * own scanner names, each with the controls it covers for this document (`[]` for one that
   * feeds no control, such as Trivy's licence scanner). An uploader names the scanners that ran
   * (`scanners=`), so a clean report resolves every covered control and no other. Absent for
   * single-scanner tools.
   */
  scanners?: ReportScanner[];
  /**
   * Control facts the report states about its subject, for formats that measure posture rather
   * than list problems (OpenSSF Scorecard's check scores). The backend records them with the
   * report, in its transaction, as observed when the scan ran, with the format id as source.
   * Names follow the facts API (`^[a-z][a-z0-9_.-]{0,127}$`); values are small JSON values.
   */
  facts?: ReportFact[];
  /**
   * For VEX documents (OpenVEX, a standalone CycloneDX VEX): the statements it makes about
   * vulnerabilities in products. The backend keeps them per entity (and artifact) and applies
   * them to the matching findings of every scanner.
   */
  vex?: VexDocument;
}

/** The status a VEX statement gives a vulnerability in a product (OpenVEX's vocabulary). @public */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** A VEX document's own identity and its statements. @public */
export interface VexDocument {
  /** The document's id (`@id` of OpenVEX, `serialNumber` of CycloneDX). */
  documentId?: string;
  author?: string;
  /** When the document was issued (ISO-8601). */
  timestamp?: string;
  statements: VexStatement[];
}

/** One statement of a VEX document about one vulnerability in one product. @public */
export interface VexStatement {
  /** The vulnerability as named (a CVE when the document names one), with its other ids. */
  vulnerabilityId: string;
  aliases?: string[];
  /**
   * The package the statement is about, as a purl (`pkg:deb/debian/libc6@2.28-10`) or a bare
   * name; a version when the purl or document gives one.
   */
  product: { purl?: string; name: string; version?: string };
  /** The image the statement is scoped to, when its product names one (`pkg:oci/…@sha256:…`). */
  artifactDigest?: string;
  status: VexStatus;
  /** Why not affected (OpenVEX justification labels, CycloneDX's mapped onto them or kept). */
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** When this statement was made (the statement's, else the document's timestamp). */
  timestamp?: string;
}

/** One control fact a report states. @public */
export interface ReportFact {
  fact: string;
  value: unknown;
}

/** One of a multi-scanner tool's scanners and the controls it covers. @public */
export interface ReportScanner {
  /** The tool's own name for it, e.g. Trivy's `vuln`, `misconfig`, `secret`, `license`. */
  name: string;
  controls: string[];
}

/**
 * A request body after transport decoding and before format detection.
 * @public
 */
export type ParsedReport =
  | { shape: 'json'; value: unknown }
  | { shape: 'ndjson'; values: unknown[] }
  | { shape: 'empty' }
  | { shape: 'text'; text: string };

/** Services a normaliser may use. @public */
export interface NormalizeContext {
  /**
   * Keyed hash (HMAC-SHA256 with the server's key) of a secret value: the only form in which a
   * secret may leave a normaliser. Use it for fingerprints of secret findings.
   */
  secretFingerprint(secret: string): string;
}

/**
 * Turns one report format into normalised findings. One normaliser per format. It must never
 * return a secret value from the document (not in titles, locations, anything).
 * @public
 */
export interface ReportNormalizer {
  /** Stable format id used in the API, e.g. `sarif` or `cyclonedx`. */
  id: string;
  title: string;
  /** True when the parsed document is in this format. Must not throw. */
  detect(report: ParsedReport): boolean;
  /**
   * When the uploader names this format: true for documents of this format's shape that are too
   * ambiguous for `detect` (a clean `{"results": []}`, a summary without a version, a document of an
   * unsupported version that `normalize` refuses with a precise 400). Empty bodies (`""`, `null`,
   * `[]`, `{}`) are always passed to `normalize`; without this, a named format must `detect` the
   * body. Must not throw.
   */
  acceptsNamed?(report: ParsedReport): boolean;
  /** Throws ReportFormatError (a 400) naming the path of the problem when the document is malformed. */
  normalize(report: ParsedReport, context: NormalizeContext): NormalizedReport;
  /**
   * Keys of this format that carry secret values (or the code around them), compared
   * case-insensitively at any depth of the document. Before a body is kept as evidence, the value
   * of every such key is replaced by `REDACTION_MARKER` (see `redactReport`). Declare every
   * field the tool may fill with a secret, even those the normaliser never reads.
   */
  secretFields?: readonly string[];
  /**
   * Keys that carry a secret only when their value is a string (gitleaks v7 `line` holds the
   * secret's line of code, where other formats write a line number there).
   */
  secretStringFields?: readonly string[];
  /**
   * Further redaction for secrets a key name cannot describe, run on bodies this normaliser read,
   * after `secretFields`. Returns a redacted copy, or its argument unchanged when there was
   * nothing to remove; it must not modify its argument.
   */
  redact?(report: ParsedReport): ParsedReport;
}
