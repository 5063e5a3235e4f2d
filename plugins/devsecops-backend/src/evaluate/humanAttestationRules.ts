import { HumanAttestation, HumanAttestationKind } from '@devsecops-scorecard/plugin-devsecops-common';
import { daysBetween } from './time';
import { EntityEvidence } from './types';

const LABEL: Record<HumanAttestationKind, string> = {
  'control-failure-review': 'control-failure review',
  'template-feedback': 'template feedback',
  'threat-model-review': 'threat-model review',
  'ci-log-redaction': 'CI log redaction check',
};

/**
 * A named human attestation of the kind holds when one is in force (the loader keeps only
 * unexpired ones held by the evaluation's clock) and was held within the window; the reason
 * names who recorded it and when, so the Security tab shows the person as the evidence.
 */
export function humanAttestationHolds(
  rule: { kind: HumanAttestationKind; withinDays?: number },
  evidence: EntityEvidence,
  now: Date,
): { met: boolean; reason: string } {
  const label = LABEL[rule.kind];
  const inForce = (evidence.humanAttestations ?? []).filter(
    a => a.kind === rule.kind && Date.parse(a.expiresAt) > now.getTime() && `${a.date}T00:00:00Z` <= now.toISOString(),
  );
  const newest = [...inForce].sort((a, b) => b.date.localeCompare(a.date) || b.recordedAt.localeCompare(a.recordedAt))[0];
  if (!newest) return { met: false, reason: `No ${label} recorded by a person (or the last one expired)` };
  const age = daysBetween(`${newest.date}T00:00:00Z`, now);
  if (rule.withinDays !== undefined && age > rule.withinDays) {
    return {
      met: false,
      reason: `Last ${label} was held ${Math.floor(age)} days ago, on ${newest.date} (window ${rule.withinDays} days)`,
    };
  }
  return { met: true, reason: describe(newest) };
}

/** "Control-failure review held on 2026-12-01, recorded by user:default/dana (…), valid until …". */
export function describe(a: HumanAttestation): string {
  const d = a.details as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const parts: string[] = [];
  if (a.kind === 'control-failure-review') {
    const attendees = list(d.attendees);
    if (attendees.length) parts.push(`attendees ${attendees.join(', ')}`);
    const failures = typeof d.failuresReviewed === 'number' ? d.failuresReviewed : list(d.failures).length;
    parts.push(`${failures} failure${failures === 1 ? '' : 's'} reviewed`);
    if (d.notesUrl) parts.push(`notes ${d.notesUrl}`);
  } else if (a.kind === 'template-feedback') {
    const findings = list(d.findings);
    parts.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${findings.join(', ')}) fed into ${d.template}`);
    if (d.changeUrl) parts.push(`change ${d.changeUrl}`);
  } else if (a.kind === 'ci-log-redaction') {
    parts.push(`${d.ciSystem}: ${d.verification}`);
    if (d.url) parts.push(`evidence ${d.url}`);
  } else {
    if (d.reviewer) parts.push(`reviewer ${d.reviewer}`);
    parts.push(d.highRiskChangesFlagged ? 'high-risk changes flagged' : 'no high-risk changes flagged');
    if (d.url) parts.push(`threat model ${d.url}`);
  }
  const what = LABEL[a.kind];
  const scope = a.scopeRef.startsWith('group:') ? ` for ${a.scopeRef}` : '';
  return `${what[0].toUpperCase()}${what.slice(1)} held on ${a.date}${scope}, recorded by ${a.recordedBy} (${parts.join('; ')}), valid until ${a.expiresAt.slice(0, 10)}`;
}
