import { parse } from 'yaml';
import { GithubFile, GithubRepoContents } from './GithubPullProvider';

/** One job of a workflow that calls a reusable workflow of another repository. */
export interface ReusableWorkflowCall {
  /** The calling workflow file, e.g. `.github/workflows/ci.yml`. */
  caller: string;
  job: string;
  /** `owner/repo/.github/workflows/file.yml`, without the ref. */
  workflow: string;
  ref: string;
  /** The ref is a full commit SHA. */
  pinned: boolean;
  /** The workflow is one of `devsecops.github.pavedRoadWorkflows`. */
  pavedRoad: boolean;
}

/** A step (or job) that runs a tool the facts care about. */
export interface WorkflowStepSighting {
  caller: string;
  job: string;
  /** The job's check name as GitHub reports it: its `name`, else its id. */
  check: string;
  /** The workflow runs on pull requests (`pull_request`, `pull_request_target` or `merge_group`). */
  onPullRequests: boolean;
  /** `uses:` of the step, or `run` for a shell step. */
  uses: string;
}

/** What the workflows of a repository run. */
export interface WorkflowFindings {
  reusableCalls: ReusableWorkflowCall[];
  dependencyReview: WorkflowStepSighting[];
  preCommit: WorkflowStepSighting[];
  /** Workflow files that are not valid YAML (named in the facts, never guessed at). */
  unparsable: string[];
}

const DEPENDENCY_REVIEW_ACTION = 'actions/dependency-review-action';
const PRE_COMMIT_ACTIONS = ['pre-commit/action', 'pre-commit-ci/lite-action'];
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'];
const FULL_SHA = /^[0-9a-f]{40}$/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** The events of a workflow's `on:` (a string, a list or a map). */
function events(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((e): e is string => typeof e === 'string');
  if (isRecord(on)) return Object.keys(on);
  return [];
}

/** `uses:` without its `@ref`, lower-cased (GitHub owner and repository names are case-insensitive). */
function actionOf(uses: string): string {
  const at = uses.lastIndexOf('@');
  return (at > 0 ? uses.slice(0, at) : uses).toLowerCase();
}

/**
 * Parses `owner/repo/path/to/workflow.yml@ref`. Local calls (`./.github/workflows/x.yml`) and
 * Docker or malformed references are not calls to a shared workflow.
 */
export function parseReusableWorkflowRef(
  uses: string,
): { workflow: string; ref: string; pinned: boolean } | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const at = uses.lastIndexOf('@');
  if (at <= 0) return undefined;
  const workflow = uses.slice(0, at);
  const ref = uses.slice(at + 1);
  const parts = workflow.split('/');
  if (parts.length < 3 || parts.some(p => p === '') || !ref) return undefined;
  return { workflow, ref, pinned: FULL_SHA.test(ref) };
}

/** Whether a shell step runs pre-commit: a command line whose words include `pre-commit run`. */
function runsPreCommit(run: string): boolean {
  return run.split('\n').some(line => {
    const words = line.trim().split(/\s+/);
    return words.some((word, i) => word === 'pre-commit' && words[i + 1] === 'run');
  });
}

/** Reads every workflow (parsed with the `yaml` library) for reusable calls, dependency review and pre-commit. */
export function readWorkflows(files: GithubFile[], pavedRoadWorkflows: string[]): WorkflowFindings {
  const pavedRoad = new Set(pavedRoadWorkflows.map(w => w.toLowerCase()));
  const findings: WorkflowFindings = { reusableCalls: [], dependencyReview: [], preCommit: [], unparsable: [] };
  for (const file of files) {
    let doc: unknown;
    try {
      doc = parse(file.text, { prettyErrors: false });
    } catch {
      findings.unparsable.push(file.path);
      continue;
    }
    if (!isRecord(doc) || !isRecord(doc.jobs)) continue;
    const onPullRequests = events(doc.on).some(e => PULL_REQUEST_EVENTS.includes(e));
    for (const [jobId, job] of Object.entries(doc.jobs)) {
      if (!isRecord(job)) continue;
      const check = typeof job.name === 'string' ? job.name : jobId;
      if (typeof job.uses === 'string') {
        const call = parseReusableWorkflowRef(job.uses);
        if (call) {
          findings.reusableCalls.push({
            caller: file.path,
            job: jobId,
            ...call,
            pavedRoad: pavedRoad.has(call.workflow.toLowerCase()),
          });
        }
      }
      const steps = Array.isArray(job.steps) ? job.steps.filter(isRecord) : [];
      for (const step of steps) {
        const sighting = { caller: file.path, job: jobId, check, onPullRequests };
        if (typeof step.uses === 'string') {
          const action = actionOf(step.uses);
          if (action === DEPENDENCY_REVIEW_ACTION) findings.dependencyReview.push({ ...sighting, uses: step.uses });
          if (PRE_COMMIT_ACTIONS.includes(action)) findings.preCommit.push({ ...sighting, uses: step.uses });
        }
        if (typeof step.run === 'string' && runsPreCommit(step.run)) {
          findings.preCommit.push({ ...sighting, uses: 'run' });
        }
      }
    }
  }
  return findings;
}

/** The hooks a `.pre-commit-config.yaml` configures (`repos[].hooks[].id`); undefined when it is not valid YAML. */
export function preCommitHooks(file: GithubFile): string[] | undefined {
  let doc: unknown;
  try {
    doc = parse(file.text, { prettyErrors: false });
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !Array.isArray(doc.repos)) return [];
  return doc.repos
    .filter(isRecord)
    .flatMap(repo => (Array.isArray(repo.hooks) ? repo.hooks.filter(isRecord) : []))
    .map(hook => hook.id)
    .filter((id): id is string => typeof id === 'string');
}

/** A required status check named for dependency review (`dependency-review`, `Dependency Review`, …). */
function isDependencyReviewCheck(context: string): boolean {
  const words = context.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join('-');
  return words.includes('dependency-review');
}

/** Options of the contents facts. */
export interface ContentsFactOptions {
  /** `devsecops.github.pavedRoadWorkflows`: `owner/repo/.github/workflows/file.yml`. */
  pavedRoadWorkflows?: string[];
}

/**
 * Facts from repository files and the required status checks: pre-commit, reusable workflows,
 * dependency review and code owners. Facts whose inputs are unknown (403) are left out.
 */
export function contentsFacts(
  contents: GithubRepoContents,
  requiredChecks: string[] | undefined,
  requireCodeOwnerReviews: boolean | undefined,
  options: ContentsFactOptions,
  add: (fact: string, value: unknown) => void,
): void {
  const workflows = contents.workflows
    ? readWorkflows(contents.workflows, options.pavedRoadWorkflows ?? [])
    : undefined;
  if (workflows?.unparsable.length) add('ci.unparsable_workflows', workflows.unparsable);

  // Pre-commit: a configuration at the root with hooks, or a workflow step that runs it.
  const hooks = contents.preCommitConfig ? preCommitHooks(contents.preCommitConfig) : undefined;
  const configured = hooks !== undefined && hooks.length > 0;
  const steps = workflows?.preCommit ?? [];
  if (configured || steps.length > 0 || (contents.preCommitConfig !== undefined && workflows)) {
    add('pre_commit.enabled', configured || steps.length > 0);
    add('pre_commit.hooks', hooks ?? []);
    add('pre_commit.workflow_steps', steps.map(s => `${s.caller}#${s.job}`));
  }

  if (workflows) {
    // Reusable workflows: with a configured paved road, only a call to it counts.
    const pavedRoad = (options.pavedRoadWorkflows ?? []).length > 0;
    const calls = workflows.reusableCalls;
    add('ci.reusable_workflow', pavedRoad ? calls.some(c => c.pavedRoad) : calls.length > 0);
    add('ci.reusable_workflows', calls);

  }

  // Dependency review: the action in a workflow that runs on pull requests, or a required check of
  // that name (an organisation's required workflow is not in the repository).
  const required = requiredChecks ?? [];
  const onPullRequests = (workflows?.dependencyReview ?? []).filter(s => s.onPullRequests);
  const requiredByName = required.filter(isDependencyReviewCheck);
  const requiredStep = onPullRequests.some(s => required.includes(s.check) || required.includes(s.job));
  if (workflows || requiredByName.length > 0) {
    add('dependency_review.enabled', onPullRequests.length > 0 || requiredByName.length > 0);
    add('dependency_review.workflow_steps', onPullRequests.map(s => `${s.caller}#${s.job}`));
  }
  if (requiredChecks !== undefined && (workflows || requiredByName.length > 0)) {
    add('dependency_review.required', requiredStep || requiredByName.length > 0);
  }

  // Owner review: a CODEOWNERS file and branch protection or a ruleset requiring code owner review.
  if (contents.codeowners !== undefined) {
    add('code_owners.present', contents.codeowners !== null);
    if (contents.codeowners) add('code_owners.path', contents.codeowners.path);
    if (requireCodeOwnerReviews !== undefined) {
      add('code_review.owner_review', contents.codeowners !== null && requireCodeOwnerReviews);
    }
  }
}
