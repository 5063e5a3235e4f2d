/*
 * Issue 19: a campaign from creation to end through the public API. Pat (platform team) creates
 * it; the organisation's history is imported day by day (scans dated when they ran, then that
 * evening's snapshot); progress, per-team counts, the burn-up and the end report are compared
 * with the stored snapshots the scorecard history serves.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { trivyFilesystemReport } from '../__testUtils__/trivyReports';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const DAY = 86_400_000;
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const PAT = as('pat'); // platform-team
const RITA = as('rita'); // security-compliance
const PAULA = as('paula'); // team-payments
const dayOf = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const at = (n: number, hour: number) => `${dayOf(n)}T${String(hour).padStart(2, '0')}:00:00.000Z`;

const trivyFs = (critical: boolean) =>
  trivyFilesystemReport(critical ? [{ id: 'CVE-2026-4242', severity: 'CRITICAL', pkg: 'left-pad' }] : []);

const campaign = (over: object = {}) => ({
  title: 'No critical dependencies in production',
  goal: { type: 'controls', controls: ['dependency-scan'] },
  scope: { group: 'acme', lifecycle: 'production' },
  startDate: dayOf(6),
  targetDate: dayOf(3),
  ownerRef: 'group:default/platform-team',
  ...over,
});

describe.each(databases.eachSupportedId())('campaigns on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: {
        permission: { enabled: true },
        devsecops: {
          campaigns: {
            declared: [
              {
                key: 'stage-two-by-summer',
                title: 'Every production service at stage 2',
                goal: { type: 'stage', stage: 2 },
                scope: { lifecycle: 'production' },
                startDate: dayOf(30),
                targetDate: dayOf(-12),
                ownerRef: 'group:default/security-compliance',
              },
            ],
          },
        },
      },
      features: realPermissions(),
    });
  });
  afterEach(() => backend?.stop());

  const post = (who: string, body: object) =>
    request(backend.server).post(`${API}/v1/campaigns`).set('Authorization', who).send(body);
  const read = (path: string, who = PAULA) => request(backend.server).get(`${API}${path}`).set('Authorization', who);
  const upload = (entity: string, critical: boolean, daysAgo: number) =>
    request(backend.server)
      .post(`${API}/v1/reports?entity=${entity}&format=trivy&scannedAt=${at(daysAgo, 9)}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(trivyFs(critical))
      .expect(201);
  const snapshot = (entity: string, daysAgo: number) =>
    request(backend.server)
      .post(`${API}/v1/scorecards/snapshots`)
      .set('Authorization', ciHeader())
      .send({ entityRef: entity, at: at(daysAgo, 20) })
      .expect(201);

  it('runs a campaign from creation to its end report; progress and burn-up match the stored snapshots', async () => {
    const created = await post(PAT, campaign()).expect(201);
    expect(created.body).toMatchObject({
      title: 'No critical dependencies in production',
      goal: { type: 'controls', controls: ['dependency-scan'] },
      scope: { group: 'acme', lifecycle: 'production' },
      ownerRef: 'group:default/platform-team',
      reminderDaysBefore: [14, 7, 1],
      source: 'api',
      createdBy: 'user:default/pat',
    });
    const id = created.body.id as string;

    // Day -6: both services fail; day -4: payments-api fixed (before the target, day -3);
    // day -1: checkout-web fixed (late). Each day's scans, then that evening's snapshots.
    const history: Array<[number, Array<[string, boolean]>]> = [
      [6, [['payments-api', true], ['checkout-web', true]]],
      [4, [['payments-api', false]]],
      [1, [['checkout-web', false]]],
    ];
    const progressAfter: number[] = [];
    for (const [daysAgo, scans] of history) {
      for (const [entity, critical] of scans) await upload(entity, critical, daysAgo);
      for (const entity of ['payments-api', 'checkout-web']) await snapshot(entity, daysAgo);
      progressAfter.push((await read(`/v1/campaigns/${id}`).expect(200)).body.counts.done);
    }
    expect(progressAfter).toEqual([0, 1, 2]);

    const body = (await read(`/v1/campaigns/${id}`).expect(200)).body;
    expect(body).toMatchObject({ status: 'ended', daysLeft: -3, counts: { inScope: 2, done: 2, excepted: 0, donePct: 100 } });
    expect(body.teams).toEqual([
      { ownerRef: 'group:default/team-checkout', inScope: 1, done: 1, excepted: 0, donePct: 100 },
      { ownerRef: 'group:default/team-payments', inScope: 1, done: 1, excepted: 0, donePct: 100 },
    ]);

    // The burn-up, recomputed here from the snapshots the scorecard history serves.
    const snapshots = new Map<string, Array<{ day: string; controlStates: Record<string, string> }>>();
    for (const entity of ['payments-api', 'checkout-web']) {
      snapshots.set(entity, (await read(`/v1/scorecards/history?entity=${entity}`).expect(200)).body.snapshots);
    }
    const days = [...new Set([...snapshots.values()].flat().map(s => s.day))].sort();
    expect(days).toEqual([dayOf(6), dayOf(4), dayOf(1)]);
    const expected = days.map(day => {
      const that = [...snapshots.values()].flat().filter(s => s.day === day);
      return { day, inScope: that.length, done: that.filter(s => s.controlStates['dependency-scan'] === 'passing').length };
    });
    expect(body.burnup).toEqual(expected);
    expect(body.burnup.map((p: any) => p.done)).toEqual([0, 1, 2]);

    expect(body.entities.items).toEqual([
      { entityRef: 'component:default/checkout-web', ownerRef: 'group:default/team-checkout', done: true, excepted: false, doneOn: dayOf(1), stepsLeft: 0 },
      { entityRef: 'component:default/payments-api', ownerRef: 'group:default/team-payments', done: true, excepted: false, doneOn: dayOf(4), stepsLeft: 0 },
    ]);
    expect(body.report).toEqual({
      targetDate: dayOf(3),
      doneOnTime: ['component:default/payments-api'],
      doneLate: ['component:default/checkout-web'],
      excepted: [],
      notDone: [],
    });

    // Listed with the declared campaign (campaigns as code), soonest target first.
    const list = (await read('/v1/campaigns').expect(200)).body.items;
    expect(list.map((c: any) => [c.key ?? c.id, c.source, c.status])).toEqual([
      [id, 'api', 'ended'],
      ['stage-two-by-summer', 'config', 'active'],
    ]);
    // A declared campaign is read by its stable id.
    const declared = (await read(`/v1/campaigns/${list[1].id}`).expect(200)).body;
    expect(declared).toMatchObject({ key: 'stage-two-by-summer', goal: { type: 'stage', stage: 2 }, counts: { inScope: 2 } });
  });

  it('names the next step of each unfinished service, and answers for one entity and for a team', async () => {
    await upload('payments-api', true, 2);
    await upload('checkout-web', false, 2);
    const active = await post(RITA, campaign({ startDate: dayOf(2), targetDate: dayOf(-11), reminderDaysBefore: [7] })).expect(201);

    const body = (await read(`/v1/campaigns/${active.body.id}?limit=1`).expect(200)).body;
    expect(body).toMatchObject({ status: 'active', daysLeft: 11, counts: { inScope: 2, done: 1 } });
    expect(body.report).toBeUndefined();
    // Unfinished first, one per page.
    expect(body.entities).toEqual({
      items: [
        {
          entityRef: 'component:default/payments-api',
          ownerRef: 'group:default/team-payments',
          done: false,
          excepted: false,
          stepsLeft: 1,
          nextStep: { kind: 'control', controlId: 'dependency-scan', text: expect.stringMatching(/^Make .+ pass \(it is failing\)$/) },
        },
      ],
      totalCount: 2,
      limit: 1,
      offset: 0,
    });

    // The entity card's question: which campaigns, due when, how many steps left.
    const mine = (await read('/v1/campaigns?entity=payments-api').expect(200)).body.items;
    expect(mine.map((c: any) => [c.key ?? c.id, c.daysLeft, c.entity.stepsLeft])).toEqual([
      [active.body.id, 11, 1],
      ['stage-two-by-summer', 12, expect.any(Number)],
    ]);
    // A stage goal's next step is the first unmet criterion of the stages still to reach.
    const stage = mine[1].entity;
    expect(stage.done).toBe(false);
    expect(stage.stepsLeft).toBeGreaterThan(1);
    expect(stage.nextStep).toMatchObject({ kind: 'criterion', stage: 1, criterionId: expect.any(String) });
    expect(stage.nextStep.text).toMatch(/^Stage 1, /);
    // The team tab's question, for team-payments and for acme (the groups below it count).
    const team = (await read('/v1/campaigns?group=team-payments').expect(200)).body.items;
    expect(team.map((c: any) => c.team)).toEqual([
      { ownerRef: 'group:default/team-payments', inScope: 1, done: 0, excepted: 0, donePct: 0 },
      { ownerRef: 'group:default/team-payments', inScope: 1, done: 0, excepted: 0, donePct: 0 },
    ]);
    const org = (await read('/v1/campaigns?group=group:default/acme').expect(200)).body.items;
    expect(org[0].team).toMatchObject({ inScope: 2, done: 1 });
    // A service in no campaign's scope: none listed.
    expect((await read('/v1/campaigns?entity=shared-lib-docs').expect(200)).body.items).toEqual([]);
  });

  it('lets only the platform and security groups create campaigns, and refuses bad input naming the field', async () => {
    const refused = await post(PAULA, campaign()).expect(403);
    expect(refused.body.error.message).toBe('The permission policy does not allow devsecops.campaign.manage');
    await post(as('otto'), campaign()).expect(403);
    await post(ciHeader(), campaign()).expect(403);
    expect((await read('/v1/campaigns').expect(200)).body.items.map((c: any) => c.source)).toEqual(['config']);

    const message = async (body: object) => (await post(PAT, body).expect(400)).body.error.message as string;
    expect(await message(campaign({ goal: { type: 'controls', controls: ['no-such-control'] } }))).toBe(
      'goal.controls: unknown control no-such-control',
    );
    expect(await message(campaign({ goal: { type: 'stage', stage: 9 } }))).toContain('goal.stage: no maturity stage 9');
    expect(await message(campaign({ startDate: dayOf(1), targetDate: dayOf(2) }))).toBe('targetDate is before its startDate');
    expect(await message(campaign({ targetDate: '2026-02-30' }))).toBe("targetDate '2026-02-30' is not a calendar date");
    expect(await message(campaign({ targetDate: '2040-01-01' }))).toBe("targetDate '2040-01-01' is more than 5 years away");
    expect(await message(campaign({ scope: { group: 'no-such-team' } }))).toBe('scope: No catalog group group:default/no-such-team');
    expect(await message(campaign({ scope: { group: 'acme', system: 'payments' } }))).toBe(
      'scope: one of group, system or domain, not several',
    );
    expect(await message(campaign({ ownerRef: 'component:default/payments-api' }))).toBe(
      "Malformed ownerRef 'component:default/payments-api': a group or user ref, e.g. group:default/platform-team",
    );
    const secret = 'ghp_campaignSecretToken1234567890';
    const unknownField = await post(PAT, campaign({ token: secret })).expect(400);
    expect(JSON.stringify(unknownField.body)).not.toContain(secret);

    await read('/v1/campaigns/no-such-campaign').expect(400);
    expect((await read('/v1/campaigns/0d1f8c3e-7a55-4d43-9a3e-00000000abcd').expect(404)).body.error.message).toBe(
      'No campaign 0d1f8c3e-7a55-4d43-9a3e-00000000abcd',
    );
    expect((await read('/v1/campaigns?entity=component:').expect(400)).body.error.message).toContain('Malformed entity');
  });
});
