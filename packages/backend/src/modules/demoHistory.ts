import { createHash } from 'node:crypto';

/** The GitHub repository of a demo entity (examples/entities.yaml: `github.com/project-slug: acme/<name>`). */
export const demoSlugOf = (entity: string) => `acme/${entity.replace(/^.*[:/]/, '')}`;

/**
 * Demo only: a plausible history of a few months for the demo organisation, as the calls a CI
 * pipeline, a deploy job and a monitoring system would have made day by day: scans dated when
 * they ran (`scannedAt`), GitHub pulls and deployments with their own times, and each evening the day's
 * snapshot. Everything is generated from a seed, so every start shows the same history, and is
 * marked: reports come from the `demo-history` branch, deployments from the deployer
 * `demo-pipeline`. Repository facts (branch protection, pre-commit, reusable workflows,
 * dependency review, code owners, dependency alerts) come from the GitHub module reading the
 * demo's GitHub API (demoGithubRepositories.ts), never from posted facts.
 */

/**
 * How a service's security moves over the history. A leading service has the standard practices
 * from the start (its pre-commit gitleaks hook stops leaks before they are pushed), reaches the
 * evidence stage early and patches fast: with its team's tabletop exercises it reaches stage 4.
 */
export type Trajectory = 'leading' | 'improving' | 'steady' | 'struggling';

export interface DemoHistoryEntity {
  entity: string;
  trajectory: Trajectory;
  /** Whether it is deployed (images, SBOMs, deployments); libraries are not. */
  deployable: boolean;
  /** Its catalog owner, which the deploy job claims (`claimedOwner`) for the gate's owner match. */
  owner?: string;
}

/** One call to the devsecops API. */
export type DemoCall =
  | { kind: 'report'; entity: string; query: Record<string, string>; body: string }
  /**
   * The GitHub pull of that day: the GitHub module reads the entity's repository (`slug`) as the
   * demo's GitHub API answered at `at` (demoGithub.ts) and posts the facts it observes, as it does
   * for a real organisation. The demo itself never posts a fact.
   */
  | { kind: 'github-pull'; entity: string; slug: string; at: string }
  | { kind: 'deployment'; body: Record<string, string> }
  | { kind: 'runtime-signal'; body: { entityRef: string; detectedAt: string; [field: string]: string | string[] } }
  | { kind: 'snapshot'; body: { entityRef: string; at: string } }
  /** A person's act, done as a demo persona (a user token): a named human attestation. */
  | { kind: 'human-attestation'; as: string; body: HumanAttestationBody }
  /**
   * A person's act in the portal, done after the history (it is recorded when it happens, never
   * backdated): an audit package exported for the entity (`GET /v1/audit-packages`).
   */
  | { kind: 'audit-export'; as: string; query: { entity: string } };

/** A `POST /v1/human-attestations` body, as the demo records them. */
export type HumanAttestationBody =
  | {
      kind: 'control-failure-review';
      scopeRef: string;
      date: string;
      attendees: string[];
      notesUrl: string;
      failures: string[];
    }
  | { kind: 'template-feedback'; scopeRef: string; date: string; template: string; findings: string[]; changeUrl: string };

const DAY = 86_400_000;
const BRANCH = 'demo-history';

const PAULA = 'user:default/paula-payne';
const RITA = 'user:default/risk-owner-rita';
const PAT = 'user:default/platform-pat';
const GUEST = 'user:default/guest';

/** The demo organisation's teams (examples/org.yaml), who attend their control-failure reviews. */
const TEAMS: Record<string, string[]> = {
  'group:default/team-payments': ['paula-payne', 'felix-fraud'],
  'group:default/team-checkout': ['carla-cart', 'oscar-order'],
  'group:default/team-storefront': ['stella-store', 'cody-catalog', 'wendy-web'],
  'group:default/team-identity': ['ian-identity', 'olivia-oauth'],
  'group:default/platform-team': ['platform-pat', 'kai-kubernetes', 'tina-terraform'],
  'group:default/team-data': ['dana-data', 'pete-pipeline'],
  'group:default/security-compliance': ['risk-owner-rita', 'carl-compliance'],
  'group:default/appsec': ['sam-sast', 'theo-threat'],
};

/**
 * Who records a team's control-failure review: only the personas can sign in
 * (`auth.providers.demo.users`), so Paula for her team-payments, Pat for his platform team, and
 * for the other teams Rita, as security/compliance (the demo policy lets her record reviews for
 * any scope).
 */
function reviewerOf(owner: string | undefined): string {
  if (owner === 'group:default/team-payments') return PAULA;
  if (owner === 'group:default/platform-team') return PAT;
  return RITA;
}

/** A review's attendees: the owning team's people and whoever records it. */
function attendeesOf(owner: string | undefined, recorder: string): string[] {
  const team = (owner && TEAMS[owner]) || [];
  return [...new Set([...team.map(name => `user:default/${name}`), recorder])];
}

/** A small deterministic PRNG (mulberry32), seeded per entity, so each start replays the same. */
export function random(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PACKAGES = ['lodash', 'jackson-databind', 'openssl', 'log4j-core', 'urllib3', 'express', 'netty-codec', 'golang.org/x/net', 'spring-web', 'protobuf', 'zlib', 'libxml2'];
const SEVERITIES = ['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW'];
const SAST_RULES = ['sql-injection', 'path-traversal', 'insecure-deserialization', 'ssrf', 'weak-hash', 'xss'];

interface OpenVuln {
  id: string;
  pkg: string;
  severity: string;
}

/** When each practice is adopted, in days before today (see adoption). */
export interface DemoAdoption {
  basics?: number;
  standard?: number;
  evidence?: number;
  patchRate: (daysAgo: number) => number;
  newPerWeek: number;
}

/**
 * The adoption plan of one entity: the same one its history follows (the first draws of the
 * entity's seed), so the demo's GitHub repositories change on the days its history says.
 */
export function demoAdoption(entity: string, trajectory: Trajectory, days: number): DemoAdoption {
  return adoption(trajectory, days, random(entity));
}

/**
 * When each practice is adopted, in days before today; undefined: not during the history. An
 * improving service climbs from stage 0–1 to 2 and, with the audit package security/compliance
 * exports for it today, 3; a steady one holds stage 1–2; a struggling one lets its scans go stale
 * and stays low.
 */
function adoption(trajectory: Trajectory, days: number, rand: () => number): DemoAdoption {
  const jitter = () => Math.floor(rand() * 6);
  switch (trajectory) {
    case 'leading':
      return {
        basics: days,
        standard: days,
        evidence: Math.round(days * 0.6) - jitter(),
        patchRate: () => 0.6,
        newPerWeek: 1.5,
      };
    case 'improving':
      return {
        basics: Math.round(days * 0.85) - jitter(),
        standard: Math.round(days * 0.5) - jitter(),
        evidence: Math.round(days * 0.25) - jitter(),
        patchRate: (d: number) => 0.25 + 0.5 * (1 - d / days),
        newPerWeek: 2,
      };
    case 'steady':
      return {
        basics: days,
        standard: rand() < 0.5 ? days : undefined,
        evidence: undefined,
        patchRate: () => 0.45,
        newPerWeek: 1.5,
      };
    default:
      return {
        basics: Math.round(days * 0.4) - jitter(),
        standard: undefined,
        evidence: undefined,
        patchRate: () => 0.15,
        newPerWeek: 2.5,
      };
  }
}

const at = (now: number, daysAgo: number, hour: number) => {
  const d = new Date(now - daysAgo * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

const digestOf = (entity: string, build: number) =>
  `sha256:${createHash('sha256').update(`${entity}#${build}`).digest('hex')}`;
const commitOf = (entity: string, build: number) =>
  createHash('sha1').update(`${entity}@${build}`).digest('hex').slice(0, 12);

function trivyFs(vulns: OpenVuln[]) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: '.',
    ArtifactType: 'filesystem',
    Results: [
      {
        Target: 'dependencies (demo history)',
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: vulns.map(v => ({
          VulnerabilityID: v.id,
          PkgName: v.pkg,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: v.severity,
          Title: `${v.pkg}: demo vulnerability`,
        })),
      },
    ],
  });
}

function trivyImage(name: string, vulns: OpenVuln[]) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/${name}`,
    ArtifactType: 'container_image',
    Results: [
      {
        Target: `${name} (demo base image)`,
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: vulns.map(v => ({
          VulnerabilityID: v.id,
          PkgName: v.pkg,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: v.severity,
        })),
      },
    ],
  });
}

function sbom(name: string, build: number) {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    serialNumber: `urn:uuid:${createHash('md5').update(`${name}-${build}`).digest('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5')}`,
    metadata: { component: { type: 'container', name } },
    components: PACKAGES.slice(0, 6 + (build % 5)).map(pkg => ({
      type: 'library',
      name: pkg,
      version: `1.${build % 7}.0`,
      purl: `pkg:generic/${pkg}@1.${build % 7}.0`,
    })),
  });
}

function sarif(tool: string, results: Array<{ rule: string; level: string; file: string }>) {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool, rules: [...new Set(results.map(r => r.rule))].map(id => ({ id })) } },
        results: results.map(r => ({
          ruleId: r.rule,
          level: r.level,
          message: { text: `${r.rule} (demo history)` },
          locations: [{ physicalLocation: { artifactLocation: { uri: r.file }, region: { startLine: 10 } } }],
        })),
      },
    ],
  });
}

/** A leaked demo credential: the value is fake and is redacted by the backend anyway. */
function gitleaks(leaks: string[]) {
  return JSON.stringify(
    leaks.map(id => ({
      RuleID: 'generic-api-key',
      Description: 'Generic API Key (demo history)',
      File: `config/${id}.env`,
      StartLine: 3,
      EndLine: 3,
      Commit: commitOf(id, 0),
      Secret: `demo-not-a-secret-${id}`,
      Match: `API_KEY=demo-not-a-secret-${id}`,
    })),
  );
}

/**
 * Every call of the history, oldest first: for each day, each entity's GitHub pull, scans and
 * deployments of that day, then every entity's snapshot of that evening. Once an improving
 * service exports evidence, its team reviews the control failures every two weeks and the
 * platform team feeds its recurring SAST findings into the CI templates: named human attestations
 * made as the personas (`as`, a user token), never posted facts.
 */
export function planDemoHistory(entities: DemoHistoryEntity[], days: number, now = Date.now()): DemoCall[] {
  const calls: DemoCall[] = [];
  const state = entities.map(e => {
    const rand = random(e.entity);
    return {
      ...e,
      rand,
      name: e.entity.replace(/^.*[:/]/, ''),
      plan: adoption(e.trajectory, days, rand),
      scanWeekday: Math.floor(rand() * 7),
      deps: [] as OpenVuln[],
      image: [] as OpenVuln[],
      sast: [] as string[],
      leaks: [] as Array<{ id: string; rotateAfterDays: number; since: number }>,
      nextVuln: 0,
      build: 0,
    };
  });

  for (let daysAgo = days; daysAgo >= 1; daysAgo--) {
    for (const s of state) {
      const { rand, plan } = s;
      const adopted = (when?: number) => when !== undefined && daysAgo <= when;
      // Weekly; a service already scanning when the history starts has a scan on its first day.
      const scanDay = daysAgo % 7 === s.scanWeekday || daysAgo === days;
      // A struggling service's pipeline skips scans now and then: its evidence goes stale.
      const scansRun = adopted(plan.basics) && !(s.trajectory === 'struggling' && rand() < 0.4);
      const newVuln = (): OpenVuln => ({
        id: `CVE-2026-${String(40000 + Math.floor(rand() * 9000) + s.nextVuln++).padStart(5, '0')}`,
        pkg: PACKAGES[Math.floor(rand() * PACKAGES.length)],
        severity: SEVERITIES[Math.floor(rand() * SEVERITIES.length)],
      });

      // The GitHub module reads the repository weekly (the facts' freshness windows are 30–90
      // days): what it sees is what the repository had that day (unprotected before the basics;
      // then branch protection; reusable workflows, dependency review and pre-commit from the
      // standard stage on: demoGithubRepositories.ts).
      if (scanDay) {
        calls.push({ kind: 'github-pull', entity: s.entity, slug: demoSlugOf(s.entity), at: at(now, daysAgo, 5) });
      }
      if (scanDay && adopted(plan.basics)) {
        const observedAt = at(now, daysAgo, 5);
        // From the evidence stage on, the runtime sources say they watch the service (heartbeats;
        // monitoring is never a posted fact).
        if (s.deployable && adopted(plan.evidence)) {
          calls.push({
            kind: 'runtime-signal',
            body: {
              entityRef: s.entity,
              kind: 'heartbeat',
              monitors: ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring'],
              source: 'demo-monitoring',
              detectedAt: observedAt,
            },
          });
        }
      }

      // Every two weeks from the evidence stage on, the owning team reviews its control failures
      // (held that day, in force for 90 days), like its reliability incidents.
      if (plan.evidence !== undefined && adopted(plan.evidence) && (plan.evidence - daysAgo) % 14 === 0) {
        const recorder = reviewerOf(s.owner);
        const date = at(now, daysAgo, 0).slice(0, 10);
        calls.push({
          kind: 'human-attestation',
          as: recorder,
          body: {
            kind: 'control-failure-review',
            scopeRef: s.entity,
            date,
            attendees: attendeesOf(s.owner, recorder),
            notesUrl: `https://wiki.example.com/security/failure-reviews/${s.name}/${date}`,
            failures: [
              ...[...new Set(s.sast)].map(rule => `sast: ${rule}`),
              ...s.leaks.map(leak => `secret-scanning: ${leak.id}`),
              ...s.deps.filter(v => v.severity === 'CRITICAL' || v.severity === 'HIGH').map(v => `dependency-scan: ${v.id} in ${v.pkg}`),
            ],
          },
        });
      }
      // A week after the evidence stage, the platform team feeds the service's recurring SAST
      // findings back into the CI templates (in force for 180 days).
      if (plan.evidence !== undefined && daysAgo === plan.evidence - 7) {
        const date = at(now, daysAgo, 0).slice(0, 10);
        calls.push({
          kind: 'human-attestation',
          as: PAT,
          body: {
            kind: 'template-feedback',
            scopeRef: s.entity,
            date,
            template: 'component:default/ci-templates',
            findings: s.sast.length ? [...new Set(s.sast)] : ['sql-injection'],
            changeUrl: `https://git.example.com/platform/ci-templates/pull/${100 + s.nextVuln}`,
          },
        });
      }

      if (scanDay && scansRun) {
        // The week's new vulnerabilities arrive; some of the open ones were patched.
        const patchRate = plan.patchRate(daysAgo);
        s.deps = s.deps.filter(() => rand() > patchRate);
        const arrivals = Math.floor(plan.newPerWeek + rand() * 2 - 0.5);
        for (let i = 0; i < arrivals; i++) s.deps.push(newVuln());
        const scannedAt = at(now, daysAgo, 6);
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { format: 'trivy', branch: BRANCH, scannedAt },
          body: trivyFs(s.deps),
        });

        // Secrets leak now and then and are rotated after a while (sooner as a team improves).
        s.leaks = s.leaks.filter(l => l.since - daysAgo < l.rotateAfterDays);
        // A leading team's pre-commit gitleaks hook stops leaks before they are pushed.
        if (s.trajectory !== 'leading' && rand() < (s.trajectory === 'improving' ? 0.15 : 0.25)) {
          s.leaks.push({
            id: `${s.name}-${daysAgo}`,
            rotateAfterDays: s.trajectory === 'improving' ? 2 + Math.floor(rand() * 5) : 7 + Math.floor(rand() * 14),
            since: daysAgo,
          });
        }
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { format: 'gitleaks', branch: BRANCH, scannedAt: at(now, daysAgo, 6) },
          body: gitleaks(s.leaks.map(l => l.id)),
        });

        s.sast = s.sast.filter(() => rand() > patchRate);
        if (rand() < 0.6) s.sast.push(SAST_RULES[Math.floor(rand() * SAST_RULES.length)]);
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { control: 'sast', branch: BRANCH, scannedAt: at(now, daysAgo, 7) },
          body: sarif(
            'Semgrep',
            [...new Set(s.sast)].map(rule => ({ rule, level: rule === 'weak-hash' ? 'warning' : 'error', file: `src/${rule}.ts` })),
          ),
        });
      }

      if (scanDay && adopted(plan.standard)) {
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { control: 'iac-lint', branch: BRANCH, scannedAt: at(now, daysAgo, 7) },
          body: sarif('Checkov', rand() < 0.3 ? [{ rule: 'CKV_AWS_20', level: 'warning', file: 'infra/main.tf' }] : []),
        });
      }

      if (scanDay && adopted(plan.standard) && s.deployable) {
        // A new build: its image scanned, its SBOM made; every other week it goes to production.
        s.build++;
        const digest = digestOf(s.entity, s.build);
        const commit = commitOf(s.entity, s.build);
        s.image = s.image.filter(() => rand() > plan.patchRate(daysAgo));
        if (rand() < 0.5) s.image.push(newVuln());
        // Critical image findings block releases; an improving or leading team fixes them before it ships.
        if (s.trajectory !== 'steady' && s.trajectory !== 'struggling' && adopted(plan.evidence)) {
          s.image = s.image.filter(v => v.severity !== 'CRITICAL');
        }
        const scannedAt = at(now, daysAgo, 8);
        // No signatures: a signature is recorded only by verifying a real attestation
        // (POST /v1/attestations), which a generated history cannot have. The demo's production
        // policy therefore leaves artifact_signature out (app-config.yaml).
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { artifact: digest, commit, branch: BRANCH, scannedAt },
          body: trivyImage(`${s.name}:${s.build}`, s.image),
        });
        calls.push({
          kind: 'report',
          entity: s.entity,
          query: { format: 'cyclonedx', artifact: digest, commit, branch: BRANCH, scannedAt: at(now, daysAgo, 9) },
          body: sbom(s.name, s.build),
        });
        if (s.build % 2 === 0 || adopted(plan.evidence)) {
          calls.push({
            kind: 'deployment',
            body: {
              entityRef: s.entity,
              environment: 'production',
              artifactDigest: digest,
              sourceCommit: commit,
              deployer: 'demo-pipeline',
              ...(s.owner ? { claimedOwner: s.owner } : {}),
              ...(adopted(plan.evidence) || rand() < 0.5
                ? { approver: 'user:default/platform-pat', changeRef: `CHG-${1000 + s.build}` }
                : {}),
              deployedAt: at(now, daysAgo, 11),
            },
          });
        }
      }

      // Now and then monitoring raises an alert, contained within hours, remediated within days.
      if (s.deployable && adopted(plan.evidence) && rand() < 0.03) {
        calls.push({
          kind: 'runtime-signal',
          body: {
            entityRef: s.entity,
            kind: rand() < 0.5 ? 'vulnerability-alert' : 'audit-log-alert',
            severity: rand() < 0.3 ? 'high' : 'medium',
            summary: `Demo alert on ${s.name}`,
            source: 'demo-monitoring',
            detectedAt: at(now, daysAgo, 13),
            containedAt: at(now, daysAgo, 16),
            ...(daysAgo > 3 ? { remediatedAt: at(now, daysAgo - 2, 12) } : {}),
          },
        });
      }
    }
    for (const s of state) {
      calls.push({ kind: 'snapshot', body: { entityRef: s.entity, at: at(now, daysAgo, 23) } });
    }
  }
  // Security/compliance exports an audit package for each service at the evidence stage, today:
  // an export is recorded when it happens, so the history before it shows the criterion unmet.
  for (const s of state) {
    if (s.plan.evidence !== undefined) calls.push({ kind: 'audit-export', as: RITA, query: { entity: s.entity } });
  }
  return calls;
}

/** What demo people did through the portal: a request, a decision, an exercise. */
export type DemoPersonCall =
  | { kind: 'exception'; as: string; body: Record<string, unknown>; decide?: { as: string; action: 'approve' | 'reject'; reason: string } }
  | { kind: 'exercise'; as: string; body: Record<string, unknown> };

/**
 * The people side of the demo, done as the personas through the API after the history: exception
 * requests (one awaiting the risk owner, two approved — one expiring within a week — one
 * rejected) and tabletop exercises with findings and follow-ups.
 */
export function planDemoActivity(now = Date.now()): DemoPersonCall[] {
  const inDays = (days: number) => new Date(now + days * DAY).toISOString();
  const dayAgo = (days: number) => new Date(now - days * DAY).toISOString().slice(0, 10);
  return [
    {
      kind: 'exception',
      as: PAULA,
      body: {
        entityRef: 'component:default/payments-api',
        scope: { control: 'container-scan' },
        riskStatement: 'The vulnerable openssl path is not reachable: TLS terminates at the ingress. Base image bump is scheduled for next sprint.',
        riskRating: 'medium',
        compensatingControls: 'WAF rule blocks the exploit pattern; egress restricted to the payment provider',
        riskOwner: 'group:default/security-compliance',
        expiresAt: inDays(6),
      },
      decide: { as: RITA, action: 'approve', reason: 'Accepted until the base image bump; the WAF rule is verified.' },
    },
    {
      kind: 'exception',
      as: PAULA,
      body: {
        entityRef: 'component:default/payments-api',
        scope: { control: 'sast' },
        riskStatement: 'The flagged queries build table names from an allow-list, not from user input.',
        riskRating: 'low',
        riskOwner: RITA,
        expiresAt: inDays(45),
      },
      decide: { as: RITA, action: 'approve', reason: 'Reviewed the allow-list; a false positive in practice.' },
    },
    {
      kind: 'exception',
      as: PAULA,
      body: {
        entityRef: 'component:default/fraud-scoring',
        scope: { control: 'dependency-scan' },
        riskStatement: 'The model runtime pins an old protobuf; upgrading needs the vendor release due next month.',
        riskRating: 'high',
        compensatingControls: 'The scoring service has no inbound internet access',
        riskOwner: RITA,
        expiresAt: inDays(30),
      },
    },
    {
      kind: 'exception',
      as: GUEST,
      body: {
        entityRef: 'component:default/legacy-billing',
        scope: { control: 'secret-scanning' },
        riskStatement: 'The leaked key belongs to a sandbox account that is being decommissioned.',
        riskRating: 'high',
        riskOwner: RITA,
        expiresAt: inDays(60),
      },
      decide: { as: RITA, action: 'reject', reason: 'Rotate the key: sandbox accounts share the production billing role.' },
    },
    {
      kind: 'exercise',
      as: RITA,
      body: {
        scenario: 'leaked-secrets',
        heldOn: dayAgo(40),
        scopeRef: 'group:default/team-payments',
        participants: [PAULA, 'user:default/felix-fraud', RITA],
        findings: [{ title: 'No runbook to rotate the payment provider API key', recurring: true }],
        followUps: [{ action: 'Write and test the key rotation runbook', owner: PAULA, due: dayAgo(10) }],
      },
    },
    {
      kind: 'exercise',
      as: RITA,
      body: {
        scenario: 'compromised-ci-token',
        heldOn: dayAgo(130),
        scopeRef: 'group:default/team-payments',
        participants: [PAULA, 'user:default/pete-pipeline', RITA],
        findings: [{ title: 'CI tokens were long-lived and shared between repositories' }],
        followUps: [{ action: 'Move deploys to OIDC short-lived credentials', owner: 'user:default/pete-pipeline', due: dayAgo(60), done: true }],
      },
    },
    ...(['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'] as const).map((scenario, i) => ({
      kind: 'exercise' as const,
      as: RITA,
      body: {
        scenario,
        heldOn: dayAgo(20 + i * 70),
        scopeRef: 'group:default/team-identity',
        participants: ['user:default/ian-identity', 'user:default/olivia-oauth', RITA],
        findings:
          scenario === 'cloud-account-abuse'
            ? [{ title: 'No runbook to rotate the payment provider API key' }, { title: 'Break-glass role not monitored' }]
            : [{ title: `${scenario.replace(/-/g, ' ')}: detection took over an hour` }],
        followUps: [{ action: `Automate the ${scenario.replace(/-/g, ' ')} alert`, owner: 'user:default/ian-identity', due: inDays(14 + i * 7).slice(0, 10) }],
      },
    })),
  ];
}
