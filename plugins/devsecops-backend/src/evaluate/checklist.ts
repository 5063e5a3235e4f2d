import {
  CHECKLIST_ITEMS,
  ChecklistItemId,
  ChecklistItemResult,
  ChecklistSource,
  ChecklistState,
  ControlResult,
  EntityScorecard,
  HumanAttestation,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { describe } from './humanAttestationRules';
import { daysBetween } from './time';
import { EntityEvidence } from './types';

/** An OpenSSF Scorecard result older than this counts as unmeasured: the repository moved on. */
export const SCORECARD_RESULT_DAYS = 30;

/** A Scorecard check scoring at least this (of 10) meets its checklist item, as in the normaliser. */
const PASSING_SCORE = 8;

const SCORECARD_HOW = 'run OpenSSF Scorecard in CI (`scorecard --format json > results.json`) and upload it (`devsecops upload results.json`)';
const GITHUB_HOW = 'turn on the GitHub provider (`devsecops.github`)';

type Judgement = Omit<ChecklistItemResult, 'id' | 'title'>;

interface Check {
  check: string;
  score: number;
  reason?: string;
  ageDays: number;
  fact: string;
}

/**
 * The seed's DevSecOps checklist for one entity, from the evidence the scorecard already read
 * and its evaluated controls and criteria. Pure: every item says where its state comes from
 * (collected evidence, a person's attestation, what the portal enforces) or that nothing the
 * portal reads measures it yet, and how to make it measured.
 */
export function evaluateChecklist(evidence: EntityEvidence, card: EntityScorecard, now: Date): ChecklistItemResult[] {
  const control = (id: string) => card.controls.find(c => c.controlId === id);
  const fact = (name: string) => evidence.facts.find(f => f.fact === name);
  const scorecardCheck = (check: string): Check | undefined => {
    const name = `openssf.${check}.result`;
    const found = fact(name);
    const value = found?.value as { score?: unknown; reason?: unknown } | undefined;
    if (!found || typeof value?.score !== 'number') return undefined;
    return {
      check,
      score: value.score,
      reason: typeof value.reason === 'string' ? value.reason : undefined,
      ageDays: daysBetween(found.observedAt, now),
      fact: name,
    };
  };

  const judge: Record<ChecklistItemId, () => Judgement> = {
    'protected-branches': () => {
      const reviews = fact('branch_protection.required_reviews');
      const checks = fact('branch_protection.required_status_checks');
      if (reviews && checks) {
        const ok = num(reviews.value) >= 1 && num(checks.value) >= 1;
        return collected(
          ok,
          `${num(reviews.value)} required review(s) and ${num(checks.value)} required status check(s) on the protected branch (observed ${day(reviews.observedAt)})`,
          ['branch_protection.required_reviews', 'branch_protection.required_status_checks'],
        );
      }
      const branchProtection = scorecardCheck('branch-protection');
      if (reviews && !branchProtection) {
        return notMeasured(
          `${num(reviews.value)} required review(s) observed; required status checks not observed`,
          `${GITHUB_HOW} (it reads the required status checks), or ${SCORECARD_HOW}`,
        );
      }
      return fromScorecard(branchProtection, 'Branch-Protection', `${GITHUB_HOW}, or ${SCORECARD_HOW}`);
    },
    'ci-log-redaction': () => {
      // No collector reads what CI logs print: a person who checked it attests (the platform team,
      // which provides the workflows and runners), and the check lapses at its expiry.
      const check = inForce('ci-log-redaction');
      if (!check) {
        return notMeasured(
          'No CI log redaction check in force: no collector the portal reads observes what CI logs print (secret scanning catches credentials committed, not printed)',
          'the platform team records a CI log redaction check (POST /v1/human-attestations, kind ci-log-redaction: which CI system, how it was verified, a link to the run or review) — "Record CI log check" on the checklist card; it counts until its expiry',
        );
      }
      return { state: 'met', source: 'attested', reason: describe(check), evidence: [`human-attestation:${check.id}`] };
    },
    'least-privilege': () => fromScorecard(scorecardCheck('token-permissions'), 'Token-Permissions', SCORECARD_HOW),
    'critical-dependencies': () => {
      const updates = scorecardCheck('dependency-update-tool');
      const scan = control('dependency-scan');
      const measured = (updates && fresh(updates)) || reported(scan);
      if (!measured) {
        return notMeasured('No dependency scan and no Scorecard Dependency-Update-Tool result', `${SCORECARD_HOW}, and upload dependency scans (\`devsecops upload --control dependency-scan\`)`);
      }
      const gaps = [
        !evidence.entity.ownerRef && 'no owner in the catalog',
        !(updates && fresh(updates)) && 'no upgrade path measured (Scorecard Dependency-Update-Tool)',
        updates && fresh(updates) && updates.score < PASSING_SCORE && `no update bot (Dependency-Update-Tool ${updates.score}/10)`,
        !healthy(scan) && `dependency scan is ${state(scan)}`,
        card.metrics.pastSla.critical > 0 && `${card.metrics.pastSla.critical} critical finding(s) past the patch SLA`,
      ];
      return unlessGaps(
        gaps,
        () => `Owned by ${evidence.entity.ownerRef}, an update bot (Dependency-Update-Tool ${updates!.score}/10), dependency scan ${state(scan)}, no critical finding past its SLA`,
        ['catalog:owner', ...(updates ? [updates.fact] : []), 'control:dependency-scan', 'metrics:pastSla'],
      );
    },
    'container-images': () => {
      const scan = control('container-scan');
      if (scan?.state === 'not_applicable') return notApplicable(scan.reason);
      const pinned = scorecardCheck('pinned-dependencies');
      const deployment = evidence.deployments.find(d => d.environment === 'production');
      if (!reported(scan) && !(pinned && fresh(pinned))) {
        return notMeasured('No container scan and no Scorecard Pinned-Dependencies result', `upload image scans (\`devsecops upload --control container-scan\`), and ${SCORECARD_HOW}`);
      }
      const gaps = [
        !healthy(scan) && `container scan is ${state(scan)}`,
        !(pinned && fresh(pinned)) && 'pinning not measured (Scorecard Pinned-Dependencies)',
        pinned && fresh(pinned) && pinned.score < PASSING_SCORE && `images and actions not pinned by digest (Pinned-Dependencies ${pinned.score}/10)`,
        deployment && !deployment.artifactDigest && 'the production deployment names no artifact digest',
      ];
      return unlessGaps(
        gaps,
        () => `Container scan ${state(scan)}, pinned by digest (Pinned-Dependencies ${pinned!.score}/10)${deployment ? `, production runs ${deployment.artifactDigest}` : ''}; image size is not measured`,
        ['control:container-scan', ...(pinned ? [pinned.fact] : []), ...(deployment ? ['deployment:production'] : [])],
      );
    },
    'iac-review': () => {
      const lint = control('iac-lint');
      const review = control('code-review');
      if (!reported(lint) && !reported(review)) {
        return notMeasured('No IaC scan and no code-review evidence', `upload IaC scans (\`devsecops upload --control iac-lint\`) and ${GITHUB_HOW}`);
      }
      // Blast-radius context is what a threat-model review gives (the seed's responsibility model:
      // security reviews high-risk changes); without one in force the item is not met.
      const threatModel = inForce('threat-model-review');
      const gaps = [
        !healthy(lint) && `IaC scan is ${state(lint)}`,
        review?.state !== 'passing' && `code review is ${state(review)}`,
        !threatModel && 'no threat-model review in force names the blast radius (none recorded, or the last one expired)',
      ].filter((g): g is string => !!g);
      const scans = `IaC scan ${state(lint)} and owner code review required`;
      return {
        state: gaps.length === 0 ? 'met' : 'unmet',
        source: threatModel ? 'attested' : 'collected',
        reason: gaps.length === 0 ? `${scans}; blast radius from the ${describe(threatModel!).replace(/^T/, 't')}` : gaps.join('; '),
        evidence: ['control:iac-lint', 'control:code-review', ...(threatModel ? [`human-attestation:${threatModel.id}`] : [])],
        ...(threatModel
          ? {}
          : { howToMeasure: 'the owning team or security records a threat-model review (POST /v1/human-attestations, kind threat-model-review) flagging high-risk changes; it counts until its expiry' }),
      };
    },
    'isolated-runners': () => fromScorecard(scorecardCheck('dangerous-workflow'), 'Dangerous-Workflow', SCORECARD_HOW),
    'auditable-deployments': () => {
      const approval = control('production-approval');
      if (approval?.state === 'not_applicable') return notApplicable(approval.reason);
      const traceable = card.maturity.stages.flatMap(s => s.criteria).find(c => c.id === 'traceable-deployments');
      if (!evidence.deployments.some(d => d.environment === 'production')) {
        return notMeasured('No production deployment recorded', 'record each production deployment from CD (`devsecops deploy --approver <catalog user>`)');
      }
      const ok = !!traceable?.met && approval?.state === 'passing';
      return {
        state: ok ? 'met' : 'unmet',
        source: 'collected',
        reason: ok ? `${traceable!.reason}; ${approval!.reason}` : [traceable && !traceable.met && traceable.reason, approval?.state !== 'passing' && approval?.reason].filter(Boolean).join('; '),
        evidence: ['deployment:production', 'control:production-approval', 'evidence-log'],
      };
    },
    'exception-review': () => ({
      state: 'met',
      source: 'portal',
      reason: `Every exception recorded here names a risk owner who is not its requester and expires by itself (${evidence.exceptions.length} in force)`,
      evidence: ['exceptions'],
    }),
  };

  /** The newest attestation of the kind in force now (held by today, not expired). */
  function inForce(kind: HumanAttestation['kind']): HumanAttestation | undefined {
    return (evidence.humanAttestations ?? [])
      .filter(a => a.kind === kind && Date.parse(a.expiresAt) > now.getTime() && `${a.date}T00:00:00Z` <= now.toISOString())
      .sort((a, b) => b.date.localeCompare(a.date) || b.recordedAt.localeCompare(a.recordedAt))[0];
  }

  function fresh(c: Check) {
    return c.ageDays <= SCORECARD_RESULT_DAYS;
  }

  function fromScorecard(c: Check | undefined, label: string, how: string): Judgement {
    if (!c) return notMeasured(`No OpenSSF Scorecard ${label} result`, how);
    if (!fresh(c)) {
      return notMeasured(`The last Scorecard ${label} result is ${Math.floor(c.ageDays)} days old (window ${SCORECARD_RESULT_DAYS} days)`, how);
    }
    if (c.score < 0) return notMeasured(`Scorecard could not decide ${label}${c.reason ? `: ${c.reason}` : ''}`, how);
    return collected(c.score >= PASSING_SCORE, `Scorecard ${label} ${c.score}/10${c.reason ? `: ${c.reason}` : ''}`, [c.fact]);
  }

  return CHECKLIST_ITEMS.map(item => ({ id: item.id, title: item.title, ...judge[item.id]() }));
}

/** Met with `metReason` when no gap holds, else not met naming every gap; collected evidence. */
function unlessGaps(gaps: Array<string | false | undefined>, metReason: () => string, evidence: string[]): Judgement {
  const open = gaps.filter((g): g is string => !!g);
  return collected(open.length === 0, open.length === 0 ? metReason() : open.join('; '), evidence);
}

function collected(ok: boolean, reason: string, evidence: string[], source: ChecklistSource = 'collected'): Judgement {
  return { state: ok ? 'met' : 'unmet', source, reason, evidence };
}

function notMeasured(reason: string, howToMeasure: string): Judgement {
  return { state: 'not_measured', reason, evidence: [], howToMeasure };
}

function notApplicable(reason: string): Judgement {
  return { state: 'not_applicable' as ChecklistState, reason, evidence: [] };
}

function reported(c: ControlResult | undefined): boolean {
  return !!c && c.state !== 'not_reported' && c.state !== 'not_applicable';
}

function healthy(c: ControlResult | undefined): boolean {
  return !!c && (c.state === 'passing' || c.state === 'excepted');
}

function state(c: ControlResult | undefined): string {
  return c ? c.state.replace('_', ' ') : 'not configured';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
