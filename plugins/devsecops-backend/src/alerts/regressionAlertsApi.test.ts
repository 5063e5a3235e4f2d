/*
 * Issue 19 item 2: regression alerts through Backstage notifications to the owning team — a control
 * turned failing, a gate denied, a new critical finding — one per entity and cause until it
 * changes, with two backend instances on one database handling the writes at once.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import request from 'supertest';
import { trivyFilesystemReport } from '../__testUtils__/trivyReports';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const DIGEST = `sha256:${'d'.repeat(64)}`;

let serial = 0;
const trivy = (critical: boolean) => {
  serial++;
  return trivyFilesystemReport(critical ? [{ id: `CVE-2026-${6000 + serial}`, severity: 'CRITICAL' }] : [], `package-lock.json ${serial}`);
};

describe.each(databases.eachSupportedId())('regression alerts on %p', databaseId => {
  it('notifies the owning team once per entity and cause across two instances, again once the cause ended and came back', async () => {
    const knex = await databases.init(databaseId);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    const a = await startDevsecopsBackend(databases, databaseId, { knex });
    const b = await startDevsecopsBackend(databases, databaseId, { knex: second });
    try {
      const upload = (server: any, critical: boolean) =>
        request(server)
          .post(`${API}/v1/reports?entity=payments-api&format=trivy`)
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/json')
          .send(trivy(critical));
      const alerts = (topic: string) =>
        [...a.notifications, ...b.notifications].filter(n => n.payload.topic === topic);

      // A first evaluation is no regression.
      expect((await upload(a.server, false)).status).toBe(201);
      expect(alerts('devsecops-control-failing')).toEqual([]);

      // Both instances take a failing scan at once: one notification.
      const both = await Promise.all([upload(a.server, true), upload(b.server, true)]);
      expect(both.map(r => r.status)).toEqual([201, 201]);
      expect(alerts('devsecops-control-failing').filter(n => (n.payload.link ?? '').endsWith('#control-dependency-scan'))).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
          payload: {
            topic: 'devsecops-control-failing',
            title: expect.stringMatching(/^payments-api: .+ is failing$/),
            description: expect.stringMatching(/CVE-2026-\d+/),
            link: '/catalog/default/component/payments-api/security#control-dependency-scan',
            severity: 'high',
          },
        },
      ]);
      // Still failing: nothing new.
      expect((await upload(b.server, true)).status).toBe(201);
      const dependencyScan = () => alerts('devsecops-control-failing').filter(n => (n.payload.link ?? '').endsWith('#control-dependency-scan'));
      expect(dependencyScan()).toHaveLength(1);
      // Fixed, then failing again: a new notification.
      expect((await upload(a.server, false)).status).toBe(201);
      expect((await upload(b.server, true)).status).toBe(201);
      expect(dependencyScan()).toHaveLength(2);
      // Each rise of the open critical findings (0 → 1, twice) is a new critical finding, told once.
      expect(alerts('devsecops-finding-new')).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
          payload: {
            topic: 'devsecops-finding-new',
            title: 'payments-api: 1 new critical finding',
            description: '1 open critical finding (0 before)',
            link: '/catalog/default/component/payments-api/security#findings',
            severity: 'high',
          },
        },
        expect.objectContaining({ payload: expect.objectContaining({ title: 'payments-api: 1 new critical finding' }) }),
      ]);

      // A denied production gate, asked on both instances: one notification, naming what failed.
      const gate = (server: any) =>
        request(server)
          .post(`${API}/v1/gate/decisions`)
          .set('Authorization', ciHeader())
          .send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
      const decisions = await Promise.all([gate(a.server), gate(b.server)]);
      expect(decisions.map(d => [d.status, d.body.decision])).toEqual([[200, 'deny'], [200, 'deny']]);
      expect(alerts('devsecops-gate-denied')).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
          payload: expect.objectContaining({
            title: 'payments-api: release to production denied',
            description: expect.stringMatching(/^Failed: /),
            link: '/catalog/default/component/payments-api/security',
          }),
        },
      ]);
      // The policy-as-code control turned failing along the way: its own cause, its own notification.
      const failing = alerts('devsecops-control-failing').map(n => (n.payload.link ?? '').split('#control-')[1]);
      expect(failing.sort()).toEqual(['dependency-scan', 'dependency-scan', 'policy-as-code']);
      // One open claim per entity and cause.
      expect(await knex('devsecops_regression_alerts').orderBy('cause').select('entity_ref', 'cause')).toEqual([
        { entity_ref: 'component:default/payments-api', cause: 'control:dependency-scan' },
        { entity_ref: 'component:default/payments-api', cause: 'control:policy-as-code' },
        { entity_ref: 'component:default/payments-api', cause: 'finding:critical:1' },
        { entity_ref: 'component:default/payments-api', cause: 'gate:production' },
      ]);
    } finally {
      await a.stop();
      await b.stop();
      if (second !== knex) await second.destroy();
    }
  });
});
