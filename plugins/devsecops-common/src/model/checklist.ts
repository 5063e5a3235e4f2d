/**
 * The operating model's "DevSecOps checklist", kept as data: nine items, each measured per
 * service from collected evidence (facts from the GitHub provider and OpenSSF Scorecard results,
 * control results, deployments), from a person's attestation, or from what the portal itself
 * enforces — or honestly "not measured", with how to make it measured.
 */

/** @public */
export type ChecklistItemId =
  | 'protected-branches'
  | 'ci-log-redaction'
  | 'least-privilege'
  | 'critical-dependencies'
  | 'container-images'
  | 'iac-review'
  | 'isolated-runners'
  | 'auditable-deployments'
  | 'exception-review';

/** @public */
export const CHECKLIST_ITEMS: ReadonlyArray<{ id: ChecklistItemId; title: string }> = [
  { id: 'protected-branches', title: 'Required reviews and status checks protect production branches.' },
  { id: 'ci-log-redaction', title: 'CI logs redact secrets and avoid printing sensitive environment variables.' },
  { id: 'least-privilege', title: 'Repository and package permissions use least privilege.' },
  { id: 'critical-dependencies', title: 'Critical dependencies have owners, upgrade paths, and emergency patch procedures.' },
  { id: 'container-images', title: 'Container images are minimal, scanned, and pinned by digest for production.' },
  { id: 'iac-review', title: 'IaC changes are reviewed with blast-radius context.' },
  { id: 'isolated-runners', title: 'CI/CD runners are isolated for untrusted code and protected environments.' },
  { id: 'auditable-deployments', title: 'Production deployments produce an auditable record.' },
  { id: 'exception-review', title: 'Exceptions expire and are reviewed by a named risk owner.' },
];

/** @public */
export type ChecklistState = 'met' | 'unmet' | 'not_measured' | 'not_applicable';

/** Where a measured item's state comes from. @public */
export type ChecklistSource = 'collected' | 'attested' | 'portal';

/** @public */
export interface ChecklistItemResult {
  id: ChecklistItemId;
  title: string;
  state: ChecklistState;
  /** Absent when not measured. */
  source?: ChecklistSource;
  /** One sentence naming the evidence and its values, or what is missing. */
  reason: string;
  /** The facts, controls and records read, e.g. `openssf.token-permissions.result`, `control:container-scan`. */
  evidence: string[];
  /** When not measured (or only partly): how to turn the evidence on. */
  howToMeasure?: string;
}

/** `GET /v1/checklist?entity=`. @public */
export interface EntityChecklist {
  entityRef: string;
  ownerRef?: string;
  evaluatedAt: string;
  items: ChecklistItemResult[];
}

/** `GET /v1/checklist?group=` (or the org): each item counted over the services in scope. @public */
export interface ScopeChecklist {
  scope: { kind: 'group' | 'org'; ref?: string };
  entityCount: number;
  /** More services were in scope than evaluated (the first `entityCount` by entity ref). */
  truncated: boolean;
  evaluatedAt: string;
  items: Array<{ id: ChecklistItemId; title: string; counts: Record<ChecklistState, number>; howToMeasure?: string }>;
  entities: Array<{ entityRef: string; ownerRef?: string; states: Record<ChecklistItemId, ChecklistState> }>;
}
