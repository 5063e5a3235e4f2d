import { Entity } from '@backstage/catalog-model';
import {
  DevsecopsWriter,
  GITHUB_SLUG_ANNOTATION,
  GithubPullProvider,
  syncEntity,
} from '@devsecops-scorecard/plugin-devsecops-backend-module-github';
import { DemoCall } from './demoHistory';

/**
 * Runs one of the history's GitHub pulls with the GitHub module's own code: its provider reads
 * the demo's GitHub API as it answered that day (`<demoGithubUrl>/as-of/<day>`, demoGithub.ts)
 * with its clock at the pull's time, and `syncEntity` writes what it observed through `writer`
 * (the module's httpWriter: `POST /v1/facts` with source `github`, SARIF uploads), exactly as the
 * module's scheduled pull does for a real organisation today.
 */
export async function runDemoGithubPull(
  call: Extract<DemoCall, { kind: 'github-pull' }>,
  options: {
    /** The demo GitHub API's base URL, e.g. `http://localhost:7007/api/devsecops-demo/github`. */
    demoGithubUrl: string;
    writer: DevsecopsWriter;
    pavedRoadWorkflows: string[];
    fetch?: typeof fetch;
  },
) {
  const provider = new GithubPullProvider({
    apiBaseUrl: `${options.demoGithubUrl.replace(/\/+$/, '')}/as-of/${call.at.slice(0, 10)}`,
    host: 'github.com',
    now: () => Date.parse(call.at),
    fetch: options.fetch,
  });
  const [kind, rest] = call.entity.split(':');
  const [namespace, name] = rest.split('/');
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind.charAt(0).toUpperCase() + kind.slice(1),
    metadata: { name, namespace, annotations: { [GITHUB_SLUG_ANNOTATION]: call.slug } },
  };
  return syncEntity(entity, [provider], options.writer, { pavedRoadWorkflows: options.pavedRoadWorkflows });
}
