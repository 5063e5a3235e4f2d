/**
 * Tickets as evidence (issue 19 item 5): a finding or runtime signal links a ticket; the owning
 * team or a CI token allowed to write the entity's evidence links it, another team is refused;
 * each link and change is in the evidence log; a secret finding counts as rotated when its ticket
 * is closed or the secret is gone from the latest scan, whichever is first, and the metrics say which.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const DANA = as('dana'); // team-payments, owns payments-api
const OTTO = as('otto'); // team-checkout: another team
const PAYMENTS_CI = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:payments-ci'),
  targetPluginId: 'devsecops',
});
const CHECKOUT_CI = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:checkout-ci'),
  targetPluginId: 'devsecops',
});
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(databases.eachSupportedId())('tickets as evidence on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      features: realPermissions(),
      config: {
        permission: { enabled: true },
        devsecops: {
          ciIdentities: {
            static: [
              { subject: 'external:payments-ci', entities: ['component:default/payments-api'] },
              { subject: 'external:checkout-ci', entities: ['component:default/checkout-web'] },
            ],
          },
        },
      },
    });
  });
  afterEach(() => backend.stop());

  const api = (path: string) => `/api/devsecops/v1${path}`;
  const uploadSecrets = (body: Buffer | string) =>
    request(backend.server)
      .post(api('/reports?entity=payments-api&format=gitleaks'))
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(body)
      .expect(201);
  const secretFinding = async () => {
    // A real gitleaks v8 report (fixtures/gitleaks, provenance in fixtures/SOURCES.md).
    await uploadSecrets(readFixture('gitleaks/v8-golden-simple.json'));
    const findings = (
      await request(backend.server).get(api('/findings?entity=payments-api&status=open')).set('Authorization', DANA).expect(200)
    ).body.items;
    const secret = findings.find((f: any) => f.kind === 'secret');
    expect(secret).toBeDefined();
    return secret.id as string;
  };
  const link = (path: string, who: string, body: object) =>
    request(backend.server).post(api(path)).set('Authorization', who).send(body);
  const tickets = async (query = 'entity=payments-api') =>
    (await request(backend.server).get(api(`/tickets?${query}`)).set('Authorization', DANA).expect(200)).body.items;
  const log = async () =>
    (
      await request(backend.server).get(api('/evidence/log?entity=payments-api')).set('Authorization', DANA).expect(200)
    ).body.records.filter((r: any) => r.kind.startsWith('ticket.'));
  const metrics = async () =>
    (await request(backend.server).get(api('/scorecards?entity=payments-api')).set('Authorization', DANA).expect(200)).body
      .metrics;

  it('the owning team links a ticket to a finding and updates it; another team gets 403 and nothing is kept', async () => {
    const id = await secretFinding();
    const ticket = { url: 'https://acme.atlassian.net/browse/SEC-142', ticketId: 'SEC-142', system: 'Jira', status: 'open' };

    const refused = await link(`/findings/${id}/tickets`, OTTO, ticket).expect(403);
    expect(refused.body.error.message).toBe(
      'The permission policy does not allow devsecops.ticket.link on component:default/payments-api',
    );
    expect(await tickets()).toEqual([]);

    const created = await link(`/findings/${id}/tickets`, DANA, { ...ticket, updatedAt: ago(2) }).expect(201);
    expect(created.body).toMatchObject({
      subjectKind: 'finding',
      subjectId: id,
      entityRef: 'component:default/payments-api',
      url: ticket.url,
      ticketId: 'SEC-142',
      system: 'jira',
      status: 'open',
      linkedBy: 'user:default/dana',
    });
    expect(created.body.closedAt).toBeUndefined();
    // A repeat changes nothing and logs nothing.
    await link(`/findings/${id}/tickets`, DANA, { ...ticket, updatedAt: created.body.updatedAt }).expect(200);
    expect((await log()).map((r: any) => r.kind)).toEqual(['ticket.linked']);

    // Another team cannot close it either; an update older than the stored one is a 409.
    await link(`/findings/${id}/tickets`, OTTO, { ...ticket, status: 'closed' }).expect(403);
    const stale = await link(`/findings/${id}/tickets`, DANA, { ...ticket, status: 'closed', updatedAt: ago(3) }).expect(409);
    expect(stale.body.error.message).toContain('after this update');

    const closedAt = ago(1);
    const closed = await link(`/findings/${id}/tickets`, DANA, { url: ticket.url, status: 'closed', updatedAt: closedAt }).expect(200);
    expect(closed.body).toMatchObject({ id: created.body.id, status: 'closed', closedAt, ticketId: 'SEC-142', system: 'jira' });

    const [listed] = await tickets();
    expect(listed).toEqual(closed.body);
    expect(await tickets(`subjectKind=finding&subjectId=${id}`)).toEqual([closed.body]);
    const records = await log();
    expect(records.map((r: any) => [r.kind, r.subjectId, r.actor])).toEqual([
      ['ticket.linked', `finding:${id}`, 'user:default/dana'],
      ['ticket.updated', `finding:${id}`, 'user:default/dana'],
    ]);
    expect(records[1].payload).toMatchObject({ status: 'closed', closedAt, url: ticket.url });

    await link('/findings/999999/tickets', DANA, ticket).expect(404);
    await link('/findings/not-a-number/tickets', DANA, ticket).expect(400);
  });

  it('refuses a URL that is not http(s) or carries credentials, and bad fields, naming the problem without echoing the URL', async () => {
    const id = await secretFinding();
    const cases: Array<[object, string]> = [
      // A script URL, assembled so that the linter does not take the test for one.
      [{ url: ['javascript', 'alert(1)'].join(':'), status: 'open' }, 'url must be http or https'],
      [{ url: 'ftp://tickets.acme.test/1', status: 'open' }, 'url must be http or https'],
      // A pasted key parses as a scheme: it is not named back.
      [{ url: 'AKIAS3CRETEXAMPLE:s3cret', status: 'open' }, 'url must be http or https'],
      [{ url: 'https://bob:hunter2-s3cret@jira.acme.test/browse/SEC-1', status: 'open' }, 'url must not carry credentials (user or password before the host)'],
      [{ url: 'https://jira.acme.test/browse/SEC-1?access_token=ghp_s3cret', status: 'open' }, 'url must not carry credentials (a token, secret, password, key or signature in its query or fragment)'],
      [{ url: 'https://jira.acme.test/browse/SEC-1#access_token=ghp_s3cret', status: 'open' }, 'url must not carry credentials (a token, secret, password, key or signature in its query or fragment)'],
      [{ url: 'https://jira.acme.test/browse/SEC-1?s3cret_token=1', status: 'open' }, 'url must not carry credentials (a token, secret, password, key or signature in its query or fragment)'],
      [{ url: 'SEC-1', status: 'open' }, 'url is not an absolute URL'],
      [{ url: 'https://jira.acme.test/browse/SEC-1', status: 'done' }, 'status'],
      [{ url: 'https://jira.acme.test/browse/SEC-1', status: 'open', updatedAt: new Date(Date.now() + DAY).toISOString() }, 'is in the future'],
      [{ url: 'https://jira.acme.test/browse/SEC-1', status: 'open', system: 'jira cloud' }, 'system must be'],
      [{ status: 'open' }, 'url'],
    ];
    for (const [body, message] of cases) {
      const response = await link(`/findings/${id}/tickets`, DANA, body).expect(400);
      expect(response.body.error.message).toContain(message);
      expect(response.body.error.message.toLowerCase()).not.toContain('s3cret');
    }
    expect(await tickets()).toEqual([]);
    expect(await log()).toEqual([]);
  });

  it("a CI token links a runtime signal's ticket for its own entity only", async () => {
    const signal = (
      await request(backend.server)
        .post(api('/runtime-signals'))
        .set('Authorization', ciHeader())
        .send({ entityRef: 'payments-api', kind: 'incident', severity: 'high', summary: 'Leaked key used', detectedAt: ago(2), source: 'falco' })
        .expect(201)
    ).body;
    const ticket = { url: 'https://github.com/acme/payments-api/issues/7', system: 'github', ticketId: '7', status: 'open' };
    const refused = await link(`/runtime-signals/${signal.id}/tickets`, CHECKOUT_CI, ticket).expect(403);
    expect(refused.body.error.message).toContain('payments-api');
    const linked = await link(`/runtime-signals/${signal.id}/tickets`, PAYMENTS_CI, ticket).expect(201);
    expect(linked.body).toMatchObject({ subjectKind: 'runtime-signal', subjectId: signal.id, linkedBy: 'external:payments-ci' });
    await link('/runtime-signals/00000000-0000-4000-8000-000000000000/tickets', PAYMENTS_CI, ticket).expect(404);
    expect(await tickets('entity=payments-api&subjectKind=runtime-signal')).toEqual([linked.body]);
  });

  it('a secret counts as rotated when its ticket closes, if before the secret is gone from the scan', async () => {
    const id = await secretFinding();
    expect(await metrics()).toMatchObject({ rotatedCount: 0 });
    const url = 'https://acme.atlassian.net/browse/SEC-9';
    await link(`/findings/${id}/tickets`, DANA, { url, status: 'open' }).expect(201);
    expect((await metrics()).rotatedCount).toBe(0);
    await link(`/findings/${id}/tickets`, DANA, { url, status: 'closed' }).expect(200);
    expect(await metrics()).toMatchObject({ rotatedCount: 1, rotatedBy: { ticketClosed: 1, secretGone: 0 }, meanTimeToRotateDays: 0 });
    // The team's roll-up says which too.
    const rollup = (await request(backend.server).get(api('/rollups?group=team-payments')).set('Authorization', DANA).expect(200)).body;
    expect(rollup.metrics.rotatedBy).toEqual({ ticketClosed: 1, secretGone: 0 });
    // The secret gone from the next scan afterwards: still one rotation, by the ticket.
    await uploadSecrets('[]');
    expect(await metrics()).toMatchObject({ rotatedCount: 1, rotatedBy: { ticketClosed: 1, secretGone: 0 } });
  });

  it('a secret gone from the scan before its ticket closes counts as rotated by its disappearance', async () => {
    const id = await secretFinding();
    const url = 'https://acme.atlassian.net/browse/SEC-10';
    await link(`/findings/${id}/tickets`, DANA, { url, status: 'open' }).expect(201);
    await uploadSecrets('[]');
    expect(await metrics()).toMatchObject({ rotatedCount: 1, rotatedBy: { ticketClosed: 0, secretGone: 1 } });
    await link(`/findings/${id}/tickets`, DANA, { url, status: 'closed' }).expect(200);
    expect(await metrics()).toMatchObject({ rotatedCount: 1, rotatedBy: { ticketClosed: 0, secretGone: 1 } });
  });
});
