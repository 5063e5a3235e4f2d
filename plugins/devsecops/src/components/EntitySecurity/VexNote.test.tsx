import { Finding } from '@devsecops-scorecard/plugin-devsecops-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { FindingsTable } from './FindingsTable';

jest.setTimeout(60_000);

const finding = (id: string, tool: string, over: Partial<Finding>): Finding => ({
  id: `${tool}-${id}`,
  entityRef: 'component:default/payments-api',
  control: 'container-scan',
  tool,
  fingerprint: id,
  kind: 'sca',
  severity: 'critical',
  ruleId: id,
  vulnerabilityId: id,
  title: `${id} in libc6`,
  package: { name: 'libc6', version: '2.28-10' },
  fixedVersions: [],
  status: 'open',
  firstSeenAt: '2026-12-01T00:00:00.000Z',
  lastSeenAt: '2026-12-05T00:00:00.000Z',
  firstReportId: 'r1',
  lastReportId: 'r1',
  ...over,
});

const statement = {
  justification: 'vulnerable_code_not_in_execute_path',
  impactStatement: 'iconv ISO-2022-JP-3 is never used',
  statedAt: '2026-12-01T09:00:00.000Z',
  recordedAt: '2026-12-02T10:00:00.000Z',
  expiresAt: '2027-03-01T09:00:00.000Z',
  documentId: 'https://acme.example/vex/1',
  author: 'ACME PSIRT',
  reportId: 'vex-report',
};

describe('FindingsTable VEX', () => {
  it('shows why, by whom and since when a finding is suppressed by VEX, and a statement that does not suppress', async () => {
    const api = fakeDevsecopsApi({
      listFindings: async () => ({
        items: [
          finding('CVE-2021-3326', 'Trivy', { vex: { status: 'not_affected', suppresses: true, ...statement } }),
          finding('CVE-2019-16541', 'Grype', {
            vex: { status: 'affected', suppresses: false, ...statement, justification: undefined, actionStatement: 'upgrade jira' },
          }),
          finding('CVE-2019-25013', 'Grype', {}),
        ],
        totalCount: 3,
        limit: 10,
        offset: 0,
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <FindingsTable entityRef="component:default/payments-api" />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'findings' });
    const row = (id: string) => within(table).getByText(id).closest('tr')!;
    await within(table).findByText('CVE-2021-3326');
    const suppressed = within(row('CVE-2021-3326')).getByLabelText(/^suppressed by VEX\./);
    expect(suppressed.getAttribute('aria-label')).toContain('not affected: vulnerable code not in execute path');
    expect(suppressed.getAttribute('aria-label')).toContain('Stated by ACME PSIRT');
    expect(suppressed.getAttribute('aria-label')).toContain(`Suppressed since ${new Date(statement.recordedAt).toLocaleDateString()}`);
    expect(row('CVE-2021-3326')).toHaveTextContent(`vulnerable code not in execute path, since ${new Date(statement.recordedAt).toLocaleDateString()}`);

    const affected = within(row('CVE-2019-16541')).getByLabelText(/^VEX: affected\./);
    expect(affected.getAttribute('aria-label')).toContain('Action: upgrade jira');
    expect(row('CVE-2019-16541')).not.toHaveTextContent('suppressed by VEX');
    expect(row('CVE-2019-25013')).not.toHaveTextContent('VEX');
  });
});
