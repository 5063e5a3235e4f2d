import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

// A real `scorecard --format json` result and its SARIF (ossf/scorecard's action signing test data).
const RESULT = readFixture('scorecard/scorecard-oidc-test-results.json');
const RESULT_SARIF = readFixture('scorecard/scorecard-oidc-test-results.sarif');

// Scans of the last days (the API refuses scans older than 400 days).
const DAY1 = new Date(Date.now() - 2 * 86_400_000).toISOString();
const DAY2 = new Date(Date.now() - 86_400_000).toISOString();

describe.each(databases.eachSupportedId())('OpenSSF Scorecard results through POST /v1/reports (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  const upload = (body: Buffer, query: string) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=payments-api${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(body);
  const facts = async (): Promise<Array<{ fact: string; value: unknown; source: string; observedAt: string }>> => {
    const res = await request(backend.server)
      .get('/api/devsecops/v1/facts?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.facts;
  };

  it('records every check as facts with the report, in its transaction', async () => {
    const res = await upload(RESULT, `&format=openssf-scorecard&scannedAt=${DAY1}`);
    expect(res.status).toBe(201);
    expect(res.body.report).toMatchObject({
      format: 'openssf-scorecard',
      tool: 'Scorecard',
      controls: ['code-review'],
      sourceCommit: '80ec5079f66133cb6cefb09aad9b4565456b7f70',
    });
    expect(res.body.findings).toEqual({ new: 0, updated: 0, resolved: 0 });

    const recorded = await facts();
    const scorecard = recorded.filter(f => f.source === 'openssf-scorecard');
    expect(scorecard).toHaveLength(18 * 2 + 4);
    expect(new Set(scorecard.map(f => f.observedAt))).toEqual(new Set([DAY1]));
    const value = (fact: string) => scorecard.find(f => f.fact === fact)?.value;
    expect(value('openssf.token-permissions.score')).toBe(10);
    expect(value('openssf.signed-releases.score')).toBe(-1);
    expect(value('openssf.branch-protection.result')).toEqual({
      check: 'Branch-Protection',
      score: 0,
      reason: 'branch protection not enabled on development/release branches',
      details: [],
      documentationUrl: 'https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection',
      repo: 'github.com/rohankh532/scorecard-OIDC-test',
      commit: '80ec5079f66133cb6cefb09aad9b4565456b7f70',
    });
    expect(value('ci.least_privilege_tokens')).toBe(true);
    expect(value('ci.pinned_dependencies')).toBe(true);
    expect(value('ci.no_dangerous_workflows')).toBe(true);
    expect(value('dependency_updates.automated')).toBe(false);

    // The evidence log's record of the report names the facts it recorded.
    const log = await request(backend.server)
      .get('/api/devsecops/v1/evidence/log?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(log.status).toBe(200);
    const record = log.body.records.find((r: any) => r.kind === 'report.ingested');
    expect(record.payload.facts).toHaveLength(40);
    expect(record.payload.facts).toContain('openssf.code-review.score');

    // The report feeds code-review's stream, but the control is decided by its own facts
    // (branch protection), which nobody recorded here.
    const card = await request(backend.server)
      .get('/api/devsecops/v1/scorecards?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(card.status).toBe(200);
    expect(card.body.controls.find((c: any) => c.controlId === 'code-review').state).toBe('not_reported');

    // The same body auto-detected is a repeat of that report: nothing recorded twice.
    const again = await upload(RESULT, `&scannedAt=${DAY1}`);
    expect(again.status).toBe(200);
    expect(again.body.report.id).toBe(res.body.report.id);
    expect((await facts()).filter(f => f.source === 'openssf-scorecard')).toHaveLength(40);
  });

  it('a newer auto-detected result is recorded as the newer observation', async () => {
    expect((await upload(RESULT, `&scannedAt=${DAY1}`)).status).toBe(201);
    const newer = JSON.parse(RESULT.toString('utf8'));
    newer.checks.find((c: any) => c.name === 'Token-Permissions').score = 0;
    const res = await upload(Buffer.from(JSON.stringify(newer)), `&scannedAt=${DAY2}`);
    expect(res.status).toBe(201);
    expect(res.body.report.format).toBe('openssf-scorecard');
    const tokens = (await facts())
      .filter(f => f.fact === 'ci.least_privilege_tokens')
      .sort((a, b) => a.observedAt.localeCompare(b.observedAt));
    expect(tokens.at(-1)).toMatchObject({ value: false, observedAt: DAY2 });
  });

  it('refuses another format named openssf-scorecard (415) and Scorecard SARIF (400, pointing to the JSON)', async () => {
    const trivy = await upload(readFixture('trivy/secrets-repo.json'), '&format=openssf-scorecard');
    expect(trivy.status).toBe(415);
    expect(trivy.body.error.message).toMatch(/^The body is not an OpenSSF Scorecard JSON report \(it looks like/);

    const sarif = await upload(RESULT_SARIF, '');
    expect(sarif.status).toBe(400);
    expect(sarif.body.error.message).toContain("upload `scorecard --format json` instead (format 'openssf-scorecard')");
    expect((await facts()).filter(f => f.source === 'openssf-scorecard')).toEqual([]);
  });
});
