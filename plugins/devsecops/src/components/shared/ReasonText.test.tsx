import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ReasonText } from './ReasonText';

describe('ReasonText', () => {
  it('words fact names, links finding ids and shortens digests with a copy button', async () => {
    const digest = `sha256:${'5a'.repeat(32)}`;
    await renderInTestApp(
      <p data-testid="reason">
        <ReasonText reason={`No observation of exercise.leaked_secrets; ${digest} fails on CVE-2026-9 and ZAP-40012`} />
      </p>,
    );
    const reason = screen.getByTestId('reason');
    expect(reason).toHaveTextContent(
      'No observation of a leaked-secrets tabletop exercise; sha256:5a5a5a5a5a5a… fails on CVE-2026-9 and ZAP-40012.',
    );
    expect(reason).not.toHaveTextContent('5a'.repeat(32));
    expect(screen.getByRole('button', { name: 'Copy digest sha256:5a5a5a5a5a5a…' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'CVE-2026-9' })).toHaveAttribute('href', '#finding-CVE-2026-9');
    expect(screen.getByRole('link', { name: 'ZAP-40012' })).toHaveAttribute('href', '#finding-ZAP-40012');
  });
});
