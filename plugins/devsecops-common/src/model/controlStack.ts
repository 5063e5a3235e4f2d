/**
 * The operating model's "Pipeline control stack", kept as data: five delivery stages, the controls
 * each one runs, the condition that fails the stage and the evidence that proves it. Everything the
 * scorecard evaluates hangs off these ids, so they are stable and never renamed.
 *
 * The stages are fixed. The controls here are only the shipped built-in defaults: the catalogue a
 * backend actually evaluates is these plus, minus or changed by `devsecops.controls` in its
 * app-config, and it is served by `GET /api/devsecops/controls` (`DevsecopsApi.getControlStack`).
 * Anything that lists or validates controls (views, the CLI, ingest) asks that catalogue, never
 * `PIPELINE_CONTROLS`.
 */

/** @public */
export type PipelineStageId =
  | 'commit'
  | 'pull-request'
  | 'build'
  | 'deploy'
  | 'runtime';

/** @public */
export interface PipelineStage {
  id: PipelineStageId;
  title: string;
  /** The seed's "Fail condition" column, verbatim. */
  failCondition: string;
  /** The seed's "Evidence" column, verbatim. */
  evidence: string;
}

/** @public */
export interface PipelineControl {
  id: string;
  stage: PipelineStageId;
  title: string;
}

/** @public */
export const PIPELINE_STAGES: readonly PipelineStage[] = [
  {
    id: 'commit',
    title: 'Commit',
    failCondition: 'Verified credential or private key committed',
    evidence: 'Scanner alert and rotation ticket',
  },
  {
    id: 'pull-request',
    title: 'Pull request',
    failCondition: 'High-risk change without owner review',
    evidence: 'PR review and check status',
  },
  {
    id: 'build',
    title: 'Build',
    failCondition: 'Critical exploitable dependency with no exception',
    evidence: 'Build logs, SBOM, artifact digest',
  },
  {
    id: 'deploy',
    title: 'Deploy',
    failCondition: 'Unknown artifact or unapproved production change',
    evidence: 'Deployment record and approver',
  },
  {
    id: 'runtime',
    title: 'Runtime',
    failCondition: 'Active exploit path or suspicious control-plane action',
    evidence: 'Alert, incident timeline, remediation record',
  },
];

/**
 * The built-in controls the backend ships with (its default catalogue), in board order. Not the
 * configured catalogue: use `GET /controls` for that. Literal (`as const`) so that
 * {@link BuiltInControlId} is a union and the backend's per-control defaults must cover each one.
 * @public
 */
export const PIPELINE_CONTROLS = [
  { id: 'secret-scanning', stage: 'commit', title: 'Secret scanning' },
  { id: 'pre-commit-checks', stage: 'commit', title: 'Pre-commit checks' },
  { id: 'code-review', stage: 'pull-request', title: 'Code review' },
  { id: 'dependency-diff', stage: 'pull-request', title: 'Dependency diff' },
  { id: 'iac-lint', stage: 'pull-request', title: 'IaC lint' },
  { id: 'sast', stage: 'build', title: 'SAST' },
  { id: 'dependency-scan', stage: 'build', title: 'Dependency scan' },
  { id: 'sbom', stage: 'build', title: 'SBOM' },
  { id: 'container-scan', stage: 'build', title: 'Container scan' },
  { id: 'policy-as-code', stage: 'deploy', title: 'Policy-as-code' },
  {
    id: 'production-approval',
    stage: 'deploy',
    title: 'Approval for production',
  },
  {
    id: 'signed-artifact-verification',
    stage: 'deploy',
    title: 'Signed artifact verification',
  },
  { id: 'cloud-audit-logs', stage: 'runtime', title: 'Cloud audit logs' },
  { id: 'workload-telemetry', stage: 'runtime', title: 'Workload telemetry' },
  {
    id: 'vulnerability-monitoring',
    stage: 'runtime',
    title: 'Vulnerability monitoring',
  },
] as const satisfies readonly PipelineControl[];

/**
 * The id of a built-in control. Configured controls may have other ids: a control id in general is
 * a `string`.
 * @public
 */
export type BuiltInControlId = (typeof PIPELINE_CONTROLS)[number]['id'];

/**
 * Groups controls (the configured catalogue from `GET /controls`) under their stage, in the seed's
 * stage order.
 * @public
 */
export function controlsByStage(
  controls: readonly PipelineControl[],
  stages: readonly PipelineStage[] = PIPELINE_STAGES,
): Array<{ stage: PipelineStage; controls: PipelineControl[] }> {
  const unknown = controls.filter(c => !stages.some(s => s.id === c.stage));
  if (unknown.length > 0) {
    throw new Error(
      `Controls reference unknown pipeline stages: ${unknown
        .map(c => `${c.id} → ${c.stage}`)
        .join(', ')}`,
    );
  }
  return stages.map(stage => ({
    stage,
    controls: controls.filter(c => c.stage === stage.id),
  }));
}
