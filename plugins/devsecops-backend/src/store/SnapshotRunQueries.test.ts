import { TestDatabases } from '@backstage/backend-test-utils';
import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';
import { indexReviewed, pendingFailures } from '../evaluate/controlFailures';
import { applyMigrations } from './migrations';
import { SnapshotRunQueries } from './SnapshotRunQueries';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}`;

/** Day by day (from the 1st), the states of two controls: `P` passing, `F` failing, `E` excepted, `S` stale. */
const HISTORY: Record<string, { sast: string; sbom: string }> = {
  'component:default/a': { sast: 'PPFFFPPPFF', sbom: 'PPPPPPPPPP' },
  'component:default/b': { sast: 'FFFFSSFFPP', sbom: 'EEPPPPPPPP' },
  'component:default/c': { sast: 'PPPPPPPPPP', sbom: 'PPPPPPPPPP' },
};
const STATE: Record<string, ControlState> = { P: 'passing', F: 'failing', E: 'excepted', S: 'stale' };
const statesOn = (ref: string, i: number) => ({ sast: STATE[HISTORY[ref].sast[i]], sbom: STATE[HISTORY[ref].sbom[i]] });

describe.each(databases.eachSupportedId())('SnapshotRunQueries on %p', databaseId => {
  it('keeps only the first and last day of each run of states, and the failures found from them are those of every day', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    for (const ref of Object.keys(HISTORY)) {
      for (let i = 0; i < 10; i++) {
        await knex('devsecops_entity_snapshots').insert({
          entity_ref: ref,
          day: day(i + 1),
          stage: 1,
          control_states: JSON.stringify(statesOn(ref, i)),
          metrics: '{}',
          production_gate: null,
        });
      }
    }
    const refs = Object.keys(HISTORY);
    const runs = await new SnapshotRunQueries(knex).controlStateRuns(refs, day(2), day(10));
    // From the 2nd up to (not including) the 10th.
    expect(runs.get('component:default/a')!.map(p => p.day)).toEqual([day(2), day(3), day(5), day(6), day(8), day(9)]);
    expect(runs.get('component:default/b')!.map(p => p.day)).toEqual([day(2), day(3), day(4), day(5), day(6), day(7), day(8), day(9)]);
    expect(runs.get('component:default/c')!.map(p => p.day)).toEqual([day(2), day(9)]);
    expect(runs.get('component:default/a')![1].controlStates).toEqual({ sast: 'failing', sbom: 'passing' });

    // The episodes are the same as from every snapshot, reviewed keys included.
    const reviewed = indexReviewed(['component:default/b#sast@2026-11-01', 'component:default/a#sast@2026-11-03']);
    for (const ref of refs) {
      const today = { day: day(10), controlStates: statesOn(ref, 9) };
      const every = Array.from({ length: 8 }, (_, i) => ({ day: day(i + 2), controlStates: statesOn(ref, i + 1) }));
      const input = { entityRef: ref, since: day(2), today: day(10), reviewed, controlTitle: (id: string) => id };
      expect(pendingFailures({ ...input, points: [...(runs.get(ref) ?? []), today] })).toEqual(
        pendingFailures({ ...input, points: [...every, today] }),
      );
    }
    // Something is left to review: a's second episode and b's sbom, not what the keys covered.
    const pending = refs.flatMap(ref =>
      pendingFailures({
        entityRef: ref,
        since: day(2),
        today: day(10),
        reviewed,
        controlTitle: id => id,
        points: [...(runs.get(ref) ?? []), { day: day(10), controlStates: statesOn(ref, 9) }],
      }),
    );
    expect(pending.map(f => f.key).sort()).toEqual(['component:default/a#sast@2026-11-09', 'component:default/b#sbom@2026-11-02']);
    await knex.destroy();
  });
});
