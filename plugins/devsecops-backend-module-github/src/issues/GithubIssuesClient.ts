import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrations,
} from '@backstage/integration';
import { GithubApiError, nextLink } from '../GithubPullProvider';

/** An issue as the REST API returns it (only the fields this module reads). */
export interface GithubIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  /** Present on pull requests, which the issues API lists too. */
  pull_request?: unknown;
}

export interface GithubIssuesClientOptions {
  /** REST API base URL, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  apiBaseUrl: string;
  /** Host of the repositories (for credentials). Default `github.com`. */
  host?: string;
  /** Returns the Authorization headers for a repository URL (`https://host/owner/repo`), as the pull does. */
  getHeaders?: (repoUrl: string) => Promise<Record<string, string> | undefined>;
  fetch?: typeof fetch;
  /** Pages of open issues read per repository at most. Default 10 (1,000 issues). */
  maxPages?: number;
}

/** Parses `owner/repo`; throws on anything else. */
export function parseSlug(slug: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = slug.trim().split('/');
  if (!owner || !repo || rest.length) {
    throw new Error(`Invalid github.com/project-slug "${slug}", expected owner/repo`);
  }
  return { owner, repo };
}

/**
 * Lists, opens, comments on and closes issues of a GitHub repository through the REST API. It
 * authenticates exactly as {@link GithubPullProvider} does: `integrations.github` through
 * `@backstage/integration` (a GitHub App's installation token, or a token); the App needs
 * `issues: write`.
 */
export class GithubIssuesClient {
  private readonly fetchFn: typeof fetch;
  private readonly apiBaseUrl: string;
  readonly host: string;

  /** One client per configured GitHub integration (`integrations.github`, default github.com). */
  static fromConfig(
    config: Config,
    options: Omit<GithubIssuesClientOptions, 'apiBaseUrl' | 'host' | 'getHeaders'> = {},
  ): GithubIssuesClient[] {
    const integrations = ScmIntegrations.fromConfig(config);
    const credentials = DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    return integrations.github.list().map(integration => {
      const c: GithubIntegrationConfig = integration.config;
      return new GithubIssuesClient({
        ...options,
        apiBaseUrl: c.apiBaseUrl ?? `https://${c.host}/api/v3`,
        host: c.host,
        getHeaders: async url => (await credentials.getCredentials({ url })).headers,
      });
    });
  }

  constructor(private readonly options: GithubIssuesClientOptions) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.host = options.host ?? 'github.com';
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
  }

  /** Open issues (not pull requests) of `owner/repo` that carry `label`. */
  async listOpenIssues(slug: string, label: string): Promise<GithubIssue[]> {
    const base = this.repoPath(slug);
    const issues: GithubIssue[] = [];
    let url: string | undefined = `${this.apiBaseUrl}${base}/issues?${new URLSearchParams({
      state: 'open',
      labels: label,
      per_page: '100',
    })}`;
    const maxPages = this.options.maxPages ?? 10;
    for (let page = 0; url && page < maxPages; page++) {
      const response = await this.send(slug, 'GET', url);
      const body = await response.json();
      if (!Array.isArray(body)) {
        throw new GithubApiError(`GitHub ${base}/issues: expected a JSON array`, response.status);
      }
      issues.push(...(body as GithubIssue[]).filter(i => !i.pull_request));
      url = nextLink(response.headers.get('link'));
    }
    return issues;
  }

  async createIssue(
    slug: string,
    issue: { title: string; body: string; labels: string[] },
  ): Promise<GithubIssue> {
    const response = await this.send(slug, 'POST', `${this.apiBaseUrl}${this.repoPath(slug)}/issues`, issue);
    return (await response.json()) as GithubIssue;
  }

  async comment(slug: string, issueNumber: number, body: string): Promise<void> {
    await this.send(
      slug,
      'POST',
      `${this.apiBaseUrl}${this.repoPath(slug)}/issues/${issueNumber}/comments`,
      { body },
    );
  }

  /** Closes an issue, as completed unless said otherwise (`not_planned` for a duplicate). */
  async close(slug: string, issueNumber: number, reason: 'completed' | 'not_planned' = 'completed'): Promise<void> {
    await this.send(slug, 'PATCH', `${this.apiBaseUrl}${this.repoPath(slug)}/issues/${issueNumber}`, {
      state: 'closed',
      state_reason: reason,
    });
  }

  private repoPath(slug: string): string {
    const { owner, repo } = parseSlug(slug);
    return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  private async send(slug: string, method: string, url: string, body?: unknown): Promise<Response> {
    const { owner, repo } = parseSlug(slug);
    const headers = (await this.options.getHeaders?.(`https://${this.host}/${owner}/${repo}`)) ?? {};
    const response = await this.fetchFn(url, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      // GitHub's message only (never the request's headers).
      const text = (await response.text().catch(() => '')).slice(0, 200);
      throw new GithubApiError(`GitHub ${method} ${new URL(url).pathname}: HTTP ${response.status} ${text}`, response.status);
    }
    return response;
  }
}
