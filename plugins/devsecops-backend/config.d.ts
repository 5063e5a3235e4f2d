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
      /**
       * Storing each scorecard that follows a time-based change (an exception expiring, evidence
       * leaving a freshness window, a due date) up to 10 minutes ahead of it (shipped: every minute).
       */
      scorecardRefresh?: DevsecopsJobSchedule;
      /** Exception expiry and notifications (shipped: every 15 minutes). */
      exceptionLifecycle?: DevsecopsJobSchedule;
      /** Dropping report bodies past their retention (shipped: daily). */
      reportBodyRetention?: DevsecopsJobSchedule;
      /**
       * Fetching the KEV and EPSS feeds from `exploitability.feeds` URLs (shipped: daily; only
       * scheduled when a URL is configured).
       */
      exploitabilityFeeds?: DevsecopsJobSchedule;
      /**
       * The weekly digest to each team owning services and the org digest to
       * `responsibility.platformTeam` and `securityOwner` (shipped: `{ cron: '0 8 * * 1' }`,
       * Mondays 08:00 UTC; each sent once per recipient and week).
       */
      weeklyDigest?: DevsecopsJobSchedule;
    };
    exceptions?: {
      /** Longest an exception may run, in days from its request. Default 90. */
      maxDurationDays?: number;
      /** Days before expiry when the risk owner and entity owners are warned. Default [14, 3]. */
      warnDaysBeforeExpiry?: number[];
      /**
       * Who may be named risk owner of an exception: user or group refs (kind defaults to group)
       * per risk rating; a user is eligible when listed or a member of a listed group. A request
       * naming anyone else gets 400 naming the eligible owners; the first listed eligible owner is
       * the dialog's default. A rating without a list accepts any catalog user or group. The
       * requester, the requester's teams and the entity's owning team (and their members) are
       * never eligible unless allowed below.
       */
      riskOwners?: {
        critical?: string[];
        high?: string[];
        medium?: string[];
        low?: string[];
        /** Per control id: lists that replace the rating's list for that control. */
        controls?: {
          [controlId: string]: { critical?: string[]; high?: string[]; medium?: string[]; low?: string[] };
        };
        /** The entity's owning team (and its members) may be named. Default false. */
        allowOwningTeam?: boolean;
        /** The requester's own teams (and their members) may be named. Default false. */
        allowRequesterTeams?: boolean;
      };
    };
    /** Control-failure reviews and recurring findings (the Stage 3 and Stage 4 criteria people act on). */
    reviews?: {
      controlFailures?: {
        /**
         * Days `GET /v1/control-failure-reviews/pending` looks back for a scope never reviewed
         * (1–730). Default 90.
         */
        windowDays?: number;
      };
      recurringFindings?: {
        /**
         * In how many services a rule or vulnerability must be open to recur
         * (`GET /v1/findings/recurring` without `minServices`; 2–1000). Default 3.
         */
        minServices?: number;
      };
    };
    /** Named human attestations (`POST /v1/human-attestations`). */
    humanAttestations?: {
      /**
       * How long an attestation of each kind counts, in days from the day it was held (the
       * longest `expiresAt` a recorder may give). Defaults: control-failure-review 90,
       * template-feedback 180, threat-model-review 365, ci-log-redaction 180.
       */
      validityDays?: {
        'control-failure-review'?: number;
        'template-feedback'?: number;
        'threat-model-review'?: number;
        'ci-log-redaction'?: number;
      };
    };
    /**
     * Campaigns (`/v1/campaigns`): a goal over a scope of services with a target date. Created
     * through the API by the platform and security owners (`devsecops.campaign.manage`), or
     * declared here (campaigns as code: read-only through the API).
     */
    campaigns?: {
      /**
       * Days before the target date on which the owning teams of unfinished services are reminded
       * (Backstage notification, topic devsecops-campaign-reminder), for campaigns that name none.
       * Default [14, 7, 1].
       */
      reminderDaysBefore?: number[];
      /** Campaigns as code. */
      declared?: Array<{
        /** Lower-case letters, digits and dashes; the campaign's id is a stable UUID derived from it. */
        key: string;
        title: string;
        description?: string;
        /** `{ type: stage, stage: 2 }` or `{ type: controls, controls: [dependency-scan, sast] }`. */
        goal:
          | { type: 'stage'; stage: number }
          | { type: 'controls'; controls: string[] };
        /** The roll-up filters (one of group, system, domain; lifecycle) and a catalog tag. */
        scope?: {
          group?: string;
          system?: string;
          domain?: string;
          lifecycle?: string;
          tag?: string;
        };
        /** YYYY-MM-DD */
        startDate: string;
        /** YYYY-MM-DD */
        targetDate: string;
        /** The group that runs it, e.g. group:default/platform-team. */
        ownerRef: string;
        reminderDaysBefore?: number[];
      }>;
    };
    /** Defaults of the plugin's permission rules (see the README's Permissions section). */
    permissions?: {
      /**
       * Whether members of groups below an entity's owning group count as its owners for the
       * IS_ENTITY_OWNER rule when a policy's condition does not pass `transitive`. Default false.
       */
      transitiveOwnership?: boolean;
    };
    /**
     * How the plugin bounds its own waits on the database. The pool and driver waits of every
     * other query are Backstage's `backend.database` settings (README, "Database timeouts").
     */
    database?: {
      /**
       * Milliseconds `/health` waits for the database, connection acquisition included, before
       * answering 503 with `Retry-After`. Default 3000; 100 to 60000.
       */
      healthCheckTimeoutMs?: number;
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
    /**
     * How many days an open finding of each severity may stay open before it counts as past its
     * SLA (a stage 1 criterion of the maturity path). Configuring it at all meets the
     * "severity policy defined" criterion. Defaults: critical 7, high 30, medium 90, low 180,
     * info 365.
     */
    severityPolicy?: {
      /**
       * SLA days by the entity's `spec.lifecycle` (e.g. `experimental: { critical: 30 }`,
       * `production: { critical: 3 }`), per severity, over `slaDays`.
       */
      byLifecycle?: {
        [lifecycle: string]: { critical?: number; high?: number; medium?: number; low?: number; info?: number };
      };
      /**
       * SLA days by the entity's `devsecops.io/tier` annotation (e.g. `critical: { critical: 1, high: 7 }`),
       * per severity, over `byLifecycle` and `slaDays`. Findings show the due date, and past-SLA counts from it.
       */
      byTier?: {
        [tier: string]: { critical?: number; high?: number; medium?: number; low?: number; info?: number };
      };
      slaDays?: {
        /** Default 7. */
        critical?: number;
        /** Default 30. */
        high?: number;
        /** Default 90. */
        medium?: number;
        /** Default 180. */
        low?: number;
        /** Default 365. */
        info?: number;
      };
    };
    /**
     * Exploitability (issue 20). By default severity alone decides (`failOn: severity`, the
     * operating model's shape). With `failOn: exploitable`, the findings controls and the gate
     * requirement listed in `appliesTo` count a finding at their severity only when it is
     * exploitable: listed in CISA KEV or with an EPSS score at or above `epssThreshold` (imported
     * feeds first, else what the scanner reported). Reasons name KEV / EPSS.
     */
    /**
     * VEX across tools (issue 20): statements of OpenVEX and standalone CycloneDX VEX uploads
     * apply to the findings of every scanner.
     */
    vex?: {
      /**
       * Days a `not_affected` statement suppresses after it was made (its timestamp, never later
       * than its upload); restate it in a newer document to keep it. 1–3650, default 90.
       */
      maxAgeDays?: number;
    };
    exploitability?: {
      /** `severity` (default) or `exploitable`. */
      failOn?: 'severity' | 'exploitable';
      /** EPSS probability (0..1) from which a finding is exploitable. Default 0.1. */
      epssThreshold?: number;
      /**
       * Findings controls and/or `container_critical_vulns` (the release gate requirement) the
       * policy applies to. Default [dependency-scan, container-scan, container_critical_vulns].
       */
      appliesTo?: string[];
      /**
       * Where the scheduled job fetches the feeds when the deployment is online (absent: feeds
       * arrive only by upload, `POST /v1/feeds/kev|epss` or `devsecops feeds import`).
       */
      feeds?: {
        /** URL of CISA's known_exploited_vulnerabilities.json. */
        kevUrl?: string;
        /** URL of FIRST's EPSS CSV (gzip or plain), e.g. epss_scores-current.csv.gz. */
        epssUrl?: string;
        /** Largest feed accepted, packed or unpacked, in bytes. Default 32 MiB. */
        maxBytes?: number;
        /** Bound on one fetch, in seconds. Default 120. */
        fetchTimeoutSeconds?: number;
      };
    };
    /** Targets of the metrics shown on scorecards and roll-ups. */
    metricTargets?: {
      /** Mean days from a vulnerability finding's first sighting to its fix. Default 30. */
      meanTimeToPatchDays?: number;
      /** Mean days from a leaked secret's first sighting to its rotation. Default 2. */
      meanTimeToRotateDays?: number;
      /** Mean age of active exceptions. Default 90. */
      meanExceptionAgeDays?: number;
      /** The window the metrics are computed over, in days. Default 180. */
      windowDays?: number;
    };
    /**
     * Changes to the shipped control catalogue, by control id (lowercase letters, digits and
     * dashes): change a shipped control, switch it off (`enabled: false`) or add one (a new
     * control needs `stage`, `title`, `freshnessDays` and either `fact` or `failOnSeverity`).
     */
    controls?: { [controlId: string]: DevsecopsControlOverride };
    /**
     * Release gate policies by name (lowercase letters, digits and `_`), in the operating model's
     * shape. The shipped `production_release` (environment production) requires
     * branch_protection main, artifact_signature verified, sbom generated, secrets_scan passed,
     * container_critical_vulns none_or_approved_exception and deployment_owner
     * service_catalog_match; a policy of the same name replaces it, `enabled: false` switches it
     * off. One policy per environment.
     */
    policies?: { [policyName: string]: DevsecopsReleasePolicy };
    scorecard?: {
      /**
       * The catalog kinds the scorecard counts: only entities of these kinds get a stored summary,
       * a daily snapshot and a place in roll-ups (org, group, system, domain and their history).
       * Other evidence kinds (resource, system, api) are still evaluated on read
       * (GET /v1/scorecards) and by the gate, but nothing of theirs is stored. Default [Component].
       */
      entityKinds?: string[];
    };
    /** The maturity path; replaces the shipped stages 1–4 as a whole when set. */
    maturity?: {
      stages: Array<{
        /** Stage number, 1–10. */
        stage: number;
        title: string;
        criteria: Array<{
          id: string;
          title: string;
          rule: DevsecopsCriterionRule;
          /** The responsibility model's capability it belongs to (as for a control). */
          capability?:
            | 'threat-modeling'
            | 'ci-cd-controls'
            | 'dependency-security'
            | 'cloud-iac-policy'
            | 'incident-response'
            | 'compliance-evidence';
        }>;
      }>;
    };
    /**
     * The responsibility model's roles beyond the product team (each entity's catalog owner):
     * catalog group refs (kind defaults to group). Every control and criterion result names them
     * as who provides and who decides; unset, results name the owner only.
     */
    responsibility?: {
      /** The platform team: provides reusable workflows, runners, bots, policy bundles. */
      platformTeam?: string;
      /** The security/compliance owner: defines required controls and severity policy, decides risk. */
      securityOwner?: string;
    };
    /**
     * The framework mapping shipped in audit packages, over the shipped map (NIST SSDF and SOC 2
     * for the built-in controls): control id → framework name → the framework's ids, e.g.
     * `sast: { 'ISO 27001': ['A.8.28'] }`.
     */
    controlMap?: { [controlId: string]: { [framework: string]: string[] } };
    /**
     * Which CI identities write evidence for which entities (POST /v1/reports, /v1/deployments,
     * /v1/facts, /v1/attestations, /v1/runtime-signals, /v1/gate/decisions,
     * /v1/scorecards/snapshots); a write for any other entity is refused with 403. The tokens
     * themselves are verified by `backend.auth.externalAccess` (`type: jwks` for OIDC, `type:
     * static`). Plugins' own tokens (`plugin:<id>`) and static subjects not listed here write for
     * every entity (org-wide: one leaked token can upload clean scans for all of them). An OIDC
     * subject in a CI provider's format (`repo:…`, `project_path:…`) whose subjectPrefix is not
     * listed writes nothing.
     */
    ciIdentities?: {
      /** OIDC issuers (e.g. GitHub Actions), bound per token to the repository of its `sub` claim. */
      oidc?: Array<{
        /** The `options.subjectPrefix` of the issuer's `backend.auth.externalAccess` jwks entry. */
        subjectPrefix: string;
        /**
         * How `sub` names the repository: `github` (`repo:<owner>/<repo>:ref:<ref>`,
         * `…:environment:<name>`, `…:pull_request`, or a customised template; default) or `gitlab`
         * (`project_path:<group>/<project>:ref_type:<branch|tag>:ref:<name>`).
         */
        subjectFormat?: 'github' | 'gitlab';
        /**
         * The entity annotation that must name the token's repository. Default
         * `github.com/project-slug` (github) or `gitlab.com/project-slug` (gitlab).
         */
        annotation?: string;
        /** Only tokens of these refs write, e.g. `[refs/heads/main]` (the ref must be in `sub`). */
        refs?: string[];
        /** Only tokens of these deployment environments write (the environment must be in `sub`). */
        environments?: string[];
        /** Whether pull-request workflows write evidence. Default false. */
        allowPullRequests?: boolean;
      }>;
      /** Static tokens restricted to entities or repositories (at least one list each). */
      static?: Array<{
        /** The principal subject: the `options.subject` of the externalAccess static entry. */
        subject: string;
        /** Full entity refs, e.g. `component:default/payments-api`. */
        entities?: string[];
        /** Repositories `org/repo`, matched against the entity's `github.com/project-slug`. */
        repositories?: string[];
      }>;
    };
  };
}

/**
 * A change to one control, or a new control.
 * @propertyNames {"enum": ["enabled", "title", "stage", "freshnessDays", "appliesToTypes", "failOnSeverity", "fact", "equals", "atLeast"]}
 */
interface DevsecopsControlOverride {
  /** `false` removes the control (shipped maturity stages that use it must be replaced first). */
  enabled?: boolean;
  title?: string;
  /** The pipeline stage the control belongs to. */
  stage?: 'commit' | 'pull-request' | 'build' | 'deploy' | 'runtime';
  /** Days after which its evidence is stale. */
  freshnessDays?: number;
  /** Entity `spec.type`s it applies to (default: all). */
  appliesToTypes?: string[];
  /** Decided by findings: fails on a finding at or above this severity. */
  failOnSeverity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** Decided by a control fact, e.g. `branch_protection.enabled`. */
  fact?: string;
  /** The fact's required value. */
  equals?: string | number | boolean;
  /** The fact's minimum value. */
  atLeast?: number;
  /**
   * The responsibility model's capability it belongs to, so its results name who acts (the
   * entity's owner), provides and decides (devsecops.responsibility).
   */
  capability?:
    | 'threat-modeling'
    | 'ci-cd-controls'
    | 'dependency-security'
    | 'cloud-iac-policy'
    | 'incident-response'
    | 'compliance-evidence';
}

/**
 * A release gate policy.
 * @propertyNames {"enum": ["enabled", "environment", "requires"]}
 */
interface DevsecopsReleasePolicy {
  /** `false` switches off a shipped policy. */
  enabled?: boolean;
  /** The environment it judges; default the policy name without `_release`. */
  environment?: string;
  /** Required unless `enabled: false`. */
  requires?: DevsecopsGateRequirement[];
}

/** One requirement of a release policy. */
type DevsecopsGateRequirement =
  | { branch_protection: string }
  | { artifact_signature: 'verified' }
  | { sbom: 'generated' }
  | { secrets_scan: 'passed' }
  | { container_critical_vulns: 'none' | 'none_or_approved_exception' }
  | { deployment_owner: 'service_catalog_match' };

/** When a maturity criterion holds. */
type DevsecopsCriterionRule =
  | {
      type: 'controls';
      controls: string[];
      states: Array<'passing' | 'failing' | 'excepted' | 'stale' | 'not_reported'>;
    }
  | {
      type: 'fact';
      fact: string;
      equals?: string | number | boolean;
      atLeast?: number;
      atMost?: number;
      withinDays?: number;
    }
  | { type: 'owner' }
  | { type: 'severity-policy' }
  | { type: 'exception-records' }
  | { type: 'traceable-deployment'; environment: string }
  | { type: 'metrics' }
  | {
      type: 'exercise';
      scenario: 'leaked-secrets' | 'compromised-ci-token' | 'dependency-compromise' | 'cloud-account-abuse';
      withinDays?: number;
    }
  | {
      /** A named human attestation of the kind in force (unexpired) and held within the window. */
      type: 'human-attestation';
      kind: 'control-failure-review' | 'template-feedback' | 'threat-model-review' | 'ci-log-redaction';
      withinDays?: number;
    }
  | { type: 'all'; rules: DevsecopsCriterionRule[] }
  | { type: 'any'; rules: DevsecopsCriterionRule[] };

/** When a scheduled job runs, in Backstage's forms: `{ hours: 24 }`, `PT1H`, `{ cron: '0 3 * * *' }`. */
interface DevsecopsJobSchedule {
  frequency?: { cron: string } | string | { [unit: string]: number };
  timeout?: string | { [unit: string]: number };
  initialDelay?: string | { [unit: string]: number };
}
