import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  evidenceWriter,
  parseGithubSubject,
  parseGitlabSubject,
  readCiIdentities,
} from './ciIdentities';

const entity = (name: string, slug?: string) => {
  const e: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: slug ? { 'github.com/project-slug': slug } : {},
    },
    spec: { owner: 'team-a' },
  };
  return { entityRef: `component:default/${name}`, entity: e };
};

describe('GitHub subject claims', () => {
  it.each([
    [
      'repo:acme/payments-api:ref:refs/heads/main',
      {
        repository: 'acme/payments-api',
        ref: 'refs/heads/main',
        pullRequest: false,
      },
    ],
    [
      'repo:acme/payments-api:environment:production',
      {
        repository: 'acme/payments-api',
        environment: 'production',
        pullRequest: false,
      },
    ],
    [
      'repo:acme/payments-api:pull_request',
      { repository: 'acme/payments-api', pullRequest: true },
    ],
    [
      'repo:acme/payments-api:ref:refs/tags/v1.2.3',
      {
        repository: 'acme/payments-api',
        ref: 'refs/tags/v1.2.3',
        pullRequest: false,
      },
    ],
    // A customised template (repository_owner_id, context, job_workflow_ref).
    [
      'repository_owner_id:42:repo:acme/payments-api:context:pull_request:job_workflow_ref:acme/wf/.github/workflows/ci.yml@refs/heads/main',
      { repository: 'acme/payments-api', pullRequest: true },
    ],
  ])('%s', (sub, expected) => {
    expect(parseGithubSubject(sub)).toEqual({
      ref: undefined,
      environment: undefined,
      ...expected,
    });
  });

  it.each([
    'acme/payments-api',
    'repo:acme:ref:refs/heads/main',
    'repo:acme/payments-api:repo:acme/other',
    'repo:acme/payments-api:unknown:x',
    'repo:acme/payments-api:ref',
    'repo:acme/payments-api/extra:ref:refs/heads/main',
  ])('names no single repository: %s', sub => {
    expect(parseGithubSubject(sub)).toBeUndefined();
  });

  it('reads GitLab CI subjects', () => {
    expect(
      parseGitlabSubject(
        'project_path:acme/platform/payments:ref_type:branch:ref:main',
      ),
    ).toEqual({
      repository: 'acme/platform/payments',
      ref: 'refs/heads/main',
      pullRequest: false,
    });
    expect(
      parseGitlabSubject('project_path:payments:ref_type:branch:ref:main'),
    ).toBeUndefined();
  });
});

describe('evidenceWriter', () => {
  const policy = readCiIdentities(
    new ConfigReader({
      devsecops: {
        ciIdentities: {
          oidc: [
            { subjectPrefix: 'github-actions', refs: ['refs/heads/main'] },
            { subjectPrefix: 'gha-deploy', environments: ['production'] },
          ],
          static: [
            {
              subject: 'payments-ci',
              entities: ['component:default/payments-api'],
            },
          ],
        },
      },
    }),
  );

  it('binds an OIDC token to its repository and ref', () => {
    const main = evidenceWriter(
      'external:github-actions:repo:acme/payments-api:ref:refs/heads/main',
      policy,
    );
    expect(() =>
      main.assertMayWrite(entity('payments-api', 'Acme/Payments-API')),
    ).not.toThrow();
    expect(() =>
      main.assertMayWrite(entity('checkout-web', 'acme/checkout-web')),
    ).toThrow(
      'The github-actions token is of repository acme/payments-api, but component:default/checkout-web is repository acme/checkout-web (github.com/project-slug)',
    );
    expect(() => main.assertMayWrite(entity('no-slug'))).toThrow(
      'has no github.com/project-slug annotation',
    );
    const branch = evidenceWriter(
      'external:github-actions:repo:acme/payments-api:ref:refs/heads/feature',
      policy,
    );
    expect(() =>
      branch.assertMayWrite(entity('payments-api', 'acme/payments-api')),
    ).toThrow(
      'is of ref refs/heads/feature; evidence is written only from refs/heads/main',
    );
  });

  it('binds an environment-constrained issuer to its environments', () => {
    const prod = evidenceWriter(
      'external:gha-deploy:repo:acme/payments-api:environment:production',
      policy,
    );
    expect(() =>
      prod.assertMayWrite(entity('payments-api', 'acme/payments-api')),
    ).not.toThrow();
    const staging = evidenceWriter(
      'external:gha-deploy:repo:acme/payments-api:environment:staging',
      policy,
    );
    expect(() =>
      staging.assertMayWrite(entity('payments-api', 'acme/payments-api')),
    ).toThrow('is of environment staging');
  });

  it('restricts a listed static token to its entities; plugins and unlisted tokens stay org-wide', () => {
    const listed = evidenceWriter('payments-ci', policy);
    expect(() =>
      listed.assertMayWrite(entity('payments-api', 'acme/payments-api')),
    ).not.toThrow();
    expect(() =>
      listed.assertMayWrite(entity('checkout-web', 'acme/checkout-web')),
    ).toThrow(
      'The token of payments-ci may write evidence only for component:default/payments-api; component:default/checkout-web is not listed',
    );
    for (const subject of [
      'plugin:devsecops',
      'local-ci',
      'external:test-service',
    ]) {
      expect(() =>
        evidenceWriter(subject, policy).assertMayWrite(
          entity('checkout-web', 'acme/checkout-web'),
        ),
      ).not.toThrow();
    }
  });

  it('refuses a CI provider identity of an issuer the policy does not list', () => {
    const unlisted = evidenceWriter(
      'external:other-ci:repo:acme/checkout-web:ref:refs/heads/main',
      policy,
    );
    expect(() =>
      unlisted.assertMayWrite(entity('checkout-web', 'acme/checkout-web')),
    ).toThrow(
      'subjectPrefix other-ci) is not listed in devsecops.ciIdentities.oidc',
    );
  });

  it('refuses bad configuration naming the key', () => {
    expect(() =>
      readCiIdentities(
        new ConfigReader({
          devsecops: { ciIdentities: { static: [{ subject: 'x' }] } },
        }),
      ),
    ).toThrow(
      'devsecops.ciIdentities.static[0] (x) must list entities or repositories',
    );
    expect(() =>
      readCiIdentities(
        new ConfigReader({
          devsecops: {
            ciIdentities: {
              oidc: [{ subjectPrefix: 'a', subjectFormat: 'svn' }],
            },
          },
        }),
      ),
    ).toThrow(
      'devsecops.ciIdentities.oidc[0].subjectFormat must be github or gitlab',
    );
  });
});
