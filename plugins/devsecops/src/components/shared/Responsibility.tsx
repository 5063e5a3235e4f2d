import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import {
  capabilityOf,
  Responsibility as ResponsibilityData,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

const ROLES = [
  { key: 'acts', label: 'Acts', missing: 'no owner in the catalog' },
  { key: 'provides', label: 'Provides', missing: 'no platform team configured (devsecops.responsibility.platformTeam)' },
  { key: 'decides', label: 'Decides', missing: 'no security/compliance owner configured (devsecops.responsibility.securityOwner)' },
] as const;

/**
 * Who acts (the product team: the entity's owner), who provides (the platform team) and who
 * decides (the security/compliance owner) for one control or criterion, with each role's duty
 * from the operating model's responsibility table and a link to each group.
 */
export function Responsibility(props: { responsibility: ResponsibilityData; title?: string }) {
  const { responsibility, title } = props;
  const capability = capabilityOf(responsibility.capability);
  return (
    <Box component="section" aria-label={title ?? `Responsibility: ${capability.title}`}>
      <Typography variant="body2" fontWeight={600}>
        {capability.title}
      </Typography>
      <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 1, rowGap: 0.5 }}>
        {ROLES.map(role => {
          const ref = responsibility[role.key];
          return [
            <Typography key={`${role.key}-term`} component="dt" variant="body2" color="text.secondary">
              {role.label}
            </Typography>,
            <Typography key={`${role.key}-definition`} component="dd" variant="body2" sx={{ m: 0 }}>
              {ref ? <EntityRefLinks entityRefs={[ref]} defaultKind="group" /> : <em>{role.missing}</em>}
              {' — '}
              {capability[role.key]}
            </Typography>,
          ];
        })}
      </Box>
    </Box>
  );
}
