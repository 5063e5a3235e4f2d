import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { sampleCampaign } from '../../testUtils/fakeCampaigns';
import { CampaignDetail } from './CampaignDetail';
import { EntityCampaignsCard, GroupCampaignsCard } from './CampaignCards';
import { CampaignsPage } from './CampaignsPage';
import { entitySummary } from './campaignText';

const component = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'payments-api', namespace: 'default' }, spec: { owner: 'team-payments' } };
const group = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-payments', namespace: 'default' }, spec: {} };

jest.setTimeout(30_000);

describe('campaign views', () => {
  it("the Security tab's card says which campaigns, when due and how many steps are left", async () => {
    const listCampaigns = jest.fn(async () => ({ items: [sampleCampaign] }));
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi({ listCampaigns })]]}>
        <EntityProvider entity={component}>
          <EntityCampaignsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Part of 1 campaign, due in 12 days, 1 step left')).toBeInTheDocument();
    expect(listCampaigns).toHaveBeenCalledWith({ entity: 'component:default/payments-api' });
    expect(screen.getByText(/Stage 2, Run SAST on every change: SAST is failing/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: sampleCampaign.title })).toHaveAttribute('href', `/devsecops/campaigns/${sampleCampaign.id}`);
  });

  it("the team tab's card shows the team's share", async () => {
    const listCampaigns = jest.fn(async () => ({ items: [sampleCampaign] }));
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi({ listCampaigns })]]}>
        <EntityProvider entity={group}>
          <GroupCampaignsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText(/the team 1 of 2 services done \(50%\); overall 1 of 4 services done \(25%\)/)).toBeInTheDocument();
    expect(listCampaigns).toHaveBeenCalledWith({ group: 'group:default/team-payments' });
  });

  it('a campaign page shows teams, the burn-up in words and each next step', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi()]]}>
        <CampaignDetail id={sampleCampaign.id} />
      </TestApiProvider>,
    );
    expect(await screen.findByRole('img', { name: 'Burn-up: 0 of 4 done on 2026-11-01 → 1 of 4 on 2026-11-20' })).toBeInTheDocument();
    const services = screen.getByRole('table', { name: 'Services and their next step' });
    expect(within(services).getByText('1 step left')).toBeInTheDocument();
    expect(within(services).getByText('done since 2026-11-20')).toBeInTheDocument();
    const teams = screen.getByRole('table', { name: 'Progress per team' });
    expect(within(teams).getByText('1 of 2 services done (50%)')).toBeInTheDocument();
  });

  it("creating a campaign shows the server's refusal under the field it names", async () => {
    const createCampaign = jest.fn(async () => {
      throw Object.assign(new Error("targetDate '2040-01-01' is more than 5 years away"), { name: 'InputError' });
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi({ createCampaign })]]}>
        <CampaignsPage />
      </TestApiProvider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'New campaign' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Title' }), 'Stage 2 everywhere');
    await userEvent.type(screen.getByRole('textbox', { name: 'Owner' }), 'group:default/platform-team');
    await userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("targetDate '2040-01-01' is more than 5 years away");
    expect(createCampaign).toHaveBeenCalledWith(expect.objectContaining({ title: 'Stage 2 everywhere', goal: { type: 'stage', stage: 2 }, scope: { lifecycle: 'production' } }));
  });

  it('summarises an entity with every goal met, or in no campaign', () => {
    expect(entitySummary([])).toBe('Part of no campaign');
    expect(entitySummary([{ ...sampleCampaign, entity: { ...sampleCampaign.entity!, done: true, stepsLeft: 0 } }])).toBe('Part of 1 campaign, every goal met');
  });
});
