import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';

/** A chip or cell look: text on background, both fixed so the contrast holds in any theme. */
export interface StateLook {
  label: string;
  /** Shown before the text so the state reads without colour. */
  symbol: string;
  color: string;
  background: string;
}

/**
 * The org views' states, each a distinct colour and symbol, every text colour at least 4.5:1
 * (WCAG AA) against its background (`statePalette.test.ts` computes it).
 */
export const STATE_LOOK: Record<ControlState, StateLook> = {
  passing: { label: 'Passing', symbol: '✓', color: '#1b5e20', background: '#e8f5e9' },
  excepted: { label: 'Excepted', symbol: '✓', color: '#0d47a1', background: '#e3f2fd' },
  failing: { label: 'Failing', symbol: '✕', color: '#b71c1c', background: '#ffebee' },
  stale: { label: 'Stale', symbol: '!', color: '#7a4100', background: '#fff3e0' },
  not_reported: { label: 'Not reported', symbol: '–', color: '#37474f', background: '#eceff1' },
  not_applicable: { label: 'Not applicable', symbol: '·', color: '#545454', background: '#ffffff' },
  error: { label: 'Error', symbol: '?', color: '#4a148c', background: '#f3e5f5' },
};

/** Production gate chips: allowed, denied, no decision. */
export const GATE_LOOK: Record<'allow' | 'deny' | 'none', StateLook> = {
  allow: { label: 'allowed', symbol: '✓', color: STATE_LOOK.passing.color, background: STATE_LOOK.passing.background },
  deny: { label: 'denied', symbol: '✕', color: STATE_LOOK.failing.color, background: STATE_LOOK.failing.background },
  none: { label: 'no decision', symbol: '–', color: STATE_LOOK.not_reported.color, background: STATE_LOOK.not_reported.background },
};

/** The order the legend and a cell's summary use: what needs action first. */
export const HEAT_STATES = ['failing', 'stale', 'not_reported', 'passing', 'not_applicable'] as const;
export type HeatState = (typeof HEAT_STATES)[number];

/**
 * A team's cell for one control: failing when any service fails it (or errs), else stale when
 * any is stale, else not reported when any reports nothing, else passing (excepted counts as
 * passing); not applicable when it applies to none of them.
 */
export function heatState(states: Partial<Record<ControlState, number>> | undefined): HeatState {
  const n = (s: ControlState) => states?.[s] ?? 0;
  if (n('failing') + n('error') > 0) return 'failing';
  if (n('stale') > 0) return 'stale';
  if (n('not_reported') > 0) return 'not_reported';
  if (n('passing') + n('excepted') > 0) return 'passing';
  return 'not_applicable';
}

/** sRGB relative luminance of `#rrggbb` (WCAG 2.x). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** MUI `sx` for a chip or cell in a look. */
export const lookSx = (look: StateLook) => ({
  color: look.color,
  backgroundColor: look.background,
});
