export interface Config {
  devsecops?: {
    /**
     * Shown at the top of every DevSecOps view when set, e.g. to say the portal holds demo data.
     * @visibility frontend
     */
    demoNotice?: string;
  };
}
