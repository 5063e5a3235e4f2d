import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Alert from '@mui/material/Alert';

/** Says the portal shows demo data, when `devsecops.demoNotice` is configured (the local demo). */
export function DemoDataNotice() {
  const notice = useApi(configApiRef).getOptionalString('devsecops.demoNotice');
  if (!notice) return null;
  return (
    <Alert severity="info" variant="outlined" sx={{ mb: 2 }} aria-label="demo data">
      {notice}
    </Alert>
  );
}
