import { readableReason } from '@devsecops-scorecard/plugin-devsecops-common';
import { Fragment } from 'react';
import { Digest } from './Digest';
import { findingAnchor, JumpLink } from './JumpLink';

/** Vulnerability and rule ids as scanners name them: CVE-2026-1234, GHSA-xxxx-xxxx-xxxx, ZAP-40012. */
const FINDING_ID = /^(?:CVE-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3}|[A-Z]{2,}[A-Z0-9]*-\d+)$/;
/** What a reason may carry that is more than text: a finding id (linked) or a digest (shortened). */
const SPECIAL = /\b(CVE-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3}|[A-Z]{2,}[A-Z0-9]*-\d+|sha(?:256|384|512):[0-9a-f]{32,128})\b/g;

function Part({ part, findingsId }: { part: string; findingsId: string }) {
  if (FINDING_ID.test(part)) {
    return (
      <JumpLink targetId={findingAnchor(part)} fallbackId={findingsId}>
        {part}
      </JumpLink>
    );
  }
  return <Digest value={part} />;
}

/**
 * A reason as a sentence (fact names in words, see `readableReason`), with each CVE or rule id
 * linking to its row in the findings table (`findingsId` when the row is not on the table's page)
 * and each digest shortened with a copy button.
 */
export function ReasonText({ reason, findingsId = 'findings' }: { reason: string; findingsId?: string }) {
  const parts = readableReason(reason).split(SPECIAL);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? <Part key={index} part={part} findingsId={findingsId} /> : <Fragment key={index}>{part}</Fragment>,
      )}
    </>
  );
}
