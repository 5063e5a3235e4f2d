import { InputError } from '@backstage/errors';
import {
  findNulCharacter,
  nulCharacterMessage,
} from '@devsecops-scorecard/plugin-devsecops-node';

/**
 * Express middleware, after the body parsers and before the OpenAPI validator: a NUL character
 * (U+0000) in any query parameter (name or value) or anywhere in a JSON body is a 400 naming where
 * (`request/query/tool`, `request/body/scope/ruleId`), for every endpoint at once. PostgreSQL's text
 * columns and query parameters cannot hold NUL. Raw report bodies are checked by `parseReportBody`.
 */
export function rejectNulCharacters(
  req: { query?: unknown; body?: unknown },
  _res: unknown,
  next: (error?: unknown) => void,
) {
  const where =
    findNulCharacter(req.query, 'request/query') ?? findNulCharacter(req.body, 'request/body');
  next(where ? new InputError(nulCharacterMessage(where)) : undefined);
}
