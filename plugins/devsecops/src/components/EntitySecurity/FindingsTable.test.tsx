import { Finding, FindingsQuery } from '@devsecops-scorecard/plugin-devsecops-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { FindingsTable } from './FindingsTable';

jest.setTimeout(60_000);

const finding = (id: string, over: Partial<Finding>): Finding => ({
  id,
  entityRef: 'component:default/payments-api',
  control: 'dependency-scan',
  tool: 'grype',
  fingerprint: id,
  kind: 'sca',
  severity: 'critical',
  ruleId: id,
  vulnerabilityId: id,
  title: `${id} in log4j-core`,
  fixedVersions: [],
  status: 'open',
  firstSeenAt: '2026-12-01T00:00:00.000Z',
  lastSeenAt: '2026-12-05T00:00:00.000Z',
  firstReportId: 'r1',
  lastReportId: 'r1',
  ...over,
});

const log4shell = finding('CVE-2021-44228', {
  dueAt: '2026-12-08T00:00:00.000Z',
  exploitability: {
    kev: { listed: true, addedOn: '2021-12-10', source: 'feed' },
    epss: { score: 0.94358, percentile: 0.99961, source: 'feed' },
    cvss: { score: 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
  },
});
const unlikely = finding('CVE-2023-44981', { dueAt: '2020-01-08T00:00:00.000Z', exploitability: { epss: { score: 0.00286, source: 'scanner' } } });
const unknown = finding('CVE-2026-9', {});

describe('FindingsTable exploitability', () => {
  it('shows KEV, EPSS and CVSS next to severity, "—" when unknown, and sorts by exploitability on the server', async () => {
    const queries: FindingsQuery[] = [];
    const api = fakeDevsecopsApi({
      listFindings: async query => {
        queries.push(query);
        const items = query.orderBy === 'exploitability' ? [log4shell, unlikely, unknown] : [unknown, unlikely, log4shell];
        return { items, totalCount: 3, limit: 10, offset: 0 };
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <FindingsTable entityRef="component:default/payments-api" />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'findings' });
    const row = (id: string) => within(table).getByText(id).closest('tr')!;
    expect(await within(table).findByText('CVE-2021-44228')).toBeInTheDocument();
    expect(within(row('CVE-2021-44228')).getByLabelText('known exploited since 2021-12-10')).toHaveTextContent('KEV');
    expect(row('CVE-2021-44228')).toHaveTextContent('EPSS 94.4%');
    expect(row('CVE-2021-44228')).toHaveTextContent('CVSS 10.0');
    expect(row('CVE-2023-44981')).toHaveTextContent('EPSS 0.3%');
    expect(within(row('CVE-2023-44981')).queryByText('KEV')).toBeNull();
    expect(within(row('CVE-2026-9')).getByLabelText('exploitability unknown')).toHaveTextContent('—');
    // Due under the severity SLA; overdue once past.
    expect(row('CVE-2023-44981')).toHaveTextContent(`${new Date('2020-01-08T00:00:00.000Z').toLocaleDateString()} (overdue)`);
    expect(row('CVE-2021-44228')).not.toHaveTextContent('overdue');

    fireEvent.click(within(table).getByRole('button', { name: 'Exploitability' }));
    await within(table).findByText('CVE-2021-44228');
    expect(queries[queries.length - 1]).toMatchObject({ orderBy: 'exploitability', order: 'desc' });
    const ids = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => r.querySelectorAll('td')[2]?.textContent);
    expect(ids).toEqual(['CVE-2021-44228', 'CVE-2023-44981', 'CVE-2026-9']);
  });
});

describe('FindingsTable tickets', () => {
  it("shows each finding's linked ticket, linking to it, with its status", async () => {
    const secret = finding('gitleaks-aws-key', { kind: 'secret', control: 'secret-scanning', tool: 'gitleaks', vulnerabilityId: undefined, ruleId: 'aws-access-key' });
    const other = finding('CVE-2026-9', {});
    const ticketQueries: Array<{ entity: string; subjectKind?: string }> = [];
    const api = fakeDevsecopsApi({
      listFindings: async () => ({ items: [secret, other], totalCount: 2, limit: 10, offset: 0 }),
      listTickets: async query => {
        ticketQueries.push(query);
        return {
          items: [
            {
              id: 't1',
              subjectKind: 'finding',
              subjectId: 'gitleaks-aws-key',
              entityRef: 'component:default/payments-api',
              url: 'https://acme.atlassian.net/browse/SEC-142',
              ticketId: 'SEC-142',
              system: 'jira',
              status: 'closed',
              updatedAt: '2026-12-05T00:00:00.000Z',
              closedAt: '2026-12-05T00:00:00.000Z',
              linkedAt: '2026-12-02T00:00:00.000Z',
              linkedBy: 'user:default/dana',
            },
          ],
        };
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <FindingsTable entityRef="component:default/payments-api" />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'findings' });
    const link = await within(table).findByRole('link', { name: 'ticket SEC-142 (closed)' });
    expect(link).toHaveAttribute('href', 'https://acme.atlassian.net/browse/SEC-142');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('aws-access-key');
    expect(row).toHaveTextContent('closed');
    // The other finding has no ticket.
    expect(within(within(table).getByText('CVE-2026-9').closest('tr')!).queryByRole('link')).toBeNull();
    expect(ticketQueries).toEqual([{ entity: 'component:default/payments-api', subjectKind: 'finding' }]);
  });
});
