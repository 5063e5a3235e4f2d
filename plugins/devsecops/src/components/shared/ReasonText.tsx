import { readableReason } from '@devsecops-scorecard/plugin-devsecops-common';
import { Fragment } from 'react';
import { findingAnchor, JumpLink } from './JumpLink';

/** Vulnerability and rule ids as scanners name them: CVE-2026-1234, GHSA-xxxx-xxxx-xxxx, ZAP-40012. */
const FINDING_ID = /\b(CVE-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3}|[A-Z]{2,}[A-Z0-9]*-\d+)\b/g;

/**
 * A reason as a sentence (fact names in words, see `readableReason`), with each CVE or rule id
 * linking to its row in the findings table (`findingsId` when the row is not on the table's page).
 */
export function ReasonText({ reason, findingsId = 'findings' }: { reason: string; findingsId?: string }) {
  const text = readableReason(reason);
  const parts = text.split(FINDING_ID);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <JumpLink key={index} targetId={findingAnchor(part)} fallbackId={findingsId}>
            {part}
          </JumpLink>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
