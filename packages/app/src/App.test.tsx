import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('boots the new frontend system with the demo personas sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              providers: {
                demo: {
                  users: [
                    {
                      userEntityRef: 'user:default/paula-payne',
                      displayName: 'Paula Payne',
                      team: 'Payments Team (developer)',
                      description: 'The payments services',
                    },
                    { userEntityRef: 'user:default/risk-owner-rita' },
                  ],
                },
              },
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The sign-in page is the first thing a signed-out user sees; its persona list proves the
    // sign-in module was installed into the app and reads the personas from config.
    expect(
      await screen.findByRole(
        'button',
        { name: 'Sign in as Paula Payne' },
        { timeout: 15000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Payments Team (developer)')).toBeInTheDocument();
    // Without a display name the persona is named after the user.
    expect(
      screen.getByRole('button', { name: 'Sign in as risk-owner-rita' }),
    ).toBeInTheDocument();
  });
});
