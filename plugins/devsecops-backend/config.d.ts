export interface Config {
  /** Configuration of the DevSecOps scorecard backend plugin. */
  devsecops?: {};
}
