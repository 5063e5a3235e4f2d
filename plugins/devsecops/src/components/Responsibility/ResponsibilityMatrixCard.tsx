import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';

function Group(props: { groupRef?: string; configKey: string }) {
  return props.groupRef ? (
    <EntityRefLinks entityRefs={[props.groupRef]} defaultKind="group" />
  ) : (
    <em>not configured ({props.configKey})</em>
  );
}

/**
 * The operating model's responsibility table as this portal applies it: for each capability,
 * what the product team (each service's owner) does, what the platform team provides and what
 * the security/compliance owner decides, with the configured groups and the controls and
 * maturity criteria that belong to the capability.
 */
export function ResponsibilityMatrixCard() {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => api.getResponsibilityMatrix(), [api]);
  return (
    <InfoCard title="Responsibilities">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <Typography variant="body2" color="text.secondary" mb={2}>
            Who acts, provides and decides for each capability. The product team is each service's
            owner in the catalog; a failing control or criterion names all three on its Security tab.
          </Typography>
          <Table size="small" aria-label="responsibility matrix">
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">Capability</TableCell>
                <TableCell component="th" scope="col">Product team (the owner) acts</TableCell>
                <TableCell component="th" scope="col">
                  Platform team provides — <Group groupRef={value.groups.platformTeam} configKey="devsecops.responsibility.platformTeam" />
                </TableCell>
                <TableCell component="th" scope="col">
                  Security/compliance decides — <Group groupRef={value.groups.securityOwner} configKey="devsecops.responsibility.securityOwner" />
                </TableCell>
                <TableCell component="th" scope="col">Controls and criteria</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.capabilities.map(c => (
                <TableRow key={c.id}>
                  <TableCell component="th" scope="row">{c.title}</TableCell>
                  <TableCell>{c.acts}</TableCell>
                  <TableCell>{c.provides}</TableCell>
                  <TableCell>{c.decides}</TableCell>
                  <TableCell>
                    {c.items.length === 0
                      ? 'none yet'
                      : c.items
                          .map(i => (i.kind === 'control' ? i.title : `${i.title} (stage ${i.stage})`))
                          .join('; ')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </InfoCard>
  );
}
