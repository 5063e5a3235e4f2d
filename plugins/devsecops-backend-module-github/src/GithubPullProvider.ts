import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrations,
} from '@backstage/integration';

/** The annotation that names an entity's GitHub repository (`owner/repo`). */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';

/** One GitHub alert as returned by the REST API (only the fields this module reads are typed). */
export type GithubAlert = Record<string, unknown> & {
  number: number;
  state: string;
};

/** Everything read from GitHub for one repository. `undefined` alert lists: the feature is off (404/403). */
export interface GithubRepoSnapshot {
  slug: string;
  host: string;
  defaultBranch: string;
  /** Classic protection of the default branch; `null` when unprotected (404), `undefined` when unknown (403). */
  branchProtection: Record<string, any> | null | undefined;
  /** Ruleset rules that apply to the default branch; `undefined` when unknown. */
  branchRules:
    | Array<{ type: string; parameters?: Record<string, any> }>
    | undefined;
  securityAndAnalysis:
    | Record<string, { status?: string } | undefined>
    | undefined;
  codeScanningAlerts: GithubAlert[] | undefined;
  dependabotAlerts: GithubAlert[] | undefined;
  secretScanningAlerts: GithubAlert[] | undefined;
  /**
   * Files of the default branch read through the contents API; `undefined` when unknown (403, or a
   * snapshot made without them).
   */
  contents?: GithubRepoContents;
  observedAt: Date;
}

/** One file of a repository as text. */
export interface GithubFile {
  path: string;
  text: string;
}

/** The repository files the control facts are read from. `null`: absent (404); `undefined`: unknown (403). */
export interface GithubRepoContents {
  /** `.pre-commit-config.yaml` at the root. */
  preCommitConfig: GithubFile | null | undefined;
  /** The CODEOWNERS file GitHub uses: `.github/`, the root or `docs/`, first found. */
  codeowners: GithubFile | null | undefined;
  /** `.github/workflows/*.yml` and `*.yaml`; empty when there is no workflow directory. */
  workflows: GithubFile[] | undefined;
}

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** A GitHub response the provider could not use. */
export class GithubApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'GithubApiError';
  }
}

export interface GithubPullProviderOptions {
  /** REST API base URL, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  apiBaseUrl: string;
  /** Host of the repositories (for credentials and snapshot labelling). Default `github.com`. */
  host?: string;
  /** Returns the Authorization headers for a repository URL (`https://host/owner/repo`). */
  getHeaders?: (repoUrl: string) => Promise<Record<string, string> | undefined>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Longest single wait for a rate limit reset; longer → error. Default 15 minutes. */
  maxRateLimitWaitMs?: number;
  /** Attempts per request when rate limited. Default 4. */
  maxAttempts?: number;
  /** Pages followed per list at most. Default 50 (5000 alerts). */
  maxPages?: number;
  /** Workflow files read per repository at most. Default 100. */
  maxWorkflowFiles?: number;
  logger?: { warn(message: string): void; debug?(message: string): void };
}

interface CachedResponse {
  etag: string;
  body: unknown;
  link: string | null;
}

type Outcome<T> = { ok: true; body: T } | { ok: false; status: number };

const PER_PAGE = 100;

/** Parses the `rel="next"` target of a Link header. */
export function nextLink(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/** Reads the security state of GitHub repositories through the REST API. */
export class GithubPullProvider {
  private readonly cache = new Map<string, CachedResponse>();
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly apiBaseUrl: string;
  readonly host: string;

  /** One provider per configured GitHub integration (`integrations.github`, default github.com). */
  static fromConfig(
    config: Config,
    options: Omit<
      GithubPullProviderOptions,
      'apiBaseUrl' | 'host' | 'getHeaders'
    > = {},
  ): GithubPullProvider[] {
    const integrations = ScmIntegrations.fromConfig(config);
    const credentials =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    return integrations.github.list().map(integration => {
      const c: GithubIntegrationConfig = integration.config;
      return new GithubPullProvider({
        ...options,
        apiBaseUrl: c.apiBaseUrl ?? `https://${c.host}/api/v3`,
        host: c.host,
        getHeaders: async url =>
          (await credentials.getCredentials({ url })).headers,
      });
    });
  }

  constructor(private readonly options: GithubPullProviderOptions) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.host = options.host ?? 'github.com';
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** Reads one repository (`owner/repo`). */
  async read(slug: string): Promise<GithubRepoSnapshot> {
    const [owner, repo, ...rest] = slug.trim().split('/');
    if (!owner || !repo || rest.length) {
      throw new Error(
        `Invalid ${GITHUB_SLUG_ANNOTATION} "${slug}", expected owner/repo`,
      );
    }
    const headers =
      (await this.options.getHeaders?.(
        `https://${this.host}/${owner}/${repo}`,
      )) ?? {};
    const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
      repo,
    )}`;

    const repository = await this.get<Record<string, any>>(base, headers);
    if (!repository.ok) {
      throw new GithubApiError(
        `GitHub repository ${slug}: HTTP ${repository.status}`,
        repository.status,
      );
    }
    const defaultBranch = String(repository.body.default_branch ?? 'main');
    const branch = encodeURIComponent(defaultBranch);

    const [protection, rules, code, dependabot, secrets, contents] = await Promise.all([
      this.get<Record<string, any>>(
        `${base}/branches/${branch}/protection`,
        headers,
      ),
      this.list<{ type: string }>(`${base}/rules/branches/${branch}`, headers),
      this.list<GithubAlert>(
        `${base}/code-scanning/alerts?state=open`,
        headers,
      ),
      this.list<GithubAlert>(`${base}/dependabot/alerts?state=open`, headers),
      this.list<GithubAlert>(
        `${base}/secret-scanning/alerts?state=open&hide_secret=true`,
        headers,
      ),
      this.readContents(base, defaultBranch, headers),
    ]);

    let branchProtection: GithubRepoSnapshot['branchProtection'];
    if (protection.ok) branchProtection = protection.body;
    else if (protection.status === 404) branchProtection = null;
    else branchProtection = undefined;

    return {
      slug: `${owner}/${repo}`,
      host: this.host,
      defaultBranch,
      branchProtection,
      branchRules: rules.ok ? rules.body : undefined,
      securityAndAnalysis: repository.body.security_and_analysis ?? undefined,
      codeScanningAlerts: code.ok ? code.body : undefined,
      dependabotAlerts: dependabot.ok ? dependabot.body : undefined,
      secretScanningAlerts: secrets.ok ? secrets.body : undefined,
      contents,
      observedAt: new Date(this.now()),
    };
  }

  /** The files the control facts need, at the default branch, through the contents API (ETags apply). */
  private async readContents(
    base: string,
    branch: string,
    headers: Record<string, string>,
  ): Promise<GithubRepoContents> {
    const [preCommitConfig, workflows, ...owners] = await Promise.all([
      this.file(base, '.pre-commit-config.yaml', branch, headers),
      this.workflowFiles(base, branch, headers),
      ...CODEOWNERS_PATHS.map(path => this.file(base, path, branch, headers)),
    ]);
    // GitHub uses the first CODEOWNERS in its search order; unknown (403) anywhere before a hit is unknown.
    let codeowners: GithubFile | null | undefined = null;
    for (const owner of owners) {
      if (owner === null) continue;
      codeowners = owner;
      break;
    }
    return { preCommitConfig, codeowners, workflows };
  }

  private async workflowFiles(
    base: string,
    branch: string,
    headers: Record<string, string>,
  ): Promise<GithubFile[] | undefined> {
    const dir = await this.get<unknown>(
      `${base}/contents/.github/workflows?ref=${encodeURIComponent(branch)}`,
      headers,
    );
    if (!dir.ok) return dir.status === 404 ? [] : undefined;
    if (!Array.isArray(dir.body)) return [];
    const max = this.options.maxWorkflowFiles ?? 100;
    const names = (dir.body as Array<Record<string, unknown>>)
      .filter(
        entry =>
          entry.type === 'file' &&
          typeof entry.name === 'string' &&
          (entry.name.endsWith('.yml') || entry.name.endsWith('.yaml')),
      )
      .map(entry => String(entry.name))
      .sort();
    if (names.length > max) {
      this.options.logger?.warn(
        `GitHub ${base}: read ${max} of ${names.length} workflow files`,
      );
    }
    const files = await Promise.all(
      names
        .slice(0, max)
        .map(name =>
          this.file(base, `.github/workflows/${name}`, branch, headers),
        ),
    );
    return files.filter((f): f is GithubFile => Boolean(f));
  }

  /** One file's text; `null` when absent (404), `undefined` when unknown (403) or not a readable file. */
  private async file(
    base: string,
    path: string,
    branch: string,
    headers: Record<string, string>,
  ): Promise<GithubFile | null | undefined> {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const response = await this.get<Record<string, unknown>>(
      `${base}/contents/${encoded}?ref=${encodeURIComponent(branch)}`,
      headers,
    );
    if (!response.ok) return response.status === 404 ? null : undefined;
    const body = response.body;
    if (Array.isArray(body) || body?.type !== 'file') return null;
    if (body.encoding !== 'base64' || typeof body.content !== 'string') {
      // Files over 1 MB come without content (encoding "none").
      this.options.logger?.warn(
        `GitHub ${base}/contents/${path}: no inline content (encoding ${String(
          body.encoding,
        )})`,
      );
      return undefined;
    }
    return {
      path,
      text: Buffer.from(body.content, 'base64').toString('utf8'),
    };
  }

  /** GET of a list with `per_page=100`, following Link `rel="next"`. 403/404 → not ok (feature off). */
  private async list<T>(
    path: string,
    headers: Record<string, string>,
  ): Promise<Outcome<T[]>> {
    const items: T[] = [];
    const separator = path.includes('?') ? '&' : '?';
    let url:
      | string
      | undefined = `${this.apiBaseUrl}${path}${separator}per_page=${PER_PAGE}`;
    const maxPages = this.options.maxPages ?? 50;
    for (let page = 0; url && page < maxPages; page++) {
      const response: { outcome: Outcome<unknown>; link: string | null } =
        await this.request(url, headers);
      if (!response.outcome.ok) {
        if (page === 0) return response.outcome;
        throw new GithubApiError(
          `GitHub ${url}: HTTP ${response.outcome.status}`,
          response.outcome.status,
        );
      }
      const body = response.outcome.body;
      if (!Array.isArray(body)) {
        throw new GithubApiError(`GitHub ${url}: expected a JSON array`, 200);
      }
      items.push(...(body as T[]));
      url = nextLink(response.link);
    }
    if (url) {
      this.options.logger?.warn(
        `GitHub ${path}: stopped after ${maxPages} pages`,
      );
    }
    return { ok: true, body: items };
  }

  private async get<T>(
    path: string,
    headers: Record<string, string>,
  ): Promise<Outcome<T>> {
    const { outcome } = await this.request(
      `${this.apiBaseUrl}${path}`,
      headers,
    );
    return outcome as Outcome<T>;
  }

  /**
   * One GET with ETag reuse (304 → the cached body) and rate limit handling: 403/429 with
   * `retry-after` or `x-ratelimit-remaining: 0` wait (bounded), then retry. Other 403/404 → not ok.
   */
  private async request(
    url: string,
    headers: Record<string, string>,
  ): Promise<{ outcome: Outcome<unknown>; link: string | null }> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const maxWait = this.options.maxRateLimitWaitMs ?? 15 * 60_000;
    for (let attempt = 1; ; attempt++) {
      const cached = this.cache.get(url);
      const response = await this.fetchFn(url, {
        headers: {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          ...headers,
          ...(cached ? { 'If-None-Match': cached.etag } : {}),
        },
      });
      if (response.status === 304 && cached) {
        return { outcome: { ok: true, body: cached.body }, link: cached.link };
      }
      if (response.ok) {
        const body = await response.json();
        const etag = response.headers.get('etag');
        const link = response.headers.get('link');
        if (etag) this.cache.set(url, { etag, body, link });
        return { outcome: { ok: true, body }, link };
      }
      const wait = await this.rateLimitWait(response, attempt);
      if (wait === undefined) {
        if (
          response.status === 403 ||
          response.status === 404 ||
          response.status === 410
        ) {
          await response.text().catch(() => '');
          return {
            outcome: { ok: false, status: response.status },
            link: null,
          };
        }
        throw new GithubApiError(
          `GitHub ${url}: HTTP ${response.status} ${(
            await response.text()
          ).slice(0, 200)}`,
          response.status,
        );
      }
      if (attempt >= maxAttempts || wait > maxWait) {
        throw new GithubApiError(
          `GitHub ${url}: rate limited, retry in ${Math.ceil(
            wait / 1000,
          )}s (attempt ${attempt})`,
          response.status,
        );
      }
      this.options.logger?.warn(
        `GitHub rate limit on ${url}, waiting ${Math.ceil(wait / 1000)}s`,
      );
      await this.sleep(wait);
    }
  }

  /** Milliseconds to wait when the response is a (primary or secondary) rate limit, else undefined. */
  private async rateLimitWait(
    response: Response,
    attempt: number,
  ): Promise<number | undefined> {
    if (response.status !== 403 && response.status !== 429) return undefined;
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) {
      return Number(retryAfter) * 1000;
    }
    const remaining = response.headers.get('x-ratelimit-remaining');
    const reset = response.headers.get('x-ratelimit-reset');
    if (remaining === '0' && reset && /^\d+$/.test(reset)) {
      return Math.max(0, Number(reset) * 1000 - this.now()) + 1000;
    }
    if (response.status === 429) return 60_000 * 2 ** (attempt - 1);
    // Secondary rate limit without headers: the message says so; back off exponentially.
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    if (/secondary rate limit|abuse/i.test(text))
      return 60_000 * 2 ** (attempt - 1);
    return undefined;
  }
}
