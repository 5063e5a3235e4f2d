import { Campaign, CampaignInput, CampaignOverview, CampaignProgress } from '../model/campaigns';
import { ResponseError } from '@backstage/errors';
import { DevsecopsHealth, ReportFormatInfo } from '../model/health';
import { PipelineControl, PipelineStage } from '../model/controlStack';
import { ComponentSearchPage, EvidenceChain, Finding, Page, Report } from '../model/evidence';
import {
  EntityHistory,
  EntityScorecard,
  GateDecision,
  Rollup,
  RollupHistory,
} from '../model/scorecard';
import { LinkedTicket, TicketSubjectKind } from '../model/tickets';
import { Exercise, ExerciseScenario, OverdueFollowUp, RecurringFinding, RuntimeSignal } from '../model/runtime';
import { ExceptionViewerActions } from '../model/exceptionActions';
import { HumanAttestation, HumanAttestationInput } from '../model/humanAttestations';
import { PendingControlFailureReview, RecurringFindingsResponse } from '../model/reviews';
import { ResponsibilityMatrix } from '../model/responsibility';
import { EntityChecklist, ScopeChecklist } from '../model/checklist';
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
  /** `me`, or a user or group ref. */
  riskOwner?: string;
  /** `me`, or a user ref. */
  requester?: string;
  /** The owning team, e.g. group:default/team-payments. */
  owner?: string;
  riskRating?: RiskRating;
  /** By expiry: soonest first (asc, the default) or latest first. */
  order?: 'asc' | 'desc';
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
  /** `exploitability`: KEV-listed first, then by EPSS, then severity. */
  orderBy?: 'severity' | 'exploitability' | 'firstSeenAt' | 'lastSeenAt' | 'ruleId' | 'control';
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
  /**
   * getRollup only: list at most this many entities (0–500; 0 for aggregates and team rows only);
   * absent: every entity in scope.
   */
  entitiesLimit?: number;
  /** getRollup only: the previous page's `entitiesPage.nextCursor`. */
  entitiesCursor?: string;
}

/** Recurring exercise findings: titles seen in more than one exercise of a scope. @public */
export interface ExercisesPage extends Page<Exercise> {
  recurringFindings: RecurringFinding[];
  /** Follow-ups past their due day and not done, over every matching exercise. */
  overdueFollowUps: OverdueFollowUp[];
}

/** A tabletop exercise as recorded (POST /v1/exercises). @public */
export interface ExerciseRecordInput {
  scenario: ExerciseScenario;
  /** YYYY-MM-DD, not in the future */
  heldOn: string;
  /** The group or entity it was held for (kind defaults to group). */
  scopeRef: string;
  participants: string[];
  findings?: Array<{ title: string; recurring?: boolean }>;
  followUps?: Array<{ action: string; owner: string; due: string }>;
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
  /** Portfolio search: which entities' stored SBOMs contain a package (`log4j-core@<2.17`). */
  searchComponents(query: { package: string; limit?: number; offset?: number }): Promise<ComponentSearchPage>;
  listReports(query: { entity: string; limit?: number; offset?: number }): Promise<Page<Report>>;
  getScorecardHistory(entityRef: string, days?: number): Promise<EntityHistory>;
  getRollup(query?: RollupQuery): Promise<Rollup>;
  getRollupHistory(query?: RollupQuery, days?: number): Promise<RollupHistory>;
  listRuntimeSignals(query: { entity: string; open?: boolean; limit?: number }): Promise<Page<RuntimeSignal>>;
  /** Tickets linked to an entity's findings and runtime signals (`GET /v1/tickets`). */
  listTickets(query: { entity: string; subjectKind?: TicketSubjectKind }): Promise<{ items: LinkedTicket[] }>;
  /** Exercises of a group or entity, or of the whole org without `scope`. */
  listExercises(query: { scope?: string; limit?: number }): Promise<ExercisesPage>;
  recordExercise(input: ExerciseRecordInput): Promise<Exercise>;
  /** Marks follow-up `index` (from 0) of an exercise done, or not done again. */
  setExerciseFollowUpDone(id: string, index: number, done: boolean): Promise<Exercise>;
  /** Record a named human attestation as the signed-in user (`POST /v1/human-attestations`). */
  recordHumanAttestation(input: HumanAttestationInput): Promise<HumanAttestation>;
  /** The human attestations that count for an entity (its own and its owner groups'). */
  listHumanAttestations(query: { entity: string; limit?: number }): Promise<Page<HumanAttestation>>;
  /** Control failures since the previous review of a group (or the org) that no review has covered yet. */
  getPendingControlFailureReview(query: { group?: string; lifecycle?: string }): Promise<PendingControlFailureReview>;
  /** Findings open in at least `minServices` services, with what those services share. */
  listRecurringFindings(query: { group?: string; lifecycle?: string; minServices?: number }): Promise<RecurringFindingsResponse>;
  /** The responsibility model as configured: per capability, the groups and the controls and criteria. */
  getResponsibilityMatrix(): Promise<ResponsibilityMatrix>;
  /** The DevSecOps checklist of one service. */
  getChecklist(query: { entity: string }): Promise<EntityChecklist>;
  /** The DevSecOps checklist counted over a group's services (or the org's without `group`). */
  getScopeChecklist(query: { group?: string }): Promise<ScopeChecklist>;
  listGateDecisions(query: { entity: string; environment?: string; limit?: number }): Promise<Page<GateDecision>>;
  listExceptions(query: ExceptionsQuery): Promise<Page<ExceptionRecord>>;
  /** One exception with its whole history (404 when the caller may not read it). */
  getException(id: string): Promise<ExceptionRecord>;
  /** The actions the signed-in person may take on the exception, each with the reason when not. */
  getExceptionActions(id: string): Promise<ExceptionViewerActions>;
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
  /** Campaigns with their counts; with `entity` that service's progress, with `group` the team's. */
  listCampaigns(query?: { entity?: string; group?: string }): Promise<{ items: CampaignOverview[] }>;
  /** One campaign with its progress: teams, burn-up, a page of its services, the end report. */
  getCampaign(id: string, page?: { limit?: number; offset?: number }): Promise<CampaignProgress>;
  /** Create a campaign (devsecops.campaign.manage: platform and security owners). */
  createCampaign(input: CampaignInput): Promise<Campaign>;
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

  listTickets(query: { entity: string; subjectKind?: TicketSubjectKind }): Promise<{ items: LinkedTicket[] }> {
    return this.get('/v1/tickets', query);
  }

  listFindings(query: FindingsQuery): Promise<Page<Finding>> {
    return this.get('/v1/findings', {
      ...query,
      control: query.control?.join(','),
      severity: query.severity?.join(','),
      status: query.status?.join(','),
    });
  }

  /** Portfolio search over stored SBOMs (`GET /v1/components?package=log4j-core@<2.17`). */
  searchComponents(query: { package: string; limit?: number; offset?: number }): Promise<ComponentSearchPage> {
    return this.get('/v1/components', query);
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
    const { entitiesLimit: _limit, entitiesCursor: _cursor, ...scope } = query;
    return this.get('/v1/rollups/history', { ...scope, days });
  }

  listRuntimeSignals(query: { entity: string; open?: boolean; limit?: number }): Promise<Page<RuntimeSignal>> {
    return this.get('/v1/runtime-signals', {
      entity: query.entity,
      open: query.open === undefined ? undefined : String(query.open),
      limit: query.limit,
    });
  }

  listExercises(query: { scope?: string; limit?: number }): Promise<ExercisesPage> {
    return this.get('/v1/exercises', query);
  }

  recordExercise(input: ExerciseRecordInput): Promise<Exercise> {
    return this.post('/v1/exercises', input);
  }

  setExerciseFollowUpDone(id: string, index: number, done: boolean): Promise<Exercise> {
    return this.post(`/v1/exercises/${encodeURIComponent(id)}/follow-ups/${index}`, { done });
  }

  recordHumanAttestation(input: HumanAttestationInput): Promise<HumanAttestation> {
    return this.post('/v1/human-attestations', input);
  }

  listHumanAttestations(query: { entity: string; limit?: number }): Promise<Page<HumanAttestation>> {
    return this.get('/v1/human-attestations', query);
  }

  getPendingControlFailureReview(query: { group?: string; lifecycle?: string }): Promise<PendingControlFailureReview> {
    return this.get('/v1/control-failure-reviews/pending', query);
  }

  listRecurringFindings(query: { group?: string; lifecycle?: string; minServices?: number }): Promise<RecurringFindingsResponse> {
    return this.get('/v1/findings/recurring', query);
  }

  getResponsibilityMatrix(): Promise<ResponsibilityMatrix> {
    return this.get('/v1/responsibility');
  }

  getChecklist(query: { entity: string }): Promise<EntityChecklist> {
    return this.get('/v1/checklist', query);
  }

  getScopeChecklist(query: { group?: string }): Promise<ScopeChecklist> {
    return this.get('/v1/checklist', query);
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

  getException(id: string): Promise<ExceptionRecord> {
    return this.get(`/v1/exceptions/${encodeURIComponent(id)}`);
  }

  getExceptionActions(id: string): Promise<ExceptionViewerActions> {
    return this.get(`/v1/exceptions/${encodeURIComponent(id)}/actions`);
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

  listCampaigns(query: { entity?: string; group?: string } = {}): Promise<{ items: CampaignOverview[] }> {
    return this.get('/v1/campaigns', query);
  }

  getCampaign(id: string, page: { limit?: number; offset?: number } = {}): Promise<CampaignProgress> {
    return this.get(`/v1/campaigns/${encodeURIComponent(id)}`, page);
  }

  createCampaign(input: CampaignInput): Promise<Campaign> {
    return this.post('/v1/campaigns', input);
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
