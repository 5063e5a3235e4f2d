export interface Config {
  /**
   * The demo data of the local portal (packages/backend/src/modules/demoEvidence.ts), uploaded
   * through the devsecops API after start. Lives in app-config.demo.yaml, which only `npm start`
   * loads; with NODE_ENV=production the module refuses to start when this key is present.
   */
  devsecopsDemo?: {
    /** Directory the report files are relative to. Default `../..` (the repository, from packages/backend). */
    root?: string;
    /** Replay the people's side as the demo personas: exception requests, decisions, exercises. */
    activity?: boolean;
    /**
     * A generated history (demoHistory.ts): scans, GitHub pulls, deployments and alerts day by
     * day. The entities' repositories are also served by the demo GitHub API (demoGithub.ts).
     */
    history?: {
      /** Days of history; 0 for none. */
      days?: number;
      entities?: Array<{
        entity: string;
        trajectory?: 'leading' | 'improving' | 'steady' | 'struggling';
        /** Libraries and templates are not deployed. Default true. */
        deployable?: boolean;
      }>;
    };
    /** Today's evidence, from real scanner reports (facts come from the GitHub module, never from here). */
    evidence?: Array<{
      entity: string;
      reports?: Array<{ file: string; format?: string; artifact?: string; commit?: string; branch?: string }>;
      deployments?: Array<{
        environment: string;
        artifactDigest: string;
        sourceCommit?: string;
        deployer?: string;
        approver?: string;
        changeRef?: string;
        claimedOwner?: string;
        result?: string;
        deployedAt?: string;
      }>;
    }>;
  };
}
