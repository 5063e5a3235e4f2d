import { GithubAlert, GithubRepoSnapshot } from './GithubPullProvider';
import { ContentsFactOptions, contentsFacts } from './repositoryContents';

/** One control fact as accepted by `POST /v1/facts`. */
export interface ControlFact {
  fact: string;
  value: unknown;
  source: string;
  observedAt: string;
}

/** SARIF driver names: stable per report kind so that a new upload replaces the previous one. */
export const CODE_SCANNING_TOOL = 'GitHub code scanning';
export const DEPENDABOT_TOOL = 'GitHub Dependabot dependency alerts';
export const SECRET_SCANNING_TOOL = 'GitHub secret scanning';

/**
 * The pipeline control each kind of upload evidences, sent as `control=` with the upload: every
 * alert lands there whatever the SARIF normaliser makes of the driver name.
 */
export const UPLOAD_CONTROLS = {
  'code-scanning': 'sast',
  dependabot: 'dependency-scan',
  'secret-scanning': 'secret-scanning',
} as const;

/** One SARIF upload of a snapshot and the control it evidences. */
export interface GithubUpload {
  kind: keyof typeof UPLOAD_CONTROLS;
  control: string;
  body: Sarif;
}

const SOURCE = 'github';

const RULE_TYPES_THAT_PROTECT = new Set([
  'pull_request',
  'required_status_checks',
  'non_fast_forward',
  'deletion',
  'update',
  'required_signatures',
  'required_linear_history',
  'required_deployments',
  'code_scanning',
  'merge_queue',
]);

/** Control facts of one repository snapshot. Unknown facts (403 without permission) are left out. */
export function toFacts(
  snapshot: GithubRepoSnapshot,
  options: ContentsFactOptions = {},
): ControlFact[] {
  const observedAt = snapshot.observedAt.toISOString();
  const facts: ControlFact[] = [];
  const add = (fact: string, value: unknown) =>
    facts.push({ fact, value, source: SOURCE, observedAt });

  const classic = snapshot.branchProtection;
  const rules = (snapshot.branchRules ?? []).filter(r =>
    RULE_TYPES_THAT_PROTECT.has(r.type),
  );
  let requiredChecks: string[] | undefined;
  let requireCodeOwnerReviews: boolean | undefined;
  if (classic !== undefined || snapshot.branchRules !== undefined) {
    const reviewCounts: number[] = [];
    const checks = new Set<string>();
    let codeOwnerReviews = false;
    if (classic) {
      const reviews = classic.required_pull_request_reviews;
      if (reviews)
        reviewCounts.push(Number(reviews.required_approving_review_count ?? 0));
      if (reviews?.require_code_owner_reviews === true) codeOwnerReviews = true;
      const status = classic.required_status_checks;
      for (const context of status?.contexts ?? []) checks.add(String(context));
      for (const check of status?.checks ?? [])
        checks.add(String(check.context));
    }
    for (const rule of rules) {
      if (rule.type === 'pull_request') {
        reviewCounts.push(
          Number(rule.parameters?.required_approving_review_count ?? 0),
        );
        if (rule.parameters?.require_code_owner_review === true)
          codeOwnerReviews = true;
      }
      if (rule.type === 'required_status_checks') {
        for (const check of rule.parameters?.required_status_checks ?? []) {
          checks.add(String(check.context));
        }
      }
    }
    add('branch_protection.enabled', Boolean(classic) || rules.length > 0);
    add('branch_protection.branch', snapshot.defaultBranch);
    add(
      'branch_protection.required_reviews',
      Math.max(0, ...reviewCounts.filter(Number.isFinite)),
    );
    add('branch_protection.required_status_checks', checks.size);
    add('branch_protection.required_status_check_names', [...checks].sort());
    // Classic protection unknown (403) leaves the requirements unknown unless a ruleset says so.
    if (classic !== undefined || codeOwnerReviews) {
      requireCodeOwnerReviews = codeOwnerReviews;
      add('branch_protection.require_code_owner_reviews', codeOwnerReviews);
    }
    if (classic !== undefined || checks.size > 0) requiredChecks = [...checks];
  }

  const sa = snapshot.securityAndAnalysis;
  add(
    'secret_scanning.enabled',
    snapshot.secretScanningAlerts !== undefined ||
      sa?.secret_scanning?.status === 'enabled',
  );
  add(
    'dependency_alerts.enabled',
    snapshot.dependabotAlerts !== undefined ||
      sa?.dependabot_security_updates?.status === 'enabled',
  );
  add('code_scanning.enabled', snapshot.codeScanningAlerts !== undefined);
  if (snapshot.contents) {
    contentsFacts(
      snapshot.contents,
      requiredChecks,
      requireCodeOwnerReviews,
      options,
      add,
    );
  }
  return facts;
}

export type Sarif = {
  $schema: string;
  version: '2.1.0';
  runs: Array<Record<string, unknown>>;
};

const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  moderate: '5.5',
  low: '2.0',
};

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value !== 'None'
    ? value
    : undefined;
const obj = (value: unknown): Record<string, any> =>
  value && typeof value === 'object' ? (value as Record<string, any>) : {};
const isOpen = (alert: GithubAlert) => alert.state === 'open';

function sarif(
  driver: string,
  rules: Map<string, object>,
  results: object[],
  slug: string,
): Sarif {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: driver,
            informationUri: 'https://docs.github.com/en/code-security',
            rules: [...rules.values()],
          },
        },
        versionControlProvenance: [
          { repositoryUri: `https://github.com/${slug}` },
        ],
        results,
      },
    ],
  };
}

function location(
  path: string | undefined,
  startLine?: unknown,
  endLine?: unknown,
) {
  if (!path) return [];
  const region: Record<string, number> = {};
  if (typeof startLine === 'number') region.startLine = startLine;
  if (typeof endLine === 'number') region.endLine = endLine;
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: path },
        ...(Object.keys(region).length ? { region } : {}),
      },
    },
  ];
}

const CODE_SCANNING_LEVEL: Record<string, string> = {
  error: 'error',
  warning: 'warning',
  note: 'note',
};
const levelOfCodeScanning = (severity: unknown) =>
  CODE_SCANNING_LEVEL[String(severity)] ?? 'warning';

const DEPENDABOT_LEVEL: Record<string, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  moderate: 'warning',
  low: 'note',
};

/** Open code scanning alerts as one SARIF run (driver {@link CODE_SCANNING_TOOL}; the original tool in properties). */
export function codeScanningToSarif(
  slug: string,
  alerts: GithubAlert[],
): Sarif {
  const rules = new Map<string, object>();
  const results = alerts.filter(isOpen).map(alert => {
    const rule = obj(alert.rule);
    const tool = obj(alert.tool);
    const instance = obj(alert.most_recent_instance);
    const loc = obj(instance.location);
    const ruleId = str(rule.id) ?? `github-code-scanning-${alert.number}`;
    const securitySeverity =
      SECURITY_SEVERITY[String(rule.security_severity_level)];
    if (!rules.has(ruleId)) {
      rules.set(ruleId, {
        id: ruleId,
        name: str(rule.name),
        shortDescription: str(rule.description)
          ? { text: rule.description }
          : undefined,
        properties: {
          tags: Array.isArray(rule.tags) ? rule.tags : [],
          ...(securitySeverity
            ? { 'security-severity': securitySeverity }
            : {}),
        },
      });
    }
    return {
      ruleId,
      level: levelOfCodeScanning(rule.severity),
      message: {
        text:
          str(obj(instance.message).text) ?? str(rule.description) ?? ruleId,
      },
      locations: location(str(loc.path), loc.start_line, loc.end_line),
      fingerprints: { 'github/alert': `${slug}#code-scanning/${alert.number}` },
      properties: {
        ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
        githubAlertUrl: str(alert.html_url),
        tool: str(tool.name),
        toolVersion: str(tool.version),
        commit: str(instance.commit_sha),
      },
    };
  });
  return sarif(CODE_SCANNING_TOOL, rules, results, slug);
}

/** Open Dependabot alerts as one SARIF run with advisory ids (GHSA/CVE) as rule ids. */
export function dependabotToSarif(slug: string, alerts: GithubAlert[]): Sarif {
  const rules = new Map<string, object>();
  const results = alerts.filter(isOpen).map(alert => {
    const advisory = obj(alert.security_advisory);
    const vulnerability = obj(alert.security_vulnerability);
    const dependency = obj(alert.dependency);
    const pkg = obj(dependency.package ?? vulnerability.package);
    const ruleId =
      str(advisory.ghsa_id) ??
      str(advisory.cve_id) ??
      `github-dependabot-${alert.number}`;
    const severity = String(
      vulnerability.severity ?? advisory.severity ?? '',
    ).toLowerCase();
    const score = Number(obj(advisory.cvss).score);
    const securitySeverity =
      Number.isFinite(score) && score > 0
        ? score.toFixed(1)
        : SECURITY_SEVERITY[severity];
    const fixed = str(obj(vulnerability.first_patched_version).identifier);
    if (!rules.has(ruleId)) {
      rules.set(ruleId, {
        id: ruleId,
        shortDescription: str(advisory.summary)
          ? { text: advisory.summary }
          : undefined,
        helpUri: str(advisory.ghsa_id)
          ? `https://github.com/advisories/${advisory.ghsa_id}`
          : undefined,
        properties: {
          tags: ['security', 'vulnerability', 'dependency'],
          ...(securitySeverity
            ? { 'security-severity': securitySeverity }
            : {}),
          cve: str(advisory.cve_id),
        },
      });
    }
    const text = [
      `${str(advisory.summary) ?? ruleId}`,
      `Package: ${str(pkg.name) ?? 'unknown'}`,
      `Ecosystem: ${str(pkg.ecosystem) ?? 'unknown'}`,
      `Vulnerable versions: ${
        str(vulnerability.vulnerable_version_range) ?? 'unknown'
      }`,
      `Fixed Version: ${fixed ?? 'none'}`,
    ].join('\n');
    return {
      ruleId,
      level: DEPENDABOT_LEVEL[severity] ?? 'warning',
      message: { text },
      locations: location(str(dependency.manifest_path)),
      fingerprints: { 'github/alert': `${slug}#dependabot/${alert.number}` },
      properties: {
        ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
        githubAlertUrl: str(alert.html_url),
        package: str(pkg.name),
        ecosystem: str(pkg.ecosystem),
        fixedVersion: fixed,
        scope: str(dependency.scope),
      },
    };
  });
  return sarif(DEPENDABOT_TOOL, rules, results, slug);
}

/**
 * Open secret scanning alerts as one SARIF run (driver {@link SECRET_SCANNING_TOOL}). Built from
 * an allow-list of fields: the `secret` value (present when `hide_secret` was not honoured) and
 * anything else that could carry it are never copied.
 */
export function secretScanningToSarif(
  slug: string,
  alerts: GithubAlert[],
): Sarif {
  const rules = new Map<string, object>();
  const results = alerts.filter(isOpen).map(alert => {
    const ruleId = str(alert.secret_type) ?? 'github-secret';
    const first = obj(alert.first_location_detected);
    if (!rules.has(ruleId)) {
      rules.set(ruleId, {
        id: ruleId,
        name: str(alert.secret_type_display_name),
        properties: { tags: ['security', 'secret'] },
      });
    }
    return {
      ruleId,
      level: 'error',
      message: {
        text: `${
          str(alert.secret_type_display_name) ?? ruleId
        } detected by GitHub secret scanning`,
      },
      locations: location(str(first.path), first.start_line, first.end_line),
      fingerprints: {
        'github/alert': `${slug}#secret-scanning/${alert.number}`,
      },
      properties: {
        githubAlertUrl: str(alert.html_url),
        validity: str(alert.validity),
        publiclyLeaked: alert.publicly_leaked === true,
        pushProtectionBypassed: alert.push_protection_bypassed === true,
        provider: str(alert.provider),
        commit: str(first.commit_sha),
      },
    };
  });
  return sarif(SECRET_SCANNING_TOOL, rules, results, slug);
}

/** The SARIF uploads of a snapshot: one per feature that is on (an empty run resolves old findings). */
export function toReports(snapshot: GithubRepoSnapshot): GithubUpload[] {
  const reports: GithubUpload[] = [];
  const add = (kind: GithubUpload['kind'], body: Sarif) =>
    reports.push({ kind, control: UPLOAD_CONTROLS[kind], body });
  if (snapshot.codeScanningAlerts) {
    add(
      'code-scanning',
      codeScanningToSarif(snapshot.slug, snapshot.codeScanningAlerts),
    );
  }
  if (snapshot.dependabotAlerts) {
    add('dependabot', dependabotToSarif(snapshot.slug, snapshot.dependabotAlerts));
  }
  if (snapshot.secretScanningAlerts) {
    add(
      'secret-scanning',
      secretScanningToSarif(snapshot.slug, snapshot.secretScanningAlerts),
    );
  }
  return reports;
}
