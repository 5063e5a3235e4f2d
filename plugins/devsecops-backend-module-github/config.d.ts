export interface Config {
  devsecops?: {
    /**
     * The GitHub pull of the DevSecOps scorecard (module `github` of plugin `devsecops`). Off
     * unless this key is present (`github: {}` turns it on with the default schedule).
     */
    github?: {
      /**
       * How often to read GitHub for every catalog Component with a `github.com/project-slug`
       * annotation: a duration (`{ hours: 6 }`), a cron expression, or `manual` (only when
       * triggered: `scheduler.triggerTask('devsecops-github-pull')`). Default every 6 hours.
       */
      schedule?:
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
          }
        | string;
      /**
       * The organisation's paved-road reusable workflows, as `owner/repo/.github/workflows/file.yml`
       * (no `@ref`). When set, `ci.reusable_workflow` holds only for a repository whose workflows
       * call one of them; when absent, a call to any other repository's reusable workflow counts.
       */
      pavedRoadWorkflows?: string[];
      /**
       * The example events subscriber (module `github-issues`): one GitHub issue in a Component's
       * repository (`github.com/project-slug`) for a control failing longer than `openAfterDays`,
       * closed when it passes again. The GitHub App needs `issues: write`.
       */
      issues?: {
        /** Opt-in; default false. */
        enabled?: boolean;
        /** Days a control must have failed (counted from the daily snapshots) before an issue is opened. 0–365, default 7. */
        openAfterDays?: number;
        /**
         * How often the check runs (once across instances): a duration or a cron expression.
         * Default every 6 hours.
         */
        schedule?:
          | {
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
            }
          | string;
      };
    };
  };
}
