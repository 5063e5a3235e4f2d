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
    /** Offline verification of Sigstore bundles and in-toto/SLSA attestations (POST /v1/attestations). */
    signatures?: {
      /** Content of a pinned Sigstore trusted_root.json, e.g. `$file: ./trusted_root.json`. */
      trustedRoot?: string;
      /** Accepted keyless signers: certificate SAN (regular expression) and exact OIDC issuer. */
      identities?: Array<{ subjectAlternativeName: string; issuer: string }>;
      /** Public keys (SPKI PEM) for key-based (cosign --key) signatures. */
      keys?: Array<{ hint?: string; publicKeyPem: string }>;
    };
    /**
     * Overrides of the scheduled jobs' timing, each over the shipped schedule (the scope always
     * stays global: one instance runs each window). Forms as elsewhere in Backstage, e.g.
     * `{ hours: 24 }`, `PT1H`, `{ cron: '0 3 * * *' }`.
     */
    schedules?: {
      /** The daily snapshot of every scored entity (shipped: daily). */
      dailySnapshot?: DevsecopsJobSchedule;
      /** Exception expiry and notifications (shipped: every 15 minutes). */
      exceptionLifecycle?: DevsecopsJobSchedule;
      /** Dropping report bodies past their retention (shipped: daily). */
      reportBodyRetention?: DevsecopsJobSchedule;
    };
    exceptions?: {
      /** Longest an exception may run, in days from its request. Default 90. */
      maxDurationDays?: number;
      /** Days before expiry when the risk owner and entity owners are warned. Default [14, 3]. */
      warnDaysBeforeExpiry?: number[];
    };
    /**
     * Key for the keyed hash (HMAC-SHA256) that identifies leaked secrets without storing them;
     * at least 16 characters, from a secret store or an environment variable
     * (`${DEVSECOPS_SECRET_FINGERPRINT_KEY}`). Required when NODE_ENV=production: the plugin
     * refuses to start without it. Elsewhere, when unset, a random key is generated once and kept
     * in the plugin's database (next to the fingerprints, so development only). Changing it makes
     * every existing fingerprint stop matching (see the README's rotation procedure).
     * @visibility secret
     */
    secretFingerprintKey?: string;
    /**
     * Allows the generated key (kept in the plugin's database) when NODE_ENV=production and
     * `secretFingerprintKey` is unset. Default false; not recommended: a database dump then
     * holds both the fingerprints and their key, so a guessed secret can be confirmed.
     */
    allowGeneratedSecretFingerprintKey?: boolean;
  };
}

/** When a scheduled job runs, in Backstage's forms: `{ hours: 24 }`, `PT1H`, `{ cron: '0 3 * * *' }`. */
interface DevsecopsJobSchedule {
  frequency?: { cron: string } | string | { [unit: string]: number };
  timeout?: string | { [unit: string]: number };
  initialDelay?: string | { [unit: string]: number };
}
