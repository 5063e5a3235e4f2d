import { createHash } from 'node:crypto';
import { DemoHistoryEntity } from './demoHistory';
import { daysAgoOf, DemoAlert, demoRepositoryState, DemoRepositoryState } from './demoGithubRepositories';

/**
 * Demo only: the answers of the GitHub REST API endpoints the GitHub module reads
 * (GithubPullProvider), for the demo organisation's repositories. Response bodies follow GitHub's
 * documented examples (fixtures/github-api, passed in as templates) with the demo repository's
 * values; errors are GitHub's own messages. `asOf` (a day) answers as GitHub did that day, for the
 * history's pulls; the past keeps no alerts (the alert endpoints answer 403 as to a token without
 * the security-events permission): the history's findings come from its pipeline's reports.
 */

/** GitHub's documented example responses the answers are built from (fixtures/github-api). */
export interface DemoGithubTemplates {
  branchProtection: Record<string, any>;
  dependabotAlert: Record<string, any>;
  secretScanningAlert: Record<string, any>;
}

export interface DemoGithubRequest {
  /** The API path, e.g. `/repos/acme/payments-api/branches/main/protection`. */
  path: string;
  /** `YYYY-MM-DD`: answer as on that day; absent: today. */
  asOf?: string;
  ifNoneMatch?: string;
}

export interface DemoGithubAnswer {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}

export interface DemoGithubContext {
  entities: DemoHistoryEntity[];
  days: number;
  templates: DemoGithubTemplates;
  now?: number;
}

const API = 'https://api.github.com';
const DOCS = 'https://docs.github.com/rest';

const error = (status: number, message: string, docs: string): DemoGithubAnswer => ({
  status,
  body: { message, documentation_url: `${DOCS}/${docs}`, status: String(status) },
  headers: {},
});
const NOT_FOUND = (docs = 'repos/repos#get-a-repository') => error(404, 'Not Found', docs);
const NOT_ACCESSIBLE = (docs: string) => error(403, 'Resource not accessible by integration', docs);

/** A git blob id, as GitHub gives files (`sha1("blob <size>\0<content>")`). */
const blobSha = (text: string) =>
  createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');

/** Base64 in lines of 60 characters, the way the contents API sends it. */
const base64Lines = (text: string) =>
  `${(Buffer.from(text).toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;

function contentEntry(repo: DemoRepositoryState, path: string, text: string, withContent: boolean) {
  const full = `${repo.owner}/${repo.name}`;
  const sha = blobSha(text);
  const url = `${API}/repos/${full}/contents/${path}?ref=${repo.defaultBranch}`;
  const html = `https://github.com/${full}/blob/${repo.defaultBranch}/${path}`;
  const git = `${API}/repos/${full}/git/blobs/${sha}`;
  return {
    type: 'file',
    ...(withContent ? { encoding: 'base64' } : {}),
    size: Buffer.byteLength(text),
    name: path.split('/').pop(),
    path,
    ...(withContent ? { content: base64Lines(text) } : {}),
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${full}/${repo.defaultBranch}/${path}`,
    _links: { self: url, git, html },
  };
}

function contents(repo: DemoRepositoryState, path: string): DemoGithubAnswer {
  const text = repo.files[path];
  if (text !== undefined) return { status: 200, body: contentEntry(repo, path, text, true), headers: {} };
  const prefix = `${path.replace(/\/+$/, '')}/`;
  const entries = Object.keys(repo.files)
    .filter(file => file.startsWith(prefix) && !file.slice(prefix.length).includes('/'))
    .sort()
    .map(file => contentEntry(repo, file, repo.files[file], false));
  if (entries.length) return { status: 200, body: entries, headers: {} };
  return NOT_FOUND('repos/contents#get-repository-content');
}

function repository(repo: DemoRepositoryState) {
  const full = `${repo.owner}/${repo.name}`;
  const status = (on: boolean) => ({ status: on ? 'enabled' : 'disabled' });
  return {
    id: createHash('sha1').update(full).digest().readUInt32LE(0) & 0x7fffffff,
    name: repo.name,
    full_name: full,
    private: true,
    owner: { login: repo.owner, type: 'Organization', url: `${API}/users/${repo.owner}`, html_url: `https://github.com/${repo.owner}` },
    html_url: `https://github.com/${full}`,
    url: `${API}/repos/${full}`,
    visibility: 'private',
    default_branch: repo.defaultBranch,
    archived: false,
    security_and_analysis: {
      advanced_security: status(repo.codeScanning || repo.secretScanning),
      secret_scanning: status(repo.secretScanning),
      secret_scanning_push_protection: status(repo.secretScanning),
      dependabot_security_updates: status(repo.dependabot),
    },
  };
}

function protection(repo: DemoRepositoryState, template: Record<string, any>) {
  const url = `${API}/repos/${repo.owner}/${repo.name}/branches/${repo.defaultBranch}/protection`;
  const p = repo.protection!;
  return {
    ...template,
    url,
    required_status_checks: {
      url: `${url}/required_status_checks`,
      strict: true,
      contexts: p.checks,
      checks: p.checks.map(context => ({ context, app_id: 15368 })),
      contexts_url: `${url}/required_status_checks/contexts`,
      enforcement_level: 'non_admins',
    },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: true },
    required_pull_request_reviews: {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: p.codeOwnerReviews,
      required_approving_review_count: p.reviews,
      require_last_push_approval: p.reviews > 1,
    },
    // The demo restricts no pushers beyond the reviews.
    restrictions: undefined,
  };
}

function dependabotAlert(repo: DemoRepositoryState, alert: DemoAlert, template: Record<string, any>) {
  const full = `${repo.owner}/${repo.name}`;
  // GitHub's documented example as it is (a real advisory on ansible, pip), in the repository's
  // deployment tooling: only where it sits and when it was opened are the demo's.
  return {
    ...template,
    number: alert.number,
    state: 'open',
    dependency: { ...template.dependency, manifest_path: alert.detail.manifest },
    url: `${API}/repos/${full}/dependabot/alerts/${alert.number}`,
    html_url: `https://github.com/${full}/security/dependabot/${alert.number}`,
    created_at: alert.created,
    updated_at: alert.created,
  };
}

/** A secret scanning alert as GitHub lists it with `hide_secret=true`: the `secret` field is absent. */
function secretScanningAlert(repo: DemoRepositoryState, alert: DemoAlert, template: Record<string, any>) {
  const full = `${repo.owner}/${repo.name}`;
  const { secret: _never, ...withoutSecret } = template;
  return {
    ...withoutSecret,
    number: alert.number,
    created_at: alert.created,
    updated_at: alert.created,
    url: `${API}/repos/${full}/secret-scanning/alerts/${alert.number}`,
    html_url: `https://github.com/${full}/security/secret-scanning/${alert.number}`,
    locations_url: `${API}/repos/${full}/secret-scanning/alerts/${alert.number}/locations`,
    state: 'open',
    secret_type: alert.detail.type,
    secret_type_display_name: alert.detail.display,
    validity: 'active',
    first_location_detected: { path: alert.detail.path, start_line: 4, end_line: 4, start_column: 14, end_column: 92 },
    metadata: undefined,
  };
}

/** The answer to one GET of the GitHub REST API. */
export function answerDemoGithub(request: DemoGithubRequest, context: DemoGithubContext): DemoGithubAnswer {
  const answer = route(request, context);
  if (answer.status !== 200) return answer;
  const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex').slice(0, 32)}"`;
  if (request.ifNoneMatch === etag) return { status: 304, headers: { etag } };
  return { ...answer, headers: { ...answer.headers, etag } };
}

function route(request: DemoGithubRequest, context: DemoGithubContext): DemoGithubAnswer {
  const now = context.now ?? Date.now();
  const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(request.path);
  if (!match) return NOT_FOUND('overview/endpoints-available-for-github-apps');
  const [, owner, name, rest = ''] = match.map(part => (part === undefined ? part : decodeURIComponent(part)));
  const entity = context.entities.find(e => e.entity.replace(/^.*[:/]/, '') === name);
  if (owner !== 'acme' || !entity) return NOT_FOUND();
  const daysAgo = request.asOf ? daysAgoOf(request.asOf, now) : 0;
  if (!Number.isFinite(daysAgo) || daysAgo < 0) return error(400, `Invalid date ${request.asOf}`, 'overview');
  // Before the history starts the repository did not exist.
  if (daysAgo > context.days) return NOT_FOUND();
  const repo = demoRepositoryState(entity, context.days, daysAgo, now);
  const today = daysAgo === 0;

  if (rest === '') return { status: 200, body: repository(repo), headers: {} };
  const branch = /^\/branches\/([^/]+)\/protection$/.exec(rest);
  if (branch) {
    if (branch[1] !== repo.defaultBranch) return error(404, 'Branch not found', 'branches/branch-protection#get-branch-protection');
    return repo.protection
      ? { status: 200, body: protection(repo, context.templates.branchProtection), headers: {} }
      : error(404, 'Branch not protected', 'branches/branch-protection#get-branch-protection');
  }
  // The demo organisation uses classic branch protection, no rulesets.
  if (/^\/rules\/branches\/[^/]+$/.test(rest)) return { status: 200, body: [], headers: {} };
  const contentsPath = /^\/contents\/(.+)$/.exec(rest);
  if (contentsPath) return contents(repo, contentsPath[1]);

  if (rest === '/code-scanning/alerts') {
    if (!today) return NOT_ACCESSIBLE('code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository');
    return repo.codeScanning
      ? { status: 200, body: [], headers: {} }
      : error(404, 'no analysis found', 'code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository');
  }
  if (rest === '/dependabot/alerts') {
    if (!today) return NOT_ACCESSIBLE('dependabot/alerts#list-dependabot-alerts-for-a-repository');
    if (!repo.dependabot) return error(403, 'Dependabot alerts are disabled for this repository.', 'dependabot/alerts#list-dependabot-alerts-for-a-repository');
    const body = repo.alerts.dependabot.map(a => dependabotAlert(repo, a, context.templates.dependabotAlert));
    return { status: 200, body, headers: {} };
  }
  if (rest === '/secret-scanning/alerts') {
    if (!today) return NOT_ACCESSIBLE('secret-scanning/secret-scanning#list-secret-scanning-alerts-for-a-repository');
    if (!repo.secretScanning) return error(404, 'Secret scanning is disabled on this repository.', 'secret-scanning/secret-scanning#list-secret-scanning-alerts-for-a-repository');
    const body = repo.alerts.secretScanning.map(a => secretScanningAlert(repo, a, context.templates.secretScanningAlert));
    return { status: 200, body, headers: {} };
  }
  return NOT_FOUND();
}
