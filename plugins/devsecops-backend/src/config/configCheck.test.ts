import { loadConfigSchema } from '@backstage/config-loader';
import { join } from 'node:path';

jest.setTimeout(60_000);

/** What `backstage-cli config:check --strict` does with this package's config.d.ts. */
async function check(data: object) {
  const schema = await loadConfigSchema({
    dependencies: [],
    packagePaths: [join(__dirname, '..', '..', 'package.json')],
    noUndeclaredProperties: true,
  });
  // What every Backstage app has (other packages' schemas require it).
  const base = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: { baseUrl: 'http://localhost:7007', listen: { port: 7007 }, database: { client: 'better-sqlite3', connection: ':memory:' } },
  };
  return () => schema.process([{ context: 'base', data: base }, { context: 'test', data: data as any }]);
}

describe('config.d.ts makes config:check --strict refuse typos', () => {
  it('accepts a valid configuration', async () => {
    const process = await check({
      devsecops: {
        controls: { 'dependency-scan': { freshnessDays: 7, failOnSeverity: 'high' } },
        policies: { staging_release: { environment: 'staging', requires: [{ sbom: 'generated' }] } },
        maturity: {
          stages: [{ stage: 1, title: 'Start', criteria: [{ id: 'a', title: 'A', rule: { type: 'all', rules: [{ type: 'owner' }] } }] }],
        },
      },
    });
    expect(process).not.toThrow();
  });

  it.each([
    ['a misspelt policy key', { production_release: { enviroment: 'production', requires: [{ sbom: 'generated' }] } }, /enviroment/],
    ['a misspelt requirement', { production_release: { requires: [{ sbom: 'generatd' }] } }, /production_release\/requires\/0/],
    ['an unknown requirement', { production_release: { requires: [{ sboms: 'generated' }] } }, /production_release\/requires\/0/],
  ])('refuses %s under devsecops.policies', async (_name, policies, message) => {
    const process = await check({ devsecops: { policies } });
    expect(process).toThrow(message);
  });

  it('refuses a misspelt control override key and an unknown maturity rule', async () => {
    expect(await check({ devsecops: { controls: { sast: { failOnSeverty: 'high' } } } })).toThrow(/failOnSeverty/);
    expect(
      await check({
        devsecops: { maturity: { stages: [{ stage: 1, title: 'x', criteria: [{ id: 'a', title: 'A', rule: { type: 'owners' } }] }] } },
      }),
    ).toThrow(/criteria\/0\/rule/);
  });
});
