import { secretRotations } from './rotation';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const secret = (id: string, firstSeenAt: string, resolvedAt: string) => ({ id, kind: 'secret', severity: 'high' as const, firstSeenAt, resolvedAt });

describe('secretRotations', () => {
  it('a secret is rotated at whichever is first: its ticket closing or its disappearance from the scan', () => {
    const rotations = secretRotations(
      [
        secret('1', '2026-12-01T00:00:00.000Z', '2026-12-05T00:00:00.000Z'), // gone after its ticket closed
        secret('2', '2026-12-01T00:00:00.000Z', '2026-12-03T00:00:00.000Z'), // gone before its ticket closed
        secret('3', '2026-12-02T00:00:00.000Z', '2026-12-04T00:00:00.000Z'), // no ticket
        { id: '9', kind: 'sca', severity: 'high', firstSeenAt: '2026-12-01T00:00:00.000Z', resolvedAt: '2026-12-02T00:00:00.000Z' },
      ],
      [
        { findingId: '1', firstSeenAt: '2026-12-01T00:00:00.000Z', closedAt: '2026-12-02T00:00:00.000Z', resolvedAt: '2026-12-05T00:00:00.000Z' },
        { findingId: '2', firstSeenAt: '2026-12-01T00:00:00.000Z', closedAt: '2026-12-04T00:00:00.000Z', resolvedAt: '2026-12-03T00:00:00.000Z' },
        { findingId: '4', firstSeenAt: '2026-11-30T00:00:00.000Z', closedAt: '2026-12-01T00:00:00.000Z' }, // still open in the scans
      ],
      NOW,
      30,
    );
    expect(rotations).toEqual([
      { firstSeenAt: '2026-12-01T00:00:00.000Z', rotatedAt: '2026-12-03T00:00:00.000Z', by: 'secret_gone' },
      { firstSeenAt: '2026-12-02T00:00:00.000Z', rotatedAt: '2026-12-04T00:00:00.000Z', by: 'secret_gone' },
      { firstSeenAt: '2026-12-01T00:00:00.000Z', rotatedAt: '2026-12-02T00:00:00.000Z', by: 'ticket_closed' },
      { firstSeenAt: '2026-11-30T00:00:00.000Z', rotatedAt: '2026-12-01T00:00:00.000Z', by: 'ticket_closed' },
    ]);
  });

  it('a ticket closed before the window or after the evaluation time does not count; its finding resolved in the window is not counted twice', () => {
    const rotations = secretRotations(
      [secret('1', '2026-10-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z')],
      [
        { findingId: '1', firstSeenAt: '2026-10-01T00:00:00.000Z', closedAt: '2026-10-05T00:00:00.000Z', resolvedAt: '2026-12-01T00:00:00.000Z' },
        { findingId: '5', firstSeenAt: '2026-12-01T00:00:00.000Z', closedAt: '2026-12-07T00:00:00.000Z' },
      ],
      NOW,
      30,
    );
    expect(rotations).toEqual([]);
  });
});
