export interface Config {
  /** Configuration of the DevSecOps scorecard backend plugin. */
  devsecops?: {
    ingest?: {
      /**
       * Largest report body accepted, in bytes, after decompression. Bigger uploads get 413.
       * Default 52428800 (50 MiB).
       */
      maxReportBytes?: number;
    };
    evidence?: {
      /**
       * Days the original (redacted) report bodies are kept; afterwards only their sha256 remains.
       * Default 400.
       */
      bodyRetentionDays?: number;
    };
    exceptions?: {
      /** Longest an exception may run, in days from its request. Default 90. */
      maxDurationDays?: number;
      /** Days before expiry when the risk owner and entity owners are warned. Default [14, 3]. */
      warnDaysBeforeExpiry?: number[];
    };
    /**
     * Key for the keyed hash (HMAC-SHA256) that identifies leaked secrets without storing them.
     * When unset, a random key is generated once and kept in the plugin's database.
     * @visibility secret
     */
    secretFingerprintKey?: string;
  };
}
