export { CampaignsPage } from './CampaignsPage';
export { EntityCampaignsCard, GroupCampaignsCard } from './CampaignCards';
