import { createHash } from 'node:crypto';
import { demoAdoption, DemoHistoryEntity, random } from './demoHistory';

/**
 * Demo only: what each demo entity's GitHub repository holds on a given day of the history, the
 * state the demo's GitHub API (demoGithubApi.ts) answers from. It follows the entity's adoption
 * plan (demoHistory.ts): before the basics the default branch is unprotected, Dependabot is off
 * and CI is one inline job; from the basics on, branch protection with required reviews, a
 * required `build` check, CODEOWNERS with code-owner review, Dependabot and secret scanning; from
 * the standard stage on, the platform team's reusable build workflow (pinned by SHA), dependency
 * review on pull requests and pre-commit hooks. Which service adopts what varies per entity (a
 * seed of its own), so the portal shows a mix.
 */

/** The platform team's paved-road build workflow (devsecops.github.pavedRoadWorkflows in app-config.demo.yaml). */
export const DEMO_PAVED_ROAD = 'acme/ci-templates/.github/workflows/build.yml';
/** The paved road's release the demo services pin (a full commit SHA). */
const PAVED_ROAD_SHA = createHash('sha1').update('acme/ci-templates@v3.2.0').digest('hex');
/** A pinned dependency-review-action (v4.5.0). */
const DEPENDENCY_REVIEW_SHA = '3b139cfc5fae8b618d3eae3675e383bb1769c019';

/** One open alert as the demo's GitHub reports it, built from GitHub's documented example. */
export interface DemoAlert {
  number: number;
  created: string;
  /** Dependabot: the manifest (the advisory and package are GitHub's example's); secret scanning: type, display name and path. */
  detail: Record<string, string>;
}

/** The state of one repository on one day. */
export interface DemoRepositoryState {
  owner: string;
  name: string;
  defaultBranch: string;
  /** Classic protection of the default branch; undefined: unprotected (GitHub answers 404). */
  protection?: { reviews: number; codeOwnerReviews: boolean; checks: string[] };
  dependabot: boolean;
  secretScanning: boolean;
  codeScanning: boolean;
  /** Files of the default branch, by path. */
  files: Record<string, string>;
  /** Open alerts per feature (read only for today: the past's alerts are not kept). */
  alerts: { dependabot: DemoAlert[]; secretScanning: DemoAlert[]; codeScanning: DemoAlert[] };
}

const inlineCi = (language: string) => `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build and test
        run: ${language === 'java' ? './mvnw -B verify' : 'make test'}
`;

const pavedRoadCi = `name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    uses: ${DEMO_PAVED_ROAD}@${PAVED_ROAD_SHA}
    with:
      run-tests: true
    secrets: inherit
`;

/** A reusable workflow that is not the paved road: a team's own, by tag. */
const legacyCi = `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    uses: acme/legacy-ci/.github/workflows/maven.yml@v2
`;

const dependencyReview = `name: Dependency review
on: [pull_request]
permissions:
  contents: read
jobs:
  dependency-review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/dependency-review-action@${DEPENDENCY_REVIEW_SHA} # v4.5.0
        with:
          fail-on-severity: high
`;

const preCommitConfig = `repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: check-yaml
      - id: end-of-file-fixer
      - id: detect-private-key
  - repo: https://github.com/gitleaks/gitleaks
    rev: v8.24.2
    hooks:
      - id: gitleaks
`;

const preCommitWorkflow = `name: pre-commit
on:
  pull_request:
jobs:
  pre-commit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - uses: pre-commit/action@v3.0.1
`;

/** The day (UTC, `YYYY-MM-DD`) of an instant. */
export const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Whole days from `day` (`YYYY-MM-DD`) to today. */
export function daysAgoOf(day: string, now: number): number {
  return Math.round((Date.parse(dayOf(now)) - Date.parse(day)) / 86_400_000);
}

/**
 * The repository of `entity` as it was `daysAgo` days before today, in a history of `days` days.
 * Today (`daysAgo` 0) is the history's end state.
 */
export function demoRepositoryState(
  entity: DemoHistoryEntity,
  days: number,
  daysAgo: number,
  now = Date.now(),
): DemoRepositoryState {
  const plan = demoAdoption(entity.entity, entity.trajectory, days);
  const adopted = (when?: number) => when !== undefined && daysAgo <= when;
  // The repository's own choices, from a seed of its own (the history's draws stay untouched).
  const rand = random(`${entity.entity}#repository`);
  const name = entity.entity.replace(/^.*[:/]/, '');
  const leading = entity.trajectory === 'leading';
  const usesPreCommit =
    leading || (entity.trajectory === 'improving' ? adopted(plan.standard) : entity.trajectory === 'steady' && rand() < 0.5);
  const preCommitInCi = leading || rand() < 0.5;
  const basics = adopted(plan.basics);
  const standard = adopted(plan.standard);

  const files: Record<string, string> = {};
  if (entity.trajectory === 'struggling' && basics) files['.github/workflows/ci.yml'] = legacyCi;
  else files['.github/workflows/ci.yml'] = standard ? pavedRoadCi : inlineCi(rand() < 0.5 ? 'java' : 'go');
  if (standard) files['.github/workflows/dependency-review.yml'] = dependencyReview;
  if (usesPreCommit) {
    files['.pre-commit-config.yaml'] = preCommitConfig;
    if (preCommitInCi) files['.github/workflows/pre-commit.yml'] = preCommitWorkflow;
  }
  if (basics) files['.github/CODEOWNERS'] = `# Owners of ${name}\n* @acme/${name}-maintainers\n/infra/ @acme/platform-team\n`;

  const checks = ['build'];
  if (standard && entity.trajectory !== 'struggling') checks.push('dependency-review');
  const created = (ago: number) => new Date(now - ago * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    owner: 'acme',
    name,
    defaultBranch: 'main',
    protection: basics
      ? { reviews: (entity.trajectory === 'improving' || leading) && standard ? 2 : 1, codeOwnerReviews: true, checks }
      : undefined,
    dependabot: basics,
    secretScanning: basics,
    codeScanning: standard,
    files,
    alerts: {
      // An improving or leading team keeps its Dependabot queue empty; the others have one open alert.
      dependabot:
        basics && entity.trajectory !== 'improving' && !leading
          ? [{ number: 1, created: created(21), detail: { manifest: 'deploy/requirements.txt' } }]
          : [],
      // A struggling service has a leaked token GitHub found (its value is never served: hide_secret).
      secretScanning:
        basics && entity.trajectory === 'struggling'
          ? [{ number: 3, created: created(12), detail: { type: 'slack_incoming_webhook_url', display: 'Slack Incoming Webhook URL', path: 'config/notify.env' } }]
          : [],
      codeScanning: [],
    },
  };
}
