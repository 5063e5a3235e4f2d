/*
 * Text from scanners, pipelines and people reaches the views unchanged: the backend stores HTML,
 * script and control characters as data (see the backend's hostile-input corpus). Here such text
 * goes through finding titles, control and gate reasons, exception risk statements, reasons and
 * entity names into the Security tab, the exception queue and the group view, and must appear as
 * literal text, never as elements or handlers.
 */
import { configApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, waitFor } from '@testing-library/react';
import { devsecopsApiRef } from '../api';
import {
  fakeDevsecopsApi,
  sampleException,
  sampleRollup,
  sampleScorecard,
  sampleSignal,
} from '../testUtils/fakeDevsecopsApi';
import { EntitySecurityContent } from './EntitySecurity';
import { ExceptionQueue } from './Exceptions';
import { ScopeSecurityContent } from './ScopeSecurity';

const SCRIPT = '<script>window.__inertTextPwned = "script"</script>';
const IMG = '<img src=x onerror="window.__inertTextPwned = \'img\'">';
const SVG = '<svg onload="window.__inertTextPwned = \'svg\'"></svg>';
const CONTROL = 'bell\u0007 escape\u001b[31m red\u001b[0m nul\u0000 end';

/** Entity names cannot hold a slash (it separates the namespace), so these go without one. */
const IMG_NAME = '<img src=x onerror=window.__inertTextPwned=1>';
const CONTROL_NAME = 'svc\u0007\u001b[31m';

const pwned = () => (window as unknown as { __inertTextPwned?: unknown }).__inertTextPwned;

/** No element or handler came from the text: no script, no injected img or svg, no on* attribute. */
function expectInert() {
  expect(document.querySelectorAll('script')).toHaveLength(0);
  expect(document.querySelectorAll('img[src="x"]')).toHaveLength(0);
  expect(document.querySelectorAll('svg[onload]')).toHaveLength(0);
  const withHandler = Array.from(document.querySelectorAll('*')).filter(element =>
    Array.from(element.attributes).some(attribute => attribute.name.toLowerCase().startsWith('on')),
  );
  expect(withHandler.map(element => element.outerHTML.slice(0, 120))).toEqual([]);
  expect(pwned()).toBeUndefined();
}

/** The text is in the page as typed (control characters included). */
async function expectLiteral(text: string) {
  await waitFor(() => expect(document.body.textContent).toContain(text));
}

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

describe('hostile text is rendered inertly', () => {
  afterEach(() => {
    delete (window as unknown as { __inertTextPwned?: unknown }).__inertTextPwned;
  });

  it('in the Security tab: finding titles, control, next-step and gate reasons, runtime summaries', async () => {
    const fake = fakeDevsecopsApi();
    const api = fakeDevsecopsApi({
      getScorecard: async () => ({
        ...sampleScorecard,
        controls: sampleScorecard.controls.map((c, i) => ({
          ...c,
          reason: [SCRIPT, IMG, CONTROL, SVG][i % 4],
        })),
        maturity: {
          ...sampleScorecard.maturity,
          nextSteps: [{ id: 'reusable-workflows', title: `Step ${SCRIPT}`, met: false, reason: IMG }],
        },
        latestGateDecisions: sampleScorecard.latestGateDecisions.map(d => ({
          ...d,
          requirements: d.requirements.map(r => ({ ...r, reason: `${r.reason} ${SVG} ${CONTROL}` })),
        })),
      }),
      listFindings: async query => {
        const page = await fake.listFindings(query);
        return {
          ...page,
          items: [
            { ...page.items[0], id: 'f1', title: SCRIPT, ruleId: IMG },
            { ...page.items[0], id: 'f2', title: IMG, fingerprint: 'g' },
            { ...page.items[0], id: 'f3', title: CONTROL, fingerprint: 'h' },
          ],
        };
      },
      listRuntimeSignals: async () => ({
        items: [{ ...sampleSignal, summary: `${SCRIPT} ${IMG}`, source: CONTROL }],
        totalCount: 1,
        limit: 50,
        offset: 0,
      }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [devsecopsApiRef, api],
          [configApiRef, mockApis.config({ data: { backend: { baseUrl: 'https://portal.example.com' } } })],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntitySecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('maturity-stage')).toBeInTheDocument();
    for (const text of [SCRIPT, IMG, CONTROL, SVG, `Step ${SCRIPT}`, `${SVG} ${CONTROL}`, `${SCRIPT} ${IMG}`]) {
      await expectLiteral(text);
    }
    expectInert();
  });

  it('in the exception queue: risk statements, compensating controls, reasons and entity names', async () => {
    const hostile = (id: string, over: Partial<ExceptionRecord>): ExceptionRecord => ({
      ...sampleException,
      id,
      compensatingControls: SVG,
      events: [
        { action: 'requested', actor: 'user:default/dana', at: '2026-11-28T00:00:00.000Z', toStatus: 'requested', reason: SCRIPT },
        { action: 'rejected', actor: 'user:default/rita', at: '2026-11-28T01:00:00.000Z', fromStatus: 'requested', toStatus: 'rejected', reason: `${IMG} ${CONTROL}` },
      ] as ExceptionRecord['events'],
      ...over,
    });
    const api = fakeDevsecopsApi({
      listExceptions: async () => ({
        items: [
          hostile('h1', { riskStatement: SCRIPT, entityRef: `component:default/${IMG_NAME}` }),
          hostile('h2', { riskStatement: IMG, entityRef: `component:default/${CONTROL_NAME}`, scope: { control: 'container-scan', vulnerabilityId: SCRIPT, ruleId: IMG } }),
          hostile('h3', { riskStatement: CONTROL }),
        ],
        totalCount: 3,
        limit: 200,
        offset: 0,
      }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [devsecopsApiRef, api],
          [identityApiRef, mockApis.identity({ userEntityRef: 'user:default/rita', ownershipEntityRefs: ['user:default/rita', 'group:default/security-compliance'] })],
        ]}
      >
        <ExceptionQueue />
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('exception-h1')).toBeInTheDocument();
    for (const text of [SCRIPT, IMG, CONTROL, IMG_NAME, CONTROL_NAME, `container-scan · ${SCRIPT} · rule ${IMG}`]) {
      await expectLiteral(text);
    }
    expectInert();
  });

  it('in the group view: entity, team and sub-team names', async () => {
    const api = fakeDevsecopsApi({
      getRollup: async query => ({
        ...sampleRollup,
        scope: { kind: 'group', ref: query?.group },
        entities: [
          { entityRef: `component:default/${IMG_NAME}`, ownerRef: `group:default/${CONTROL_NAME}`, type: 'service', stage: 1, productionGate: 'deny' },
          { entityRef: `component:default/${CONTROL_NAME}`, ownerRef: 'group:default/team-payments', type: 'service', stage: 0 },
        ],
        children: [
          { ...sampleRollup, scope: { kind: 'group', ref: `group:default/${IMG_NAME}` }, entityCount: 1 },
          { ...sampleRollup, scope: { kind: 'group', ref: `group:default/${CONTROL_NAME}` }, entityCount: 1 },
        ],
        owners: [
          { ...sampleRollup, scope: { kind: 'group', ref: `group:default/${IMG_NAME}` }, entityCount: 1 },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <EntityProvider entity={{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'dept-product', namespace: 'default' }, spec: { type: 'department', children: [] } }}>
          <ScopeSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByRole('table', { name: 'sub-teams' })).toBeInTheDocument();
    for (const text of [IMG_NAME, CONTROL_NAME]) {
      await expectLiteral(text);
    }
    expectInert();
  });
});
