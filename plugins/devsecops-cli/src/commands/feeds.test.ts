import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
// The backend's own test harness (real plugin, mocked catalog): the CLI is tested against it.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { startDevsecopsBackend } from '@devsecops-scorecard/plugin-devsecops-backend/src/__testUtils__/testBackend';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { main } from '../main';
import { recogniseFeed } from './feeds';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/exploitability');
const KEV = path.join(FIXTURES, 'kev-sample.json');
const EPSS_GZ = path.join(FIXTURES, 'epss-sample.csv.gz');
// A real GitHub advisory (OSV format) and a real CycloneDX SBOM with the log4j-core it affects.
const LOG4SHELL = path.resolve(__dirname, '../../../../fixtures/osv-advisories/GHSA-jfh8-c2jp-5v3q.json');
const LOG4J_SBOM = path.resolve(__dirname, '../../../../fixtures/cyclonedx/dd-vex-nested-component-log4j.json');
const TOKEN = mockCredentials.service.header().replace(/^Bearer /, '');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
let url: string;
let dir: string;
beforeAll(async () => {
  backend = await startDevsecopsBackend(databases, 'SQLITE_3');
  url = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'devsecops-feeds-'));
});
afterAll(async () => {
  await backend.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    { DEVSECOPS_URL: url, DEVSECOPS_TOKEN: TOKEN },
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    { sleep: async () => {}, random: () => 0.5 },
  );
  return { code, stdout, stderr };
}

describe('devsecops feeds import', () => {
  it('recognises the KEV catalog and the EPSS CSV, packed or not', () => {
    expect(recogniseFeed(readFileSync(KEV))).toBe('kev');
    expect(recogniseFeed(readFileSync(EPSS_GZ))).toBe('epss');
    expect(recogniseFeed(gunzipSync(readFileSync(EPSS_GZ)))).toBe('epss');
    expect(recogniseFeed(Buffer.from('{"bomFormat":"CycloneDX"}'))).toBeUndefined();
  });

  it('recognises OSV advisories: one, an array, a zip', () => {
    const advisory = readFileSync(LOG4SHELL);
    expect(recogniseFeed(advisory)).toBe('osv');
    expect(recogniseFeed(Buffer.from(`[${advisory.toString('utf8')}]`))).toBe('osv');
    expect(recogniseFeed(Buffer.from(zipSync({ 'GHSA-jfh8-c2jp-5v3q.json': new Uint8Array(advisory) })))).toBe('osv');
  });

  it('imports both sample feeds, then reports an unchanged one as such', async () => {
    const kev = await cli(['feeds', 'import', KEV]);
    expect(kev).toMatchObject({ code: 0, stdout: 'kev 2026.12.04 (2026-12-04, 5 rows) imported; 0 entities re-evaluated\n' });
    const epss = await cli(['feeds', 'import', EPSS_GZ, '--json']);
    expect(epss.code).toBe(0);
    expect(JSON.parse(epss.stdout)).toMatchObject({ feed: 'epss', version: 'v2025.03.14', rows: 12, changed: true });
    const again = await cli(['feeds', 'import', KEV]);
    expect(again.stdout).toBe('kev 2026.12.04 (2026-12-04) is already the imported feed: nothing changed\n');
  });

  it('refuses what it cannot recognise, and passes the server refusal on', async () => {
    const other = path.join(dir, 'bom.json');
    await writeFile(other, '{"bomFormat":"CycloneDX","specVersion":"1.6"}');
    const unknown = await cli(['feeds', 'import', other]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('is neither a KEV catalog');
    const named = await cli(['feeds', 'import', other, '--feed', 'kev']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('no catalogVersion');
    expect((await cli(['feeds', 'export', KEV])).stderr).toContain("Unknown feeds action 'export'");
    expect((await cli(['feeds', 'import', KEV, '--feed', 'nvd'])).stderr).toContain('--feed must be kev, epss or osv');
    expect((await cli(['feeds', 'import', KEV, '--sboms', 'all'])).stderr).toContain('--sboms applies to OSV advisories only');
    expect((await cli(['feeds', 'import', LOG4SHELL, '--sboms', 'some'])).stderr).toContain('--sboms must be deployed or all');
  });

  // Last: its SBOM upload would change the entity counts the KEV import above reports.
  it('imports OSV advisories: matched against every stored SBOM with --sboms all', async () => {
    await cli(['upload', LOG4J_SBOM, '--entity', 'checkout-web']);
    const deployedOnly = await cli(['feeds', 'import', LOG4SHELL]);
    expect(deployedOnly).toMatchObject({
      code: 0,
      stdout: 'osv: 1 advisories (0 withdrawn) matched against deployed SBOMs: 0 components affected, 0 findings opened, 0 resolved; 0 entities re-evaluated\n',
    });
    const all = await cli(['feeds', 'import', LOG4SHELL, '--sboms', 'all', '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ feed: 'osv', sboms: 'all', componentsMatched: 1, findingsOpened: 1, entitiesChanged: 1 });
  });
});
