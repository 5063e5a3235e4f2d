import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('boots the new frontend system with the guest sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The sign-in page is the first thing a signed-out user sees; its guest provider proves the
    // sign-in module was installed into the app.
    expect(
      await screen.findByRole('button', { name: /enter/i }, { timeout: 15000 }),
    ).toBeInTheDocument();
  });
});
