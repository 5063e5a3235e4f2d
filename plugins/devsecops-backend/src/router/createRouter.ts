import { withBasicDecisionCache } from '../permissions/basicDecisionCache';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { describeJsonSyntaxError } from '@devsecops-scorecard/plugin-devsecops-node';
import express from 'express';
import { spec } from '../schema/openapi';
import { CiIdentityPolicy } from '../identity/ciIdentities';
import { DevsecopsServices } from '../services';
import { databaseUnavailableToServiceUnavailable } from './databaseErrors';
import { hideInternalErrorDetail } from './internalErrors';
import { mountHealthRoute } from './healthRoute';
import { unsupportedMediaType } from './mediaType';
import { mountDeployRoutes } from './deployRoutes';
import { mountEvidenceRoutes } from './evidenceRoutes';
import { mountExceptionRoutes } from './exceptionRoutes';
import { mountFeedRoutes } from './feedRoutes';
import { mountPortfolioRoutes } from './portfolioRoutes';
import { mountExceptionActionRoutes } from './exceptionActionRoutes';
import { mountReportRoutes } from './reportRoutes';
import { callers } from './request';
import { rejectNulCharacters } from '../validation/nulCharacters';
import { mountRuntimeRoutes } from './runtimeRoutes';
import { mountHumanAttestationRoutes } from './humanAttestationRoutes';
import { mountReviewRoutes } from './reviewRoutes';
import { mountResponsibilityRoutes } from './responsibilityRoutes';
import { mountChecklistRoutes } from './checklistRoutes';
import { mountScorecardRoutes } from './scorecardRoutes';
import { mountCampaignRoutes } from './campaignRoutes';
import { mountDigestRoutes } from '../digest/digestRoutes';
import { mountTicketRoutes } from '../tickets/ticketRoutes';

export interface RouterOptions {
  services: DevsecopsServices;
  httpAuth: HttpAuthService;
  /** `devsecops.ciIdentities`: which CI identities write for which entities. */
  ciIdentities: CiIdentityPolicy;
}

/**
 * The plugin's HTTP API: the router validated against the OpenAPI document, the body parsers,
 * `/health`, and each area's handlers (thin: credentials, then one service call).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { services, httpAuth, ciIdentities } = options;
  const { maxReportBytes } = services;

  // Report uploads keep their exact bytes (the sha256 is evidence); everything else is JSON.
  const rawReport = express.raw({
    type: () => true,
    limit: maxReportBytes,
  });
  const json = express.json({ limit: '1mb' });
  const router = createValidatedOpenApiRouter(spec, {
    middleware: [
      unsupportedMediaType,
      (req, res, next) => {
        if (!(req.method === 'POST' && (req.path === '/v1/reports' || req.path === '/v1/attestations' || req.path.startsWith('/v1/feeds/')))) {
          json(req, res, error => {
            // A body that does not decompress as its Content-Encoding says: name that, not just "Bad Request".
            const code = String((error as { code?: unknown } | undefined)?.code ?? '');
            if (error && code.startsWith('Z_')) {
              next(new InputError(`The request body is not valid ${req.headers['content-encoding']} (Content-Encoding): ${code}`));
              return;
            }
            // body-parser's message quotes the text around the error (often a secret): name the
            // position and what was expected instead.
            if ((error as { type?: unknown } | undefined)?.type === 'entity.parse.failed') {
              next(new InputError(describeJsonBodyError(String((error as { body?: unknown }).body ?? ''))));
              return;
            }
            next(error);
          });
          return;
        }
        // A gzip body is kept compressed here and unpacked by the ingest service under the same
        // size limit (bounded output, so a gzip bomb stops at the limit).
        if (/^\s*(x-)?gzip\s*$/i.test(req.headers['content-encoding'] ?? '')) {
          delete req.headers['content-encoding'];
        }
        rawReport(req, res, error => {
          // The validator turns every earlier error into a 400; a body over the limit is a 413.
          if (error?.type === 'entity.too.large') {
            res.status(413).json({
              error: {
                name: 'PayloadTooLargeError',
                message: `Report is larger than ${maxReportBytes} bytes (devsecops.ingest.maxReportBytes)`,
              },
              request: { method: req.method, url: req.originalUrl },
              response: { statusCode: 413 },
            });
            return;
          }
          next(error);
        });
      },
      // NUL in any query parameter or JSON field: a 400 naming it, before any endpoint sees it.
      rejectNulCharacters,
    ],
  });

  mountHealthRoute(router, services);

  // devsecops.read is asked on every read: its answer is reused per principal for a few seconds.
  const area = { router, services, callers: callers(httpAuth, withBasicDecisionCache(services.permissions), ciIdentities) };
  mountReportRoutes(area);
  mountScorecardRoutes(area);
  mountDeployRoutes(area);
  mountExceptionRoutes(area);
  mountExceptionActionRoutes(area);
  mountRuntimeRoutes(area);
  mountHumanAttestationRoutes(area);
  mountReviewRoutes(area);
  mountResponsibilityRoutes(area);
  mountChecklistRoutes(area);
  mountEvidenceRoutes(area);
  mountFeedRoutes(area);
  mountPortfolioRoutes(area);
  mountCampaignRoutes(area);
  mountDigestRoutes(area);
  mountTicketRoutes(area);

  router.use(databaseUnavailableToServiceUnavailable);
  router.use(hideInternalErrorDetail(services.logger));

  return router as unknown as express.Router;
}

/** Why a JSON request body was refused, naming the position or the type, never the text. */
function describeJsonBodyError(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `The request body is not valid JSON: ${describeJsonSyntaxError(text)}`;
  }
  // Valid JSON refused by the strict parser: a bare string, number, boolean or null.
  const kind = value === null ? 'null' : typeof value;
  return `The request body must be a JSON object, not ${kind}`;
}
