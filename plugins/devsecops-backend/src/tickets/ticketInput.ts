import { InputError } from '@backstage/errors';
import { TicketLinkInput, TicketStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { parseObservedTime } from '../validation/inputTimes';

export interface CheckedTicketLink {
  url: string;
  ticketId?: string;
  system?: string;
  status: TicketStatus;
  updatedAt: Date;
}

const STATUSES: TicketStatus[] = ['open', 'closed'];

/**
 * Checks a ticket link: an http(s) URL without credentials (a URL with `user:password@` or a
 * token in its query or fragment would keep a secret in the evidence log), open or closed, an update time not
 * in the future. Error messages never repeat the URL: it may be the secret.
 */
export function checkTicketLink(input: TicketLinkInput, now: Date): CheckedTicketLink {
  if (!input || typeof input !== 'object') throw new InputError('Pass a JSON object with url and status');
  const { url, ticketId, system, status, updatedAt } = input;
  if (typeof url !== 'string' || url.length === 0) throw new InputError('url is required');
  if (url.length > 2048) throw new InputError('url is longer than 2048 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError('url is not an absolute URL');
  }
  // The scheme is not named: a pasted key (AKIA…:…) parses as one.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new InputError('url must be http or https');
  if (parsed.username || parsed.password) {
    throw new InputError('url must not carry credentials (user or password before the host)');
  }
  // The parameter is not named either: its name is part of the URL, which may be the secret. The
  // fragment counts too (an OAuth implicit grant returns #access_token=…).
  const keys = [...parsed.searchParams.keys(), ...new URLSearchParams(parsed.hash.slice(1)).keys()];
  if (keys.some(key => /token|secret|password|passwd|api[-_]?key|signature|sig$|auth/i.test(key))) {
    throw new InputError('url must not carry credentials (a token, secret, password, key or signature in its query or fragment)');
  }
  if (!STATUSES.includes(status)) throw new InputError(`status must be one of ${STATUSES.join(', ')}`);
  if (ticketId !== undefined && (typeof ticketId !== 'string' || !/^[\w.#:/-]{1,200}$/.test(ticketId))) {
    throw new InputError('ticketId must be 1-200 letters, digits or . _ # : / -');
  }
  if (system !== undefined && (typeof system !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(system))) {
    throw new InputError('system must be 1-100 letters, digits or . _ - (e.g. jira, github)');
  }
  return {
    url: parsed.toString(),
    ...(ticketId ? { ticketId } : {}),
    ...(system ? { system: system.toLowerCase() } : {}),
    status,
    updatedAt: updatedAt === undefined ? now : parseObservedTime('updatedAt', updatedAt, now, 5 * 60 * 1000),
  };
}
