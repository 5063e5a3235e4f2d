import { Campaign, CampaignReport } from '@devsecops-scorecard/plugin-devsecops-common';
import { daysFrom } from '../evaluate/campaigns';

/** What a campaign notification says (Backstage notification payload). */
export interface CampaignNotice {
  title: string;
  description: string;
  link: string;
  topic: string;
  severity: 'high' | 'normal';
}

const campaignLink = (campaign: Campaign) => `/devsecops/campaigns/${encodeURIComponent(campaign.id)}`;

/**
 * The notification a started campaign is due today, as its claim's kind: `ended` after the
 * target date, else the nearest reminder offset reached (`reminder-<days>d`: a campaign created
 * late sends the nearest one only), else none.
 */
export function dueNotification(campaign: Campaign, today: string): string | undefined {
  const daysLeft = daysFrom(today, campaign.targetDate);
  if (daysLeft < 0) return 'ended';
  const offset = [...campaign.reminderDaysBefore].sort((a, b) => a - b).find(d => d >= daysLeft);
  return offset === undefined ? undefined : `reminder-${offset}d`;
}

/** The reminder to a team with `left` services not done. */
export function reminderNotice(campaign: Campaign, left: number, today: string): CampaignNotice {
  const daysLeft = daysFrom(today, campaign.targetDate);
  return {
    title: `${campaign.title}: ${left} service${left === 1 ? '' : 's'} not done, due in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`,
    description: `Target ${campaign.targetDate}. The campaign page lists the next step for each service.`,
    link: campaignLink(campaign),
    topic: 'devsecops-campaign-reminder',
    severity: daysLeft <= 3 ? 'high' : 'normal',
  };
}

/** The end report to the campaign's owner. */
export function endedNotice(campaign: Campaign, report: CampaignReport): CampaignNotice {
  return {
    title: `Campaign ended: ${campaign.title}`,
    description: `${report.doneOnTime.length} done on time, ${report.doneLate.length} late, ${report.excepted.length} through exceptions, ${report.notDone.length} not done.`,
    link: campaignLink(campaign),
    topic: 'devsecops-campaign-ended',
    severity: 'normal',
  };
}
