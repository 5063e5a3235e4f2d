import { EntityMetrics } from '@devsecops-scorecard/plugin-devsecops-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { MetricsPanel } from './MetricsPanel';

const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
const metrics = (over: Partial<EntityMetrics>): EntityMetrics => ({
  patchedCount: 0,
  rotatedCount: 0,
  pastSla: counts,
  openBySeverity: counts,
  ...over,
});

describe('MetricsPanel mean time to rotate', () => {
  it('says which rotated the secrets: a closed ticket or the secret gone from the scan', async () => {
    await renderInTestApp(
      <MetricsPanel metrics={metrics({ meanTimeToRotateDays: 1.5, rotatedCount: 3, rotatedBy: { ticketClosed: 2, secretGone: 1 } })} />,
    );
    expect(screen.getByText('1.5 d')).toBeInTheDocument();
    expect(screen.getByText('3 secrets rotated (ticket closed 2 · gone from scan 1)')).toBeInTheDocument();
  });

  it('without rotations, only the count', async () => {
    await renderInTestApp(<MetricsPanel metrics={metrics({})} />);
    expect(screen.getByText('0 secrets rotated')).toBeInTheDocument();
  });
});
