/*
 * The demo portal's backend: the new backend system with the catalog as the source of owners,
 * guest and demo personas sign-in for local use, permissions, notifications, signals and the devsecops plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { demoEvidenceModule } from './modules/demoEvidence';
import { demoGithubPlugin } from './modules/demoGithub';
import { demoSignInModule } from './modules/demoSignIn';
import { permissionPolicyModule } from './modules/permissionPolicy';

const backend = createBackend();

// Serves the built frontend at / when packages/app has been built.
backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in for local use; see https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo personas sign-in (local use only, users listed in auth.providers.demo; modules/demoSignIn.ts).
backend.add(demoSignInModule);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// The demo's policy: only a named risk owner decides exceptions (see modules/permissionPolicy.ts).
backend.add(permissionPolicyModule);

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.add(import('@devsecops-scorecard/plugin-devsecops-backend'));
// Reads branch protection, security features and alerts from GitHub when devsecops.github is set.
backend.add(import('@devsecops-scorecard/plugin-devsecops-backend-module-github'));
// Uploads demo evidence when app-config has devsecopsDemo (app-config.demo.yaml does).
backend.add(demoEvidenceModule);
// The demo organisation's fake GitHub REST API, which the GitHub module reads (app-config.demo.yaml).
backend.add(demoGithubPlugin);

backend.start();
