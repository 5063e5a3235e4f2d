import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { countsText, dueText, entitySummary, goalText } from './campaignText';

const link = (id: string) => `/devsecops/campaigns/${encodeURIComponent(id)}`;

/** On a service's Security tab: the campaigns it is part of, when they are due, what is left. */
export function EntityCampaignsCard() {
  const { entity } = useEntity();
  const api = useApi(devsecopsApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(() => api.listCampaigns({ entity: ref }), [api, ref]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const campaigns = value!.items;
  return (
    <InfoCard title="Campaigns">
      <Typography>{entitySummary(campaigns)}</Typography>
      <List dense>
        {campaigns.map(c => (
          <ListItem key={c.id} disableGutters>
            <ListItemText
              primary={<Link to={link(c.id)}>{c.title}</Link>}
              secondary={`${goalText(c.goal)}, ${dueText(c)}: ${
                c.entity?.done ? 'done' : c.entity?.nextStep?.text ?? `${c.entity?.stepsLeft ?? 0} steps left`
              }`}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}

/** On a team's Security tab: the campaigns its services are in, and how far the team is. */
export function GroupCampaignsCard() {
  const { entity } = useEntity();
  const api = useApi(devsecopsApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(() => api.listCampaigns({ group: ref }), [api, ref]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const campaigns = value!.items;
  return (
    <InfoCard title="Campaigns">
      {campaigns.length === 0 && <Typography>None of the team's services is in a campaign.</Typography>}
      <List dense>
        {campaigns.map(c => (
          <ListItem key={c.id} disableGutters>
            <ListItemText
              primary={<Link to={link(c.id)}>{c.title}</Link>}
              secondary={`${goalText(c.goal)}, ${dueText(c)}: the team ${c.team ? countsText(c.team) : ''}; overall ${countsText(c.counts)}`}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
