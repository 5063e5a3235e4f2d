import { Config } from '@backstage/config';
import {
  CAPABILITY_IDS,
  ControlDefinition,
  GateRequirement,
  PIPELINE_STAGES,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { z } from 'zod';
import { EvaluationConfig, StageDefinition } from '../evaluate/types';
import { readResponsibilityGroups, responsibilityConfig } from './responsibilityConfig';
import { ExploitabilityPolicy, readExploitabilityPolicy, withExploitability } from '../feeds/exploitabilityConfig';
import {
  DEFAULT_CONTROLS,
  DEFAULT_METRIC_TARGETS,
  DEFAULT_POLICIES,
  DEFAULT_SLA_DAYS,
  DEFAULT_STAGES,
} from './defaults';

export interface ReleasePolicy {
  name: string;
  environment: string;
  requires: GateRequirement[];
}

export interface ScorecardSettings {
  evaluation: EvaluationConfig;
  policies: ReleasePolicy[];
  /**
   * Catalog kinds the scorecard counts (`devsecops.scorecard.entityKinds`, default Component):
   * only they get stored summaries and snapshots and appear in roll-ups.
   */
  entityKinds: string[];
  /** `devsecops.exploitability`: severity alone (default) or exploitable findings only. */
  exploitability: ExploitabilityPolicy;
}

/** The kinds counted when `devsecops.scorecard.entityKinds` is not set. */
export const DEFAULT_ENTITY_KINDS = ['Component'];

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const controlId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes');
const factName = z.string().regex(/^[a-z][a-z0-9_.-]{0,127}$/, 'must be a fact name like branch_protection.enabled');
const days = z.number().positive().max(3650);
const environment = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);

const controlOverride = z
  .object({
    enabled: z.boolean().optional(),
    title: z.string().min(1).optional(),
    stage: z.enum(PIPELINE_STAGES.map(s => s.id) as [string, ...string[]]).optional(),
    freshnessDays: days.optional(),
    appliesToTypes: z.array(z.string().min(1)).optional(),
    failOnSeverity: severity.optional(),
    fact: factName.optional(),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    atLeast: z.number().optional(),
    capability: z.enum(CAPABILITY_IDS as [string, ...string[]]).optional(),
  })
  .strict();

const requirement = z.union(
  [
  z.object({ branch_protection: z.string().min(1) }).strict(),
  z.object({ artifact_signature: z.literal('verified') }).strict(),
  z.object({ sbom: z.literal('generated') }).strict(),
  z.object({ secrets_scan: z.literal('passed') }).strict(),
  z.object({ container_critical_vulns: z.enum(['none', 'none_or_approved_exception']) }).strict(),
  z.object({ deployment_owner: z.literal('service_catalog_match') }).strict(),
  ],
  {
    error:
      'must be one of branch_protection: <branch>, artifact_signature: verified, sbom: generated, secrets_scan: passed, container_critical_vulns: none | none_or_approved_exception, deployment_owner: service_catalog_match',
  },
);

const policy = z
  .object({
    // `enabled: false` switches off a shipped policy (production_release) instead of replacing it.
    enabled: z.boolean().optional(),
    environment: environment.optional(),
    requires: z.array(requirement).min(1).optional(),
  })
  .strict()
  .refine(p => p.enabled === false || p.requires !== undefined, {
    message: 'requires is missing (or set enabled: false to switch the policy off)',
  });

const criterionRule: z.ZodType<any> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('controls'), controls: z.array(controlId).min(1), states: z.array(z.enum(['passing', 'failing', 'excepted', 'stale', 'not_reported'])).min(1) }).strict(),
    z.object({ type: z.literal('fact'), fact: factName, equals: z.union([z.string(), z.number(), z.boolean()]).optional(), atLeast: z.number().optional(), atMost: z.number().optional(), withinDays: days.optional() }).strict(),
    z.object({ type: z.literal('owner') }).strict(),
    z.object({ type: z.literal('severity-policy') }).strict(),
    z.object({ type: z.literal('exception-records') }).strict(),
    z.object({ type: z.literal('traceable-deployment'), environment }).strict(),
    z.object({ type: z.literal('metrics') }).strict(),
    z.object({ type: z.literal('exercise'), scenario: z.enum(['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse']), withinDays: days.optional() }).strict(),
    z.object({ type: z.literal('human-attestation'), kind: z.enum(['control-failure-review', 'template-feedback', 'threat-model-review', 'ci-log-redaction']), withinDays: days.optional() }).strict(),
    z.object({ type: z.literal('all'), rules: z.array(criterionRule).min(1) }).strict(),
    z.object({ type: z.literal('any'), rules: z.array(criterionRule).min(1) }).strict(),
  ]),
);

const stages = z
  .array(
    z
      .object({
        stage: z.number().int().min(1).max(10),
        title: z.string().min(1),
        criteria: z
          .array(
            z
              .object({
                id: z.string().min(1),
                title: z.string().min(1),
                rule: criterionRule,
                capability: z.enum(CAPABILITY_IDS as [string, ...string[]]).optional(),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  )
  .min(1);

/** Days per severity (each optional): the SLA, or a lifecycle's or tier's override of it. */
const slaDays = z.object({ critical: days, high: days, medium: days, low: days, info: days }).partial().strict();

/** The scorecard part of `devsecops` (config.d.ts declares every key; configSchema.test.ts checks). */
export const scorecardConfigSchema = z
  .object({
    severityPolicy: z
      .object({
        slaDays: slaDays,
        byLifecycle: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), slaDays),
        byTier: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), slaDays),
      })
      .partial()
      .strict()
      .optional(),
    metricTargets: z
      .object({ meanTimeToPatchDays: days, meanTimeToRotateDays: days, meanExceptionAgeDays: days, windowDays: days })
      .partial()
      .strict()
      .optional(),
    controls: z.record(controlId, controlOverride).optional(),
    policies: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), policy).optional(),
    maturity: z.object({ stages }).strict().optional(),
    responsibility: responsibilityConfig.optional(),
    scorecard: z
      .object({
        entityKinds: z
          .array(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'must be a catalog kind such as Component'))
          .min(1)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .passthrough();

function describe(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = ['devsecops', ...issue.path]
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
        .join('');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Reads the scorecard's controls, release policies, maturity stages, severity policy and metric
 * targets from app-config over the shipped defaults. Anything invalid stops the backend with the
 * offending key named.
 */
export function readScorecardConfig(root: Config): ScorecardSettings {
  const raw = root.getOptional('devsecops') ?? {};
  const parsed = scorecardConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid devsecops configuration: ${describe(parsed.error)}`);
  }
  const config = parsed.data;

  const configured = applyControlOverrides(DEFAULT_CONTROLS, config.controls ?? {});
  const exploitability = readExploitabilityPolicy(root, configured);
  const controls = withExploitability(configured, exploitability);
  const knownControls = new Set(controls.map(c => c.id));
  const stageDefinitions = (config.maturity?.stages as StageDefinition[] | undefined) ?? DEFAULT_STAGES;
  checkStageControls(stageDefinitions, knownControls, !config.maturity?.stages);

  // Configured policies add to (or replace, by name) the shipped production_release policy.
  const merged: Record<string, { enabled?: boolean; environment?: string; requires?: unknown[] }> = {
    ...DEFAULT_POLICIES,
    ...(config.policies as Record<string, { enabled?: boolean; environment?: string; requires?: unknown[] }>),
  };
  const policies = Object.entries(merged).flatMap(([name, p]) =>
    p.enabled !== false && p.requires
      ? [{ name, environment: p.environment ?? name.replace(/_release$/, ''), requires: p.requires as GateRequirement[] }]
      : [],
  );
  const environments = new Set<string>();
  for (const p of policies) {
    if (environments.has(p.environment)) {
      throw new Error(`Invalid devsecops configuration: devsecops.policies.${p.name}: a second policy for environment ${p.environment}`);
    }
    environments.add(p.environment);
  }

  return {
    evaluation: {
      controls,
      severityPolicy: {
        slaDays: { ...DEFAULT_SLA_DAYS, ...config.severityPolicy?.slaDays },
        ...(config.severityPolicy?.byLifecycle ? { byLifecycle: config.severityPolicy.byLifecycle } : {}),
        ...(config.severityPolicy?.byTier ? { byTier: config.severityPolicy.byTier } : {}),
        configured: config.severityPolicy !== undefined,
      },
      metricTargets: { ...DEFAULT_METRIC_TARGETS, ...config.metricTargets },
      stages: stageDefinitions,
      responsibility: readResponsibilityGroups(config.responsibility),
    },
    policies,
    entityKinds: config.scorecard?.entityKinds ?? DEFAULT_ENTITY_KINDS,
    exploitability,
  };
}

function applyControlOverrides(
  defaults: ControlDefinition[],
  overrides: Record<string, z.infer<typeof controlOverride>>,
): ControlDefinition[] {
  const byId = new Map(defaults.map(c => [c.id, c]));
  for (const [id, o] of Object.entries(overrides)) {
    const path = `devsecops.controls.${id}`;
    const base = byId.get(id);
    if (o.enabled === false) {
      byId.delete(id);
      continue;
    }
    if (!base) {
      // A new control: it needs a stage, a title and a rule.
      if (!o.stage || !o.title || !o.freshnessDays || (!o.fact && !o.failOnSeverity)) {
        throw new Error(
          `Invalid devsecops configuration: ${path}: a new control needs stage, title, freshnessDays and either fact or failOnSeverity`,
        );
      }
    }
    if (o.fact && o.failOnSeverity) {
      throw new Error(`Invalid devsecops configuration: ${path}: use either fact or failOnSeverity, not both`);
    }
    let rule = base?.rule;
    if (o.fact) {
      rule = {
        type: 'fact',
        fact: o.fact,
        equals: o.equals,
        atLeast: o.atLeast,
        // A new fact keeps the shipped runtime-signal check of the control.
        ...(base?.rule.type === 'fact' && base.rule.failOnOpenSignals ? { failOnOpenSignals: base.rule.failOnOpenSignals } : {}),
        ...(base?.rule.type === 'fact' && base.rule.whenObserved ? { whenObserved: base.rule.whenObserved } : {}),
        ...(base?.rule.type === 'fact' && base.rule.monitoredBySignals ? { monitoredBySignals: true } : {}),
      };
    }
    else if (o.failOnSeverity) {
      if (base && base.rule.type !== 'findings') {
        throw new Error(`Invalid devsecops configuration: ${path}.failOnSeverity: ${id} is not decided by findings`);
      }
      rule = { type: 'findings', failOnSeverity: o.failOnSeverity };
    } else if (rule?.type === 'fact' && (o.equals !== undefined || o.atLeast !== undefined)) {
      rule = { ...rule, equals: o.equals ?? rule.equals, atLeast: o.atLeast ?? rule.atLeast };
    }
    byId.set(id, {
      id,
      stage: (o.stage ?? base!.stage) as ControlDefinition['stage'],
      title: o.title ?? base!.title,
      freshnessDays: o.freshnessDays ?? base!.freshnessDays,
      appliesToTypes: o.appliesToTypes ?? base?.appliesToTypes,
      rule: rule!,
      ...((o.capability ?? base?.capability) ? { capability: (o.capability ?? base?.capability) as ControlDefinition['capability'] } : {}),
    });
  }
  return [...byId.values()];
}

function checkStageControls(stageDefinitions: StageDefinition[], known: Set<string>, shipped: boolean) {
  const walk = (rule: any, path: string) => {
    if (rule.type === 'controls') {
      for (const id of rule.controls) {
        if (!known.has(id)) {
          throw new Error(
            shipped
              ? `Invalid devsecops configuration: devsecops.controls.${id}.enabled: the shipped maturity stages use ${id} (${path}); configure devsecops.maturity.stages without it before disabling it`
              : `Invalid devsecops configuration: ${path}: unknown control ${id}`,
          );
        }
      }
    }
    if (rule.type === 'all' || rule.type === 'any') rule.rules.forEach((r: any, i: number) => walk(r, `${path}.rules[${i}]`));
  };
  stageDefinitions.forEach((stage, s) =>
    stage.criteria.forEach((criterion, c) =>
      walk(criterion.rule, `devsecops.maturity.stages[${s}].criteria[${c}].rule`),
    ),
  );
}
