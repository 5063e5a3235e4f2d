import { FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';

const RANK: Record<FindingSeverity, number> = {
  critical: 5,
  high: 4,
  medium: 3,
  low: 2,
  info: 1,
};

/** Higher is more severe (critical 5 … info 1), for ordering in queries. */
export const SEVERITY_RANKS: Readonly<Record<FindingSeverity, number>> = RANK;

export function atLeast(severity: FindingSeverity, threshold: FindingSeverity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function emptyCounts(): Record<FindingSeverity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
