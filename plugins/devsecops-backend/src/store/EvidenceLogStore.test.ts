import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { applyMigrations } from './migrations';
import { EvidenceLogStore, GENESIS_HASH, recordHash } from './EvidenceLogStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('evidence log on %p', databaseId => {
  it('chains every record to the previous one and finds the first edited record', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const log = new EvidenceLogStore(knex);
    for (let i = 0; i < 5; i++) {
      await log.appendNow({
        kind: 'report.ingested',
        entityRef: 'component:default/payments-api',
        subjectId: `report-${i}`,
        actor: 'external:ci',
        at: new Date(Date.UTC(2026, 10, 28, 12, i)),
        payload: { bodySha256: `${i}`.repeat(64).slice(0, 64), summary: { total: i } },
      });
    }
    const ok = await log.verify();
    expect(ok).toMatchObject({ ok: true, records: 5, headSeq: 5 });
    const records = await log.list({ limit: 10 });
    expect(records[0].prevHash).toBe(GENESIS_HASH);
    expect(records[3].prevHash).toBe(records[2].hash);

    // Someone with database access quietly changes a recorded summary.
    await knex('devsecops_evidence_log').where({ seq: 3 }).update({ payload: '{"bodySha256":"x","summary":{"total":0}}' });
    expect(await log.verify()).toMatchObject({
      ok: false,
      records: 2,
      headSeq: 2,
      firstBroken: { seq: 3, problem: 'its content does not match its hash (edited after it was written)' },
    });

    // Re-hashing the edited record does not help: the next record no longer links to it.
    const row = await knex('devsecops_evidence_log').where({ seq: 3 }).first();
    await knex('devsecops_evidence_log').where({ seq: 3 }).update({
      hash: recordHash({ seq: 3, at: new Date(row.at).toISOString(), kind: row.kind, entityRef: row.entity_ref, subjectId: row.subject_id, actor: row.actor, payload: row.payload, prevHash: row.prev_hash }),
    });
    expect((await log.verify()).firstBroken).toEqual({ seq: 4, problem: 'does not link to the previous record' });

    // A deleted record is a gap.
    await knex('devsecops_evidence_log').where({ seq: 5 }).delete();
    await knex('devsecops_evidence_log').where({ seq: 4 }).delete();
    await knex('devsecops_evidence_log').where({ seq: 3 }).delete();
    await knex('devsecops_evidence_log').where({ seq: 2 }).delete();
    expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
  });

  it('stays one chain when two instances append at once', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    // A second instance: its own connection pool to the same database.
    const config = knex.client.config;
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(config) : knex;
    try {
      const a = new EvidenceLogStore(knex);
      const b = new EvidenceLogStore(second);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).appendNow({
            kind: 'deployment.recorded',
            subjectId: `d-${i}`,
            actor: i % 2 ? 'instance-a' : 'instance-b',
            at: new Date(),
            payload: { i },
          }),
        ),
      );
      expect(await a.verify()).toMatchObject({ ok: true, records: 40, headSeq: 40 });
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
});
