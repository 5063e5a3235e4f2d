export interface Config {
  auth?: {
    providers?: {
      /**
       * Demo personas sign-in (packages/backend/src/modules/demoSignIn.ts), local development
       * only. The sign-in page lists these users; the backend signs in only these.
       */
      demo?: {
        /**
         * The demo users offered on the sign-in page.
         * @deepVisibility frontend
         */
        users?: Array<{
          /** A user of the catalog, e.g. user:default/paula-payne. */
          userEntityRef: string;
          displayName?: string;
          /** The team and role shown on the sign-in page. */
          team?: string;
          /** What this persona will see in the portal. */
          description?: string;
        }>;
        /**
         * Allow the demo sign-in outside NODE_ENV=development. Never set this in production.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
