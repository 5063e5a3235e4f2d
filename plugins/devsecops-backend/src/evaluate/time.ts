const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole and fractional days between two ISO times (b − a). */
export function daysBetween(a: string, b: Date | string): number {
  return (new Date(b).getTime() - new Date(a).getTime()) / DAY_MS;
}

export function newest(times: Array<string | undefined>): string | undefined {
  return times
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
}
