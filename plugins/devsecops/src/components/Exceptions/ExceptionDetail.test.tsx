import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleException } from '../../testUtils/fakeDevsecopsApi';
import { ExceptionDetail } from './ExceptionDetail';
import { ExceptionsPage } from './ExceptionsPage';

jest.setTimeout(30_000);

const decided = {
  ...sampleException,
  status: 'approved' as const,
  compensatingControls: 'WAF rule 9001',
  decidedAt: '2026-11-29T10:00:00.000Z',
  decidedBy: 'user:default/rita',
  events: [
    { action: 'requested' as const, actor: 'user:default/dana', at: '2026-11-28T00:00:00.000Z', toStatus: 'requested' as const },
    {
      action: 'approved' as const,
      actor: 'user:default/rita',
      reason: 'Only the health probe uses it',
      at: '2026-11-29T10:00:00.000Z',
      fromStatus: 'requested' as const,
      toStatus: 'approved' as const,
    },
  ],
};

const finding = (id: string, vulnerabilityId: string) => ({
  id,
  entityRef: 'component:default/payments-api',
  control: 'container-scan',
  tool: 'trivy',
  fingerprint: id,
  kind: 'vulnerability',
  severity: 'critical' as const,
  ruleId: vulnerabilityId,
  vulnerabilityId,
  title: `${vulnerabilityId} in openssl`,
  fixedVersions: [],
  status: 'open' as const,
  firstSeenAt: '2026-11-20T00:00:00.000Z',
  lastSeenAt: '2026-11-28T00:00:00.000Z',
  firstReportId: 'r1',
  lastReportId: 'r1',
});

describe('ExceptionDetail', () => {
  it('shows the risk, who asked and decides, the findings it covers and every event with who, when and why', async () => {
    const api = fakeDevsecopsApi({
      getException: async () => decided,
      listFindings: async () => ({ items: [finding('f1', 'CVE-2026-1'), finding('f2', 'CVE-2026-2')], totalCount: 2, limit: 200, offset: 0 }),
      getExceptionActions: async id => ({
        exceptionId: id,
        actions: [
          { action: 'approve', allowed: false, reason: 'It is approved, not awaiting a decision' },
          { action: 'reject', allowed: false, reason: 'It is approved, not awaiting a decision' },
          { action: 'revoke', allowed: true },
          { action: 'renew', allowed: true },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ExceptionDetail id="e1" />
      </TestApiProvider>,
    );
    const facts = await screen.findByText('Risk statement');
    const list = facts.closest('dl')!;
    const value = (term: string) => within(list).getByText(term).nextElementSibling?.textContent;
    expect(value('Risk statement')).toBe('Not reachable from the internet');
    expect(value('Compensating controls')).toBe('WAF rule 9001');
    expect(value('Owning team')).toBe('group:default/team-payments');
    expect(value('Requested by')).toBe('user:default/dana');
    expect(value('Risk owner')).toBe('group:default/security-compliance');
    expect(value('Requested')).toMatch(/^2026-11-28 \((today|\d+ days? ago)\)$/);
    expect(value('Decided')).toBe('approved by user:default/rita on 2026-11-29: Only the health probe uses it');
    expect(value('Scope')).toBe('container-scan · CVE-2026-1');

    // Only the finding its scope names.
    expect(await screen.findByText(/CVE-2026-1: CVE-2026-1 in openssl/)).toBeInTheDocument();
    expect(screen.queryByText(/CVE-2026-2 in openssl/)).not.toBeInTheDocument();

    const history = within(screen.getByRole('list', { name: 'history' })).getAllByRole('listitem');
    expect(history.map(h => h.textContent)).toEqual([
      '2026-11-28 00:00 UTC: user:default/dana requested it',
      '2026-11-29 10:00 UTC: user:default/rita approved it (requested → approved) — “Only the health probe uses it”',
    ]);

    // Only what the backend allows: no Approve, a Revoke that asks for a reason.
    const actions = screen.getByRole('region', { name: 'actions' });
    expect(within(actions).queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(within(actions).getByRole('button', { name: 'Request renewal' })).toBeInTheDocument();
    const changeException = jest.spyOn(api, 'changeException');
    fireEvent.click(within(actions).getByRole('button', { name: 'Revoke' }));
    fireEvent.change(await screen.findByLabelText(/Reason/), { target: { value: 'Fixed upstream' } });
    fireEvent.click(screen.getByRole('button', { name: 'revoke' }));
    await waitFor(() => expect(changeException).toHaveBeenCalledWith('e1', 'revoke', 'Fixed upstream'));
  });

  it('says why the viewer has no action', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            devsecopsApiRef,
            fakeDevsecopsApi({
              getExceptionActions: async id => ({
                exceptionId: id,
                actions: [
                  { action: 'approve', allowed: false, reason: 'You requested this exception; someone else must decide' },
                  { action: 'reject', allowed: false, reason: 'You requested this exception; someone else must decide' },
                  { action: 'revoke', allowed: false, reason: 'Only approved exceptions can be revoked (this one is requested)' },
                  { action: 'renew', allowed: false, reason: 'Only approved or expired exceptions are renewed (this one is requested)' },
                ],
              }),
            }),
          ],
        ]}
      >
        <ExceptionDetail id="e1" />
      </TestApiProvider>,
    );
    expect(await screen.findByText('No action for you here: You requested this exception; someone else must decide.')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'actions' })).queryByRole('button')).not.toBeInTheDocument();
  });

  it("shows the server's answer when the exception cannot be read", async () => {
    const response = new Response(JSON.stringify({ error: { name: 'NotFoundError', message: 'No exception e9' } }), {
      status: 404,
      statusText: 'Not Found',
      headers: { 'content-type': 'application/json' },
    });
    const notFound = await ResponseError.fromResponse(response as any);
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi({ getException: async () => Promise.reject(notFound) })]]}>
        <ExceptionDetail id="e9" />
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(/No exception e9/)).length).toBeGreaterThan(0);
  });

  it('opens the exception from a notification link, and from the old ?id= links', async () => {
    const api = fakeDevsecopsApi();
    const get = jest.spyOn(api, 'getException');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ExceptionsPage />
      </TestApiProvider>,
      { routeEntries: ['/e7'] },
    );
    await waitFor(() => expect(get).toHaveBeenCalledWith('e7'));

    const legacy = fakeDevsecopsApi();
    const legacyGet = jest.spyOn(legacy, 'getException');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, legacy]]}>
        <ExceptionsPage />
      </TestApiProvider>,
      { routeEntries: ['/?id=e8'] },
    );
    await waitFor(() => expect(legacyGet).toHaveBeenCalledWith('e8'));
  });
});
