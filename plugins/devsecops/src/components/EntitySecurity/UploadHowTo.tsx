import { CodeSnippet } from '@backstage/core-components';
import { useApi, configApiRef } from '@backstage/core-plugin-api';
import Typography from '@mui/material/Typography';

/** Shown when an entity has no evidence yet: the exact command a pipeline runs to upload. */
export function UploadHowTo({ entityRef }: { entityRef: string }) {
  const backendUrl = useApi(configApiRef).getString('backend.baseUrl');
  const command = [
    'trivy image --format json --output trivy.json "$IMAGE"',
    `curl -fsS -X POST -H "Authorization: Bearer $DEVSECOPS_CI_TOKEN" \\`,
    `  -H 'Content-Type: application/json' --data-binary @trivy.json \\`,
    `  "${backendUrl}/api/devsecops/v1/reports?entity=${encodeURIComponent(entityRef)}&commit=$GITHUB_SHA&artifact=$IMAGE_DIGEST"`,
  ].join('\n');
  return (
    <>
      <Typography variant="body2" gutterBottom>
        No evidence for this entity yet, so every control is <strong>not reported</strong> — never
        a pass. Upload scanner output from CI (SARIF, CycloneDX, SPDX, Trivy, Grype, osv-scanner,
        Semgrep, Checkov, KICS, tfsec, gitleaks, TruffleHog), for example:
      </Typography>
      <CodeSnippet language="bash" text={command} showCopyCodeButton />
    </>
  );
}
