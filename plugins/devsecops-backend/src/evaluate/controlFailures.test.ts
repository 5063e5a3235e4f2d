import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';
import { byReviewOrder, failureKey, pendingFailures, StatePoint } from './controlFailures';

const ENTITY = 'component:default/payments-api';
const point = (day: string, states: Record<string, ControlState>): StatePoint => ({ day, controlStates: states });
const run = (points: StatePoint[], since: string, reviewed: string[] = []) =>
  pendingFailures({
    entityRef: ENTITY,
    ownerRef: 'group:default/team-payments',
    points,
    since,
    today: points[points.length - 1].day,
    reviewed: new Set(reviewed),
    controlTitle: id => id.toUpperCase(),
  });

describe('pendingFailures', () => {
  it('splits a control into episodes: fixed ones end on the first passing day, open ones run until today', () => {
    const failures = run(
      [
        point('2026-11-01', { sast: 'passing', sbom: 'passing' }),
        point('2026-11-02', { sast: 'failing', sbom: 'passing' }),
        point('2026-11-03', { sast: 'failing', sbom: 'excepted' }),
        point('2026-11-04', { sast: 'passing', sbom: 'excepted' }),
        point('2026-11-06', { sast: 'failing', sbom: 'excepted' }),
      ],
      '2026-11-01',
    );
    expect(failures).toEqual([
      expect.objectContaining({
        key: `${ENTITY}#sast@2026-11-02`,
        controlTitle: 'SAST',
        since: '2026-11-02',
        lastFailingOn: '2026-11-03',
        endedOn: '2026-11-04',
        days: 2,
        status: 'fixed',
        currentState: 'failing',
      }),
      expect.objectContaining({ key: `${ENTITY}#sast@2026-11-06`, days: 0, status: 'still-failing' }),
      expect.objectContaining({ key: `${ENTITY}#sbom@2026-11-03`, days: 3, status: 'excepted', currentState: 'excepted' }),
    ]);
    expect(failures.every(f => f.ownerRef === 'group:default/team-payments')).toBe(true);
  });

  it('neither ends nor extends a failure on days without current evidence, and says so when that is today', () => {
    const [failure] = run(
      [point('2026-11-01', { sast: 'failing' }), point('2026-11-02', { sast: 'stale' }), point('2026-11-05', { sast: 'not_reported' })],
      '2026-11-01',
    );
    expect(failure).toMatchObject({ since: '2026-11-01', lastFailingOn: '2026-11-01', days: 4, status: 'unverified' });
    expect(failure.endedOn).toBeUndefined();
  });

  it('leaves out failures fixed before the window and those a review covered', () => {
    const points = [
      point('2026-11-01', { sast: 'failing', sbom: 'passing' }),
      point('2026-11-02', { sast: 'passing', sbom: 'failing' }),
      point('2026-11-08', { sast: 'passing', sbom: 'failing' }),
    ];
    // Ended on 11-02, before a window starting 11-03.
    expect(run(points, '2026-11-03').map(f => f.controlId)).toEqual(['sbom']);
    // Reviewed: gone; a later episode of the same control is not.
    expect(run(points, '2026-11-01', [failureKey(ENTITY, 'sbom', '2026-11-02')]).map(f => f.key)).toEqual([`${ENTITY}#sast@2026-11-01`]);
  });

  it('matches a failure already running on the first day looked at with the key its review recorded earlier', () => {
    // Reviewed on 11-05 as starting 10-20; the next window starts on the review day.
    const points = [point('2026-11-05', { sast: 'failing' }), point('2026-11-09', { sast: 'failing' })];
    expect(run(points, '2026-11-05', [failureKey(ENTITY, 'sast', '2026-10-20')])).toEqual([]);
    // A key of another control, or a later start, does not cover it.
    expect(run(points, '2026-11-05', [failureKey(ENTITY, 'sbom', '2026-10-20'), failureKey(ENTITY, 'sast', '2026-11-06')])).toHaveLength(1);
  });

  it('orders open failures first, longest first', () => {
    const failures = run(
      [
        point('2026-11-01', { a: 'failing', b: 'passing', c: 'failing' }),
        point('2026-11-03', { a: 'passing', b: 'failing', c: 'failing' }),
        point('2026-11-04', { a: 'passing', b: 'failing', c: 'failing' }),
      ],
      '2026-11-01',
    ).sort(byReviewOrder);
    expect(failures.map(f => [f.controlId, f.status, f.days])).toEqual([
      ['c', 'still-failing', 3],
      ['b', 'still-failing', 1],
      ['a', 'fixed', 2],
    ]);
  });
});
