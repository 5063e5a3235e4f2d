import { Content, Header, Page } from '@backstage/core-components';
import { OverviewContent } from './OverviewContent';

/** The org overview page with its own header, for apps on the legacy frontend system. */
export function DevsecopsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="DevSecOps scorecard"
        subtitle="Secure delivery across the organisation"
      />
      <Content>
        <OverviewContent />
      </Content>
    </Page>
  );
}
