import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  GITHUB_SLUG_ANNOTATION,
  GithubPullProvider,
} from './GithubPullProvider';
import { ControlFact, toFacts, toReports } from './mapping';
import { ContentsFactOptions } from './repositoryContents';

/** Where the results go: the devsecops plugin's HTTP API. */
export interface DevsecopsWriter {
  postFacts(entityRef: string, facts: ControlFact[]): Promise<void>;
  postReport(
    entityRef: string,
    body: string,
    query: Record<string, string>,
  ): Promise<void>;
}

/** The provider for an entity: the GitHub integration whose host its source location names, else github.com. */
export function providerFor(
  entity: Entity,
  providers: GithubPullProvider[],
): GithubPullProvider | undefined {
  const source =
    entity.metadata.annotations?.['backstage.io/source-location'] ?? '';
  const host = /^url:https?:\/\/([^/]+)\//.exec(source)?.[1];
  return (
    (host && providers.find(p => p.host === host)) ||
    providers.find(p => p.host === 'github.com') ||
    providers[0]
  );
}

/** Reads one entity's repository and writes its facts and SARIF reports. */
export async function syncEntity(
  entity: Entity,
  providers: GithubPullProvider[],
  writer: DevsecopsWriter,
  options: ContentsFactOptions = {},
): Promise<{ entityRef: string; facts: number; reports: number } | undefined> {
  const slug = entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION];
  const provider = providerFor(entity, providers);
  if (!slug || !provider) return undefined;
  const entityRef = stringifyEntityRef(entity);
  const snapshot = await provider.read(slug);
  const facts = toFacts(snapshot, options);
  if (facts.length) await writer.postFacts(entityRef, facts);
  const reports = toReports(snapshot);
  for (const report of reports) {
    await writer.postReport(entityRef, JSON.stringify(report.body), {
      format: 'sarif',
      control: report.control,
      branch: snapshot.defaultBranch,
    });
  }
  return { entityRef, facts: facts.length, reports: reports.length };
}

/** A writer over fetch: `POST {baseUrl}/v1/facts` and `POST {baseUrl}/v1/reports`. */
export function httpWriter(options: {
  baseUrl: () => Promise<string>;
  token: () => Promise<string>;
  fetch?: typeof fetch;
}): DevsecopsWriter {
  const fetchFn = options.fetch ?? ((...args) => fetch(...args));
  const post = async (path: string, body: string, contentType: string) => {
    const response = await fetchFn(`${await options.baseUrl()}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await options.token()}`,
        'Content-Type': contentType,
      },
      body,
    });
    if (!response.ok) {
      throw new Error(
        `devsecops ${path.split('?')[0]} refused: ${response.status} ${(
          await response.text()
        ).slice(0, 300)}`,
      );
    }
  };
  return {
    postFacts: (entityRef, facts) =>
      post(
        '/v1/facts',
        JSON.stringify({ entityRef, facts }),
        'application/json',
      ),
    postReport: (entityRef, body, query) =>
      post(
        `/v1/reports?${new URLSearchParams({ entity: entityRef, ...query })}`,
        body,
        'application/sarif+json',
      ),
  };
}
