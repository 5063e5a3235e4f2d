import MuiLink from '@mui/material/Link';
import { ReactNode } from 'react';

/**
 * A link to another part of the same page (a control, a finding row, an upload): scrolls to the
 * element with `targetId`, or to `fallbackId` when the target is not rendered (a finding on
 * another page of the table), and moves focus there. The URL stays as it is.
 */
export function JumpLink({ targetId, fallbackId, children }: { targetId: string; fallbackId?: string; children: ReactNode }) {
  return (
    <MuiLink
      href={`#${targetId}`}
      underline="always"
      onClick={event => {
        const target = document.getElementById(targetId) ?? (fallbackId ? document.getElementById(fallbackId) : null);
        if (!target) return;
        event.preventDefault();
        target.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
      }}
    >
      {children}
    </MuiLink>
  );
}

/** The element id of a finding row, by its CVE or rule id. */
export const findingAnchor = (id: string) => `finding-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
/** The element id of a control on the Security tab. */
export const controlAnchor = (controlId: string) => `control-${controlId}`;
/** The element id of an upload (report) row on the Security tab. */
export const reportAnchor = (reportId: string) => `report-${reportId}`;
