import { contrastRatio, GATE_LOOK, heatState, STATE_LOOK } from './statePalette';

describe('state palette', () => {
  it('computes WCAG contrast (black on white is 21:1, a colour on itself 1:1)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    // The denied chip: MUI link blue on MUI error red.
    expect(contrastRatio('#1976d2', '#d32f2f')).toBeLessThan(1.6);
  });

  it.each([...Object.entries(STATE_LOOK), ...Object.entries(GATE_LOOK).map(([k, v]) => [`gate ${k}`, v] as const)])(
    '%s text meets AA (4.5:1) on its background, and on white',
    (_name, look) => {
      expect(contrastRatio(look.color, look.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(look.color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('gives every state of the heat map its own colour and symbol', () => {
    const states = ['passing', 'failing', 'stale', 'not_reported'] as const;
    expect(new Set(states.map(s => STATE_LOOK[s].background)).size).toBe(4);
    expect(new Set(states.map(s => STATE_LOOK[s].symbol)).size).toBe(4);
  });

  it('colours a team cell by what needs action first', () => {
    expect(heatState({ passing: 3, failing: 1, not_reported: 2 })).toBe('failing');
    expect(heatState({ passing: 3, error: 1 })).toBe('failing');
    expect(heatState({ passing: 3, stale: 1, not_reported: 1 })).toBe('stale');
    expect(heatState({ passing: 3, not_reported: 1 })).toBe('not_reported');
    expect(heatState({ passing: 1, excepted: 1, not_applicable: 4 })).toBe('passing');
    expect(heatState({ not_applicable: 2 })).toBe('not_applicable');
    expect(heatState(undefined)).toBe('not_applicable');
  });
});
