import type { GateDecision } from './scorecard';

/** Severity scale of normalised findings, most severe first. @public */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** @public */
export type FindingStatus = 'open' | 'resolved' | 'suppressed';

/** Counts of one report's findings. @public */
export interface ReportSummary {
  total: number;
  /** Counted findings (not suppressed) by severity. */
  bySeverity: Record<FindingSeverity, number>;
  suppressed: number;
  /** SBOM components listed. */
  components: number;
}

/** An accepted upload. @public */
export interface Report {
  id: string;
  entityRef: string;
  /** Catalog owner of the entity when the report arrived. */
  ownerRef?: string;
  control: string;
  controls: string[];
  format: string;
  tool: string;
  toolVersion?: string;
  sourceCommit?: string;
  branch?: string;
  artifactDigest?: string;
  uploader: string;
  receivedAt: string;
  /** When the scan ran, as the uploader said; otherwise when the report arrived. */
  scannedAt: string;
  summary: ReportSummary;
  bodySha256: string;
  bodySize: number;
  /** Whether the body is still kept (retention), and whether secret fields were removed from it. */
  bodyStored: boolean;
  bodyRedacted: boolean;
}

/** What an upload answers: the report, and whether it was already there. @public */
export interface ReportIngestResult {
  report: Report;
  /** True when the same body was uploaded before for the same scope: nothing changed. */
  duplicate: boolean;
  findings: { new: number; updated: number; resolved: number };
}

/** @public */
export interface Finding {
  id: string;
  entityRef: string;
  control: string;
  tool: string;
  artifactDigest?: string;
  fingerprint: string;
  kind: string;
  severity: FindingSeverity;
  originalSeverity?: string;
  ruleId: string;
  vulnerabilityId?: string;
  /** The vulnerability's other ids in the report (GHSA ↔ CVE, vendor ids), when it gives any. */
  aliases?: string[];
  title: string;
  location?: string;
  package?: { name: string; version?: string; purl?: string };
  fixedVersions: string[];
  fixAvailable?: boolean;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  firstReportId: string;
  lastReportId: string;
  /**
   * How likely the vulnerability is exploited: CISA KEV listing and FIRST EPSS score from the
   * imported feeds, else from the scanner; the CVSS base score the scanner gave.
   */
  exploitability?: FindingExploitabilityInfo;
  /** When the finding is due under the severity SLA (first seen + the SLA days of its severity). */
  dueAt?: string;
  /**
   * The newest VEX statement (OpenVEX, CycloneDX VEX upload) about this finding's vulnerability in
   * its package, from any document uploaded for the entity or this artifact. `suppresses`: the
   * statement is `not_affected` with a justification and not expired, so the finding is not
   * counted by the scorecard and the release gate.
   */
  vex?: FindingVexStatement;
}

/** A VEX statement as applied to a finding. @public */
export interface FindingVexStatement {
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  suppresses: boolean;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** When the author made the statement. */
  statedAt: string;
  /** When it was recorded here: a suppressing statement suppresses since then. */
  recordedAt: string;
  /** When a `not_affected` statement stops suppressing unless restated (`devsecops.vex.maxAgeDays`). */
  expiresAt: string;
  documentId?: string;
  author?: string;
  /** The uploaded VEX document, kept as evidence (`GET /v1/reports/{id}`). */
  reportId: string;
}

/** One stored SBOM component found by a portfolio search (`GET /v1/components`). @public */
export interface ComponentMatch {
  entityRef: string;
  /** The owner recorded with the SBOM. */
  ownerRef?: string;
  artifactDigest?: string;
  name: string;
  version?: string;
  purl?: string;
  /** The environments whose newest successful deployment of the entity is this artifact. */
  deployedTo: Array<{ environment: string; deployedAt: string }>;
  reportId: string;
}

/** A page of a portfolio search, with how many entities match in all. @public */
export interface ComponentSearchPage extends Page<ComponentMatch> {
  entityCount: number;
}

/** Exploitability of a finding's vulnerability, with where each value came from. @public */
export interface FindingExploitabilityInfo {
  /** Listed in CISA's Known Exploited Vulnerabilities catalog (`addedOn`: the catalog's dateAdded). */
  kev?: { listed: boolean; addedOn?: string; source: 'feed' | 'scanner' };
  /** EPSS probability (0..1) and percentile. */
  epss?: { score: number; percentile?: number; source: 'feed' | 'scanner' };
  cvss?: { score: number; vector?: string };
}

/** @public */
export interface Deployment {
  id: string;
  entityRef: string;
  /** Catalog owner at deploy time: the runtime owner. */
  ownerRef?: string;
  claimedOwnerRef?: string;
  environment: string;
  artifactDigest: string;
  sourceCommit?: string;
  deployer: string;
  approver?: string;
  changeRef?: string;
  result: 'succeeded' | 'failed' | 'rolled_back';
  deployedAt: string;
  recordedBy: string;
  recordedAt: string;
}

/** An observed setting no scanner file carries. @public */
export interface ControlFact {
  entityRef: string;
  fact: string;
  value: unknown;
  source: string;
  observedAt: string;
  recordedBy: string;
  recordedAt: string;
}

/** @public */
export interface SbomComponentRecord {
  name: string;
  version?: string;
  purl?: string;
  type?: string;
  licenses: string[];
}

/** An artifact with everything recorded about it. @public */
export interface ArtifactDetails {
  digest: string;
  entityRef: string;
  name?: string;
  sourceCommit?: string;
  branch?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  sbom?: { reportId: string; components: SbomComponentRecord[] };
  scans: Report[];
  deployments: Deployment[];
}

/** A page of a list endpoint. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
  limit: number;
  offset: number;
}

/** Source → artifact → approval → runtime owner for one release, with every gap named. @public */
export interface EvidenceChain {
  entityRef: string;
  environment?: string;
  /** The released (or asked for) artifact; absent when the entity has no deployment to the environment. */
  artifactDigest?: string;
  deployment?: Deployment;
  source: { commit?: string; branch?: string };
  artifact?: {
    digest: string;
    entityRef: string;
    name?: string;
    sourceCommit?: string;
    branch?: string;
    firstSeenAt: string;
    lastSeenAt: string;
  };
  sbom?: { reportId: string; components: number };
  scans: Report[];
  signature?: { verified: boolean; reason: string; at: string };
  approval?: { approver?: string; changeRef?: string };
  gateDecision?: GateDecision;
  runtimeOwner?: { ownerRef?: string; claimedOwnerRef?: string; matches?: boolean };
  /** The deployment's records in the tamper-evident evidence log. */
  evidenceLog: Array<{ seq: number; kind: string; hash: string; at: string }>;
  gaps: string[];
}
