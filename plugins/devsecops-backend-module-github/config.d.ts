export interface Config {
  devsecops?: {
    /**
     * The GitHub pull of the DevSecOps scorecard (module `github` of plugin `devsecops`). Off
     * unless this key is present (`github: {}` turns it on with the default schedule).
     */
    github?: {
      /**
       * How often to read GitHub for every catalog Component with a `github.com/project-slug`
       * annotation: a duration (`{ hours: 6 }`) or a cron expression. Default every 6 hours.
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
}
