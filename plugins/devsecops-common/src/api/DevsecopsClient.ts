import { ResponseError } from '@backstage/errors';
import { DevsecopsHealth, ReportFormatInfo } from '../model/health';
import { PipelineControl, PipelineStage } from '../model/controlStack';
import { EvidenceChain, Finding, Page, Report } from '../model/evidence';
import {
  EntityHistory,
  EntityScorecard,
  GateDecision,
  Rollup,
  RollupHistory,
} from '../model/scorecard';
import { Exercise, RecurringFinding, RuntimeSignal } from '../model/runtime';
import { HumanAttestation, HumanAttestationInput } from '../model/humanAttestations';
import { ResponsibilityMatrix } from '../model/responsibility';
import { ExceptionRecord, ExceptionScope, RiskOwnerEligibility, RiskRating } from '../model/exceptions';

/** A new exception request. @public */
export interface ExceptionRequest {
  entityRef: string;
  scope: ExceptionScope;
  riskStatement: string;
  riskRating: RiskRating;
  compensatingControls?: string;
  riskOwner: string;
  expiresAt: string;
}

/** Filters of the exception queue. @public */
export interface ExceptionsQuery {
  entity?: string;
  riskOwner?: string;
  status?: string[];
  expiringWithinDays?: number;
  limit?: number;
  offset?: number;
}

/** Filters of the findings list. @public */
export interface FindingsQuery {
  entity?: string;
  owner?: string;
  control?: string[];
  severity?: string[];
  status?: string[];
  tool?: string;
  orderBy?: 'severity' | 'firstSeenAt' | 'lastSeenAt' | 'ruleId' | 'control';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** Which entities a roll-up covers: one of group (recursive), system or domain, or the org. @public */
export interface RollupQuery {
  group?: string;
  system?: string;
  domain?: string;
  /** Only entities in this catalog lifecycle. */
  lifecycle?: string;
}

/** Recurring exercise findings: titles seen in more than one exercise of a scope. @public */
export interface ExercisesPage extends Page<Exercise> {
  recurringFindings: RecurringFinding[];
}

/**
 * Minimal structural types for Backstage's discovery and fetch APIs, so this client works in the
 * browser (DiscoveryApi/FetchApi) and in node (DiscoveryService plus a token-adding fetch).
 * @public
 */
export interface DevsecopsClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/** @public */
export interface ControlStackResponse {
  stages: PipelineStage[];
  controls: PipelineControl[];
}

/** @public */
export interface DevsecopsApi {
  getHealth(): Promise<DevsecopsHealth>;
  getControlStack(): Promise<ControlStackResponse>;
  listFormats(): Promise<{ formats: ReportFormatInfo[] }>;
  getScorecard(entityRef: string): Promise<EntityScorecard>;
  listFindings(query: FindingsQuery): Promise<Page<Finding>>;
  listReports(query: { entity: string; limit?: number; offset?: number }): Promise<Page<Report>>;
  getScorecardHistory(entityRef: string, days?: number): Promise<EntityHistory>;
  getRollup(query?: RollupQuery): Promise<Rollup>;
  getRollupHistory(query?: RollupQuery, days?: number): Promise<RollupHistory>;
  listRuntimeSignals(query: { entity: string; open?: boolean; limit?: number }): Promise<Page<RuntimeSignal>>;
  listExercises(query: { scope: string; limit?: number }): Promise<ExercisesPage>;
  /** Record a named human attestation as the signed-in user (`POST /v1/human-attestations`). */
  recordHumanAttestation(input: HumanAttestationInput): Promise<HumanAttestation>;
  /** The human attestations that count for an entity (its own and its owner groups'). */
  listHumanAttestations(query: { entity: string; limit?: number }): Promise<Page<HumanAttestation>>;
  /** The responsibility model as configured: per capability, the groups and the controls and criteria. */
  getResponsibilityMatrix(): Promise<ResponsibilityMatrix>;
  listGateDecisions(query: { entity: string; environment?: string; limit?: number }): Promise<Page<GateDecision>>;
  listExceptions(query: ExceptionsQuery): Promise<Page<ExceptionRecord>>;
  requestException(request: ExceptionRequest): Promise<ExceptionRecord>;
  /** Who the signed-in user may name as risk owner of an exception on the entity. */
  listEligibleRiskOwners(query: { entity: string; riskRating: RiskRating; control?: string }): Promise<RiskOwnerEligibility>;
  changeException(
    id: string,
    action: 'approve' | 'reject' | 'revoke',
    reason: string,
  ): Promise<ExceptionRecord>;
  renewException(id: string, expiresAt: string): Promise<ExceptionRecord>;
  getEvidenceChain(query: { entity: string; environment?: string; deployment?: string }): Promise<EvidenceChain>;
  /** The audit package zip of an entity, a group or the org (see the audit-packages API). */
  exportAuditPackage(query: { entity?: string; group?: string; org?: boolean; from?: string; to?: string }): Promise<{ blob: Blob; filename: string }>;
}

/**
 * Typed client of the devsecops backend's HTTP API.
 * @public
 */
export class DevsecopsClient implements DevsecopsApi {
  private readonly discoveryApi: DevsecopsClientOptions['discoveryApi'];
  private readonly fetchImpl: typeof fetch;

  constructor(options: DevsecopsClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchImpl = options.fetchApi?.fetch ?? fetch;
  }

  getHealth(): Promise<DevsecopsHealth> {
    return this.get('/health');
  }

  getControlStack(): Promise<ControlStackResponse> {
    return this.get('/controls');
  }

  listFormats(): Promise<{ formats: ReportFormatInfo[] }> {
    return this.get('/formats');
  }

  getScorecard(entityRef: string): Promise<EntityScorecard> {
    return this.get('/v1/scorecards', { entity: entityRef });
  }

  listFindings(query: FindingsQuery): Promise<Page<Finding>> {
    return this.get('/v1/findings', {
      ...query,
      control: query.control?.join(','),
      severity: query.severity?.join(','),
      status: query.status?.join(','),
    });
  }

  listReports(query: { entity: string; limit?: number; offset?: number }): Promise<Page<Report>> {
    return this.get('/v1/reports', query);
  }

  getScorecardHistory(entityRef: string, days?: number): Promise<EntityHistory> {
    return this.get('/v1/scorecards/history', { entity: entityRef, days });
  }

  getRollup(query: RollupQuery = {}): Promise<Rollup> {
    return this.get('/v1/rollups', { ...query });
  }

  getRollupHistory(query: RollupQuery = {}, days?: number): Promise<RollupHistory> {
    return this.get('/v1/rollups/history', { ...query, days });
  }

  listRuntimeSignals(query: { entity: string; open?: boolean; limit?: number }): Promise<Page<RuntimeSignal>> {
    return this.get('/v1/runtime-signals', {
      entity: query.entity,
      open: query.open === undefined ? undefined : String(query.open),
      limit: query.limit,
    });
  }

  listExercises(query: { scope: string; limit?: number }): Promise<ExercisesPage> {
    return this.get('/v1/exercises', query);
  }

  recordHumanAttestation(input: HumanAttestationInput): Promise<HumanAttestation> {
    return this.post('/v1/human-attestations', input);
  }

  listHumanAttestations(query: { entity: string; limit?: number }): Promise<Page<HumanAttestation>> {
    return this.get('/v1/human-attestations', query);
  }

  getResponsibilityMatrix(): Promise<ResponsibilityMatrix> {
    return this.get('/v1/responsibility');
  }

  listGateDecisions(query: { entity: string; environment?: string; limit?: number }): Promise<Page<GateDecision>> {
    return this.get('/v1/gate/decisions', query);
  }

  listExceptions(query: ExceptionsQuery): Promise<Page<ExceptionRecord>> {
    return this.get('/v1/exceptions', { ...query, status: query.status?.join(',') });
  }

  requestException(request: ExceptionRequest): Promise<ExceptionRecord> {
    return this.post('/v1/exceptions', request);
  }

  listEligibleRiskOwners(query: { entity: string; riskRating: RiskRating; control?: string }): Promise<RiskOwnerEligibility> {
    return this.get('/v1/exceptions/risk-owners', query);
  }

  changeException(id: string, action: 'approve' | 'reject' | 'revoke', reason: string): Promise<ExceptionRecord> {
    return this.post(`/v1/exceptions/${encodeURIComponent(id)}/${action}`, { reason });
  }

  renewException(id: string, expiresAt: string): Promise<ExceptionRecord> {
    return this.post(`/v1/exceptions/${encodeURIComponent(id)}/renew`, { expiresAt });
  }

  getEvidenceChain(query: { entity: string; environment?: string; deployment?: string }): Promise<EvidenceChain> {
    return this.get('/v1/evidence/chain', query);
  }

  async exportAuditPackage(query: { entity?: string; group?: string; org?: boolean; from?: string; to?: string }) {
    const baseUrl = await this.discoveryApi.getBaseUrl('devsecops');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, org: query.org ? 'true' : undefined })) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const response = await this.fetchImpl(`${baseUrl}/v1/audit-packages?${params}`);
    if (!response.ok) {
      throw await responseError(response);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'audit-package.zip';
    return { blob: await response.blob(), filename };
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('devsecops');
    const response = await this.fetchImpl(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw await responseError(response);
    }
    return (await response.json()) as T;
  }

  private async get<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('devsecops');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    const response = await this.fetchImpl(`${baseUrl}${path}${search ? `?${search}` : ''}`);
    if (!response.ok) {
      throw await responseError(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The error of a failed call: a ResponseError (status, body) whose message is the server's own
 * message when it sent a Backstage error body ("riskOwner … is not eligible …"), instead of
 * "Request failed with 400 Bad Request".
 * @public
 */
export async function responseError(response: Response): Promise<ResponseError> {
  const json = (response.headers.get('content-type') ?? '').includes('json');
  const error = await ResponseError.fromResponse(response);
  const serverMessage = json ? error.body?.error?.message : undefined;
  if (typeof serverMessage === 'string' && serverMessage.trim()) {
    error.message = serverMessage;
  }
  return error;
}
