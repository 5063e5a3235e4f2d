import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { demoEvidenceModule, refuseDemoInProduction } from './modules/demoEvidence';
import { demoGithubPlugin } from './modules/demoGithub';

const root = resolve(__dirname, '../../..');
const read = (file: string) => parse(readFileSync(resolve(root, file), 'utf8'));

/** The config files of the README's production command (`NODE_ENV=production node packages/backend --config …`). */
function productionRecipeFiles(): string[] {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const command = readme.split('\n').find(line => /^NODE_ENV=production node packages\/backend /.test(line));
  if (!command) throw new Error('README.md has no production command (NODE_ENV=production node packages/backend …)');
  return [...command.matchAll(/--config\s+(\S+)/g)].map(m => m[1]);
}

describe('production never runs the demo', () => {
  it('the production recipe names the base and production files, never the demo file', () => {
    expect(productionRecipeFiles()).toEqual(['app-config.yaml', 'app-config.production.yaml']);
  });

  it('the production configuration has no demo data, notice, demo or guest sign-in, demo token or development CSP', () => {
    const config = ConfigReader.fromConfigs(
      productionRecipeFiles().map(file => ({ context: file, data: read(file) })),
    );
    expect(config.has('devsecopsDemo')).toBe(false);
    expect(config.has('devsecops.demoNotice')).toBe(false);
    expect(config.getOptionalConfig('auth.providers')?.keys() ?? []).toEqual(
      expect.not.arrayContaining(['guest', 'demo']),
    );
    expect(config.has('backend.csp')).toBe(false);
    const tokens = (config.getOptionalConfigArray('backend.auth.externalAccess') ?? []).map(
      a => a.getOptionalString('options.token'),
    );
    expect(tokens).toEqual(['${DEVSECOPS_CI_TOKEN}']);
    expect(JSON.stringify(config.get())).not.toMatch(/local-ci-token-for-the-demo-portal|dangerouslyAllow/);
  });

  it('npm start, the e2e test and the load test add the demo file', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toMatch(/--config \.\.\/\.\.\/app-config\.yaml --config \.\.\/\.\.\/app-config\.demo\.yaml/);
    for (const script of ['scripts/e2e.mjs', 'scripts/load-test.mjs']) {
      expect(readFileSync(resolve(root, script), 'utf8')).toMatch(/'\.\.\/\.\.\/app-config\.demo\.yaml'/);
    }
    const demo = read('app-config.demo.yaml');
    expect(demo.devsecopsDemo).toBeDefined();
    expect(demo.devsecops.demoNotice).toMatch(/Demo data/);
    expect(Object.keys(demo.auth.providers).sort()).toEqual(['demo', 'guest']);
    // The base file holds none of it.
    const base = read('app-config.yaml');
    expect(base.devsecopsDemo).toBeUndefined();
    expect(base.devsecops?.demoNotice).toBeUndefined();
    expect(base.auth?.providers).toBeUndefined();
  });

  it('the demo data module refuses NODE_ENV=production when devsecopsDemo is configured', () => {
    const demo = new ConfigReader({ devsecopsDemo: { history: { days: 90 } } });
    expect(() => refuseDemoInProduction(demo, 'production')).toThrow(
      /refuses to run with NODE_ENV=production: devsecopsDemo is configured/,
    );
    expect(() => refuseDemoInProduction(demo, 'development')).not.toThrow();
    expect(() => refuseDemoInProduction(new ConfigReader({}), 'production')).not.toThrow();
  });

  describe('started in a backend', () => {
    const nodeEnv = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = nodeEnv;
    });

    it('fails to start with the demo configuration under NODE_ENV=production', async () => {
      process.env.NODE_ENV = 'production';
      await expect(
        startTestBackend({
          features: [
            demoEvidenceModule,
            mockServices.rootConfig.factory({ data: read('app-config.demo.yaml') }),
          ],
        }),
      ).rejects.toThrow(/refuses to run with NODE_ENV=production/);
      // The demo's fake GitHub API too: it never answers in production.
      await expect(
        startTestBackend({
          features: [demoGithubPlugin, mockServices.rootConfig.factory({ data: read('app-config.demo.yaml') })],
        }),
      ).rejects.toThrow(/refuses to run with NODE_ENV=production/);
    });

    it('starts and stays inert under NODE_ENV=production with the production configuration', async () => {
      process.env.NODE_ENV = 'production';
      const data = ConfigReader.fromConfigs(
        productionRecipeFiles().map(file => ({ context: file, data: read(file) })),
      ).get();
      // The production integrations read the real GitHub, never the demo's fake API.
      expect(JSON.stringify((data as any).integrations ?? {})).not.toContain('devsecops-demo');
      const backend = await startTestBackend({
        features: [demoEvidenceModule, demoGithubPlugin, mockServices.rootConfig.factory({ data: data as any })],
      });
      expect(backend.server.listening).toBe(true);
      // Inert: the fake GitHub API is not mounted.
      const port = (backend.server.address() as { port: number }).port;
      expect((await fetch(`http://localhost:${port}/api/devsecops-demo/github/repos/acme/payments-api`)).status).toBe(404);
      await backend.stop();
    });
  });
});
