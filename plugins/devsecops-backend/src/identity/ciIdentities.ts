import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import type { ResolvedEntity } from '../catalog/EntityResolver';
import { parseRepository } from '../catalog/EntityResolver';

/**
 * Who writes evidence (reports, deployments, facts, attestations, runtime signals, gate
 * decisions, snapshots): the name recorded as the actor, and the check the services run right
 * after resolving the target entity.
 */
export interface EvidenceWriter {
  /** The actor recorded with the write: the service principal's subject. */
  readonly name: string;
  /** Throws NotAllowedError (403) when this writer may not write evidence for the entity. */
  assertMayWrite(entity: ResolvedEntity): void;
  /** True for writers of every entity (plugins, unlisted tokens): they may also write org-wide data (feeds). */
  readonly orgWide?: boolean;
}

/** An OIDC issuer whose tokens `backend.auth.externalAccess` (type jwks) verifies. */
export interface OidcCiIdentity {
  /** The externalAccess entry's `options.subjectPrefix`: its principals are `external:<prefix>:<sub>`. */
  subjectPrefix: string;
  /** How the `sub` claim names the repository: GitHub Actions' or GitLab CI's format. */
  subjectFormat: 'github' | 'gitlab';
  /** The entity annotation the repository must equal (default by format: `github.com/project-slug`). */
  annotation: string;
  /** When set, only tokens of these refs (e.g. `refs/heads/main`) write. */
  refs?: string[];
  /** When set, only tokens of these deployment environments write. */
  environments?: string[];
  /** Whether tokens of pull-request workflows write (default false: a fork's PR must not publish evidence). */
  allowPullRequests: boolean;
}

/** A static token's subject (`externalAccess` type static) restricted to entities or repositories. */
export interface StaticCiIdentity {
  subject: string;
  /** Entity refs (full, `component:default/payments-api`) this token may write for. */
  entities?: string[];
  /** Repositories (`org/repo`) whose entities this token may write for. */
  repositories?: string[];
}

export interface CiIdentityPolicy {
  oidc: OidcCiIdentity[];
  static: StaticCiIdentity[];
}

export const EMPTY_CI_IDENTITY_POLICY: CiIdentityPolicy = {
  oidc: [],
  static: [],
};

/** A writer for every entity: plugins' own tokens, unlisted static tokens, the benchmarks. */
export function unrestrictedWriter(name: string): EvidenceWriter {
  return { name, orgWide: true, assertMayWrite: () => {} };
}

const DEFAULT_ANNOTATION = {
  github: 'github.com/project-slug',
  gitlab: 'gitlab.com/project-slug',
};

/** Reads `devsecops.ciIdentities`; a bad entry stops the backend with the key named. */
export function readCiIdentities(root: Config): CiIdentityPolicy {
  const config = root.getOptionalConfig('devsecops.ciIdentities');
  if (!config) return EMPTY_CI_IDENTITY_POLICY;
  const oidc = (config.getOptionalConfigArray('oidc') ?? []).map(
    (entry, index) => {
      const key = `devsecops.ciIdentities.oidc[${index}]`;
      const subjectPrefix = entry.getString('subjectPrefix');
      if (!/^\S+$/.test(subjectPrefix) || subjectPrefix.includes(':')) {
        throw new Error(
          `${key}.subjectPrefix must be the externalAccess subjectPrefix (no spaces or ':'), got '${subjectPrefix}'`,
        );
      }
      const subjectFormat =
        entry.getOptionalString('subjectFormat') ?? 'github';
      if (subjectFormat !== 'github' && subjectFormat !== 'gitlab') {
        throw new Error(
          `${key}.subjectFormat must be github or gitlab, got '${subjectFormat}'`,
        );
      }
      return {
        subjectPrefix,
        subjectFormat,
        annotation:
          entry.getOptionalString('annotation') ??
          DEFAULT_ANNOTATION[subjectFormat],
        refs: entry.getOptionalStringArray('refs'),
        environments: entry.getOptionalStringArray('environments'),
        allowPullRequests:
          entry.getOptionalBoolean('allowPullRequests') ?? false,
      } satisfies OidcCiIdentity;
    },
  );
  const seen = new Set<string>();
  for (const entry of oidc) {
    if (seen.has(entry.subjectPrefix)) {
      throw new Error(
        `devsecops.ciIdentities.oidc names subjectPrefix '${entry.subjectPrefix}' twice`,
      );
    }
    seen.add(entry.subjectPrefix);
  }
  const statics = (config.getOptionalConfigArray('static') ?? []).map(
    (entry, index) => {
      const key = `devsecops.ciIdentities.static[${index}]`;
      const subject = entry.getString('subject');
      const entities = entry.getOptionalStringArray('entities');
      const repositories = entry
        .getOptionalStringArray('repositories')
        ?.map(r => {
          try {
            return parseRepository(r).slug.toLowerCase();
          } catch {
            throw new Error(
              `${key}.repositories: malformed repository '${r}', use org/repo`,
            );
          }
        });
      if (!entities && !repositories) {
        throw new Error(
          `${key} (${subject}) must list entities or repositories; leave an unrestricted token out of the list`,
        );
      }
      return {
        subject,
        entities: entities?.map(e => e.toLowerCase()),
        repositories,
      } satisfies StaticCiIdentity;
    },
  );
  return { oidc, static: statics };
}

/** The parts of an OIDC `sub` claim the policy checks. */
export interface CiSubject {
  repository: string;
  ref?: string;
  environment?: string;
  pullRequest: boolean;
}

// Keys GitHub may put in a (customised) subject claim, each followed by its value.
const GITHUB_KEYS = new Set([
  'repo',
  'ref',
  'environment',
  'context',
  'job_workflow_ref',
  'workflow',
  'repository_owner',
  'repository_owner_id',
  'repository_id',
  'repository_visibility',
  'actor',
  'actor_id',
  'event_name',
  'ref_type',
  'head_ref',
  'base_ref',
  'job_workflow_sha',
  'enterprise',
  'enterprise_id',
]);

/**
 * GitHub Actions' `sub`: `repo:<owner>/<repo>:ref:refs/heads/main`, `…:environment:<name>`,
 * `…:pull_request`, or a customised template of `key:value` pairs. Undefined when it does not
 * name exactly one repository.
 */
export function parseGithubSubject(sub: string): CiSubject | undefined {
  const parts = sub.split(':');
  const values = new Map<string, string>();
  let pullRequest = false;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i];
    if (key === 'pull_request') {
      pullRequest = true;
      continue;
    }
    if (!GITHUB_KEYS.has(key) || i + 1 >= parts.length || values.has(key))
      return undefined;
    values.set(key, parts[++i]);
  }
  const repository = values.get('repo');
  if (!repository || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
    return undefined;
  if (values.get('context') === 'pull_request') pullRequest = true;
  return {
    repository,
    ref: values.get('ref'),
    environment: values.get('environment'),
    pullRequest,
  };
}

/**
 * GitLab CI's `sub`: `project_path:<group>/<project>:ref_type:branch:ref:<name>`; the ref is
 * returned as `refs/heads/<name>` or `refs/tags/<name>` like GitHub's.
 */
export function parseGitlabSubject(sub: string): CiSubject | undefined {
  const match =
    /^project_path:([A-Za-z0-9_.\-/]+):ref_type:(branch|tag):ref:(.+)$/.exec(
      sub,
    );
  if (!match || !match[1].includes('/')) return undefined;
  const ref = `${match[2] === 'branch' ? 'refs/heads' : 'refs/tags'}/${
    match[3]
  }`;
  return { repository: match[1], ref, pullRequest: false };
}

// A subject that looks like a CI provider's, from an issuer the policy does not list.
const LOOKS_LIKE_CI_SUBJECT = /(^|:)(repo|project_path):[^:]+\/[^:]+/;

/**
 * The writer for a service principal: plugins (`plugin:<id>`) and unlisted subjects write for
 * every entity (today's behaviour for an unrestricted static token); listed OIDC issuers write
 * only for the entity whose repository annotation names the token's repository; listed static
 * tokens only for their entities or repositories.
 */
export function evidenceWriter(
  subject: string,
  policy: CiIdentityPolicy,
): EvidenceWriter {
  const name = subject;
  if (subject.startsWith('plugin:')) return unrestrictedWriter(name);

  const statics = policy.static.find(s => s.subject === subject);
  if (statics) {
    return {
      name,
      assertMayWrite(resolved) {
        const ref = resolved.entityRef.toLowerCase();
        const slug = slugOf(resolved, DEFAULT_ANNOTATION.github)?.toLowerCase();
        if (statics.entities?.includes(ref)) return;
        if (slug && statics.repositories?.includes(slug)) return;
        throw new NotAllowedError(
          `The token of ${subject} may write evidence only for ${describeStatic(
            statics,
          )}; ${
            resolved.entityRef
          } is not listed (devsecops.ciIdentities.static)`,
        );
      },
    };
  }

  const oidc = policy.oidc.find(o =>
    subject.startsWith(`external:${o.subjectPrefix}:`),
  );
  if (oidc) {
    const sub = subject.slice(`external:${oidc.subjectPrefix}:`.length);
    const parsed =
      oidc.subjectFormat === 'github'
        ? parseGithubSubject(sub)
        : parseGitlabSubject(sub);
    return {
      name,
      assertMayWrite(resolved) {
        if (!parsed) {
          throw new NotAllowedError(
            `The ${oidc.subjectPrefix} token's subject does not name a repository in the ${oidc.subjectFormat} format; it writes no evidence`,
          );
        }
        const slug = slugOf(resolved, oidc.annotation);
        if (!slug) {
          throw new NotAllowedError(
            `${resolved.entityRef} has no ${oidc.annotation} annotation, so no ${oidc.subjectPrefix} token may write its evidence (the token is of repository ${parsed.repository})`,
          );
        }
        if (slug.toLowerCase() !== parsed.repository.toLowerCase()) {
          throw new NotAllowedError(
            `The ${oidc.subjectPrefix} token is of repository ${parsed.repository}, but ${resolved.entityRef} is repository ${slug} (${oidc.annotation})`,
          );
        }
        if (parsed.pullRequest && !oidc.allowPullRequests) {
          throw new NotAllowedError(
            `The ${oidc.subjectPrefix} token of ${parsed.repository} is of a pull request; pull-request workflows write no evidence (devsecops.ciIdentities.oidc allowPullRequests)`,
          );
        }
        if (oidc.refs && !(parsed.ref && oidc.refs.includes(parsed.ref))) {
          throw new NotAllowedError(
            `The ${oidc.subjectPrefix} token of ${parsed.repository} is of ${
              parsed.ref ? `ref ${parsed.ref}` : 'no ref'
            }; evidence is written only from ${oidc.refs.join(', ')}`,
          );
        }
        if (
          oidc.environments &&
          !(
            parsed.environment && oidc.environments.includes(parsed.environment)
          )
        ) {
          throw new NotAllowedError(
            `The ${oidc.subjectPrefix} token of ${parsed.repository} is of ${
              parsed.environment
                ? `environment ${parsed.environment}`
                : 'no environment'
            }; evidence is written only from ${oidc.environments.join(', ')}`,
          );
        }
      },
    };
  }

  // A CI provider's identity this plugin was not told how to bind: refuse rather than let every
  // repository of that provider write for every entity.
  if (subject.startsWith('external:') && LOOKS_LIKE_CI_SUBJECT.test(subject)) {
    const prefix = subject.split(':')[1];
    return {
      name,
      assertMayWrite() {
        throw new NotAllowedError(
          `The token's issuer (subjectPrefix ${prefix}) is not listed in devsecops.ciIdentities.oidc, so its repository is not bound to entities; it writes no evidence`,
        );
      },
    };
  }
  return unrestrictedWriter(name);
}

function slugOf(
  resolved: ResolvedEntity,
  annotation: string,
): string | undefined {
  const value = resolved.entity.metadata.annotations?.[annotation];
  return typeof value === 'string' && value ? value.trim() : undefined;
}

function describeStatic(entry: StaticCiIdentity): string {
  return [
    ...(entry.entities ?? []),
    ...(entry.repositories ?? []).map(r => `repository ${r}`),
  ].join(', ');
}
