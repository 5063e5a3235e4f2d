import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** A control added only in configuration, the documented way. */
const config = {
  devsecops: {
    controls: {
      dast: { stage: 'deploy', title: 'DAST', freshnessDays: 14, failOnSeverity: 'high' },
    },
  },
};

/** A DAST scanner's SARIF log with one high result (error level). */
const dastSarif = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'ZAP', rules: [{ id: '40012', name: 'Cross Site Scripting (Reflected)' }] } },
      results: [
        {
          ruleId: '40012',
          level: 'error',
          message: { text: 'Cross Site Scripting (Reflected) at /search?q=' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'https://payments.example.com/search' } } }],
        },
      ],
    },
  ],
});

describe.each(databases.eachSupportedId())('a control added only in configuration on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, { config });
  });
  afterEach(() => backend.stop());

  const read = (path: string) =>
    request(backend.server).get(`/api/devsecops${path}`).set('Authorization', mockCredentials.user.header());

  it('receives uploads, serves its findings, is listed and is evaluated', async () => {
    const upload = await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api&control=dast')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(dastSarif);
    expect(upload.status).toBe(201);
    expect(upload.body.report).toMatchObject({ control: 'dast', controls: ['dast'], format: 'sarif' });
    expect(upload.body.findings.new).toBe(1);

    const findings = await read('/v1/findings?entity=payments-api&control=dast');
    expect(findings.status).toBe(200);
    expect(findings.body.items).toHaveLength(1);
    expect(findings.body.items[0]).toMatchObject({ control: 'dast', severity: 'high', status: 'open' });

    const reports = await read('/v1/reports?entity=payments-api&control=dast');
    expect(reports.status).toBe(200);
    expect(reports.body.items.map((r: { id: string }) => r.id)).toEqual([upload.body.report.id]);

    const controls = await read('/controls');
    expect(controls.status).toBe(200);
    expect(controls.body.controls.find((c: { id: string }) => c.id === 'dast')).toMatchObject({
      id: 'dast',
      stage: 'deploy',
      title: 'DAST',
      rule: { type: 'findings', failOnSeverity: 'high' },
    });
    expect(controls.body.stages.map((s: { id: string }) => s.id)).toContain('deploy');

    const scorecard = await read('/v1/scorecards?entity=payments-api');
    expect(scorecard.status).toBe(200);
    expect(scorecard.body.controls.find((c: { controlId: string }) => c.controlId === 'dast')).toMatchObject({
      controlId: 'dast',
      state: 'failing',
    });

    // A control neither shipped nor configured is still refused, naming the configured ones.
    const unknown = await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api&control=iast')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(dastSarif);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^Unknown control 'iast'\. Controls: .*\bdast\b/);
  });
});
