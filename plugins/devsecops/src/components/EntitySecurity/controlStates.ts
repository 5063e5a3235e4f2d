import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';

/** How each control state reads and looks; colours come from the MUI theme palette. */
export const CONTROL_STATE_LOOK: Record<
  ControlState,
  { label: string; color: 'success' | 'error' | 'default' | 'warning' | 'info' | 'secondary' }
> = {
  passing: { label: 'Passing', color: 'success' },
  failing: { label: 'Failing', color: 'error' },
  not_reported: { label: 'Not reported', color: 'default' },
  stale: { label: 'Stale', color: 'warning' },
  excepted: { label: 'Excepted', color: 'info' },
  not_applicable: { label: 'Not applicable', color: 'default' },
  error: { label: 'Error', color: 'secondary' },
};
