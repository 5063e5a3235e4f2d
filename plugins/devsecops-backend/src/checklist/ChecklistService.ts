import { parseEntityRef } from '@backstage/catalog-model';
import {
  CHECKLIST_ITEMS,
  ChecklistItemId,
  ChecklistState,
  EntityChecklist,
  ScopeChecklist,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { EntityLookup } from '../catalog/EntityResolver';
import { evaluateChecklist } from '../evaluate/checklist';
import { evaluateEntity } from '../evaluate/scorecard';
import { EntityFacts } from '../evaluate/types';
import { RollupService } from '../scorecard/RollupService';
import { entityFacts, EvidenceLoader, EvidenceLoaderOptions } from '../scorecard/EvidenceLoader';

/** Services evaluated for one team's or the org's checklist, in entity-ref order. */
export const MAX_CHECKLIST_ENTITIES = 200;

const STATES: ChecklistState[] = ['met', 'unmet', 'not_measured', 'not_applicable'];

/**
 * The DevSecOps checklist (issue 15 item 9): per service, from the same evidence the scorecard
 * reads, evaluated now by the pure core (evaluate/checklist); per team or org, each item counted
 * over the services in scope. Reads only; nothing is stored.
 */
export class ChecklistService {
  private readonly evidence: EvidenceLoader;

  constructor(
    private readonly o: EvidenceLoaderOptions & { rollups: RollupService; now?: () => Date; maxEntities?: number },
  ) {
    this.evidence = new EvidenceLoader(o);
  }

  async forEntity(lookup: EntityLookup): Promise<EntityChecklist> {
    const { entity } = await this.o.entities.resolve(lookup);
    return this.evaluate(entityFacts(entity), this.o.now?.() ?? new Date());
  }

  async forScope(query: { group?: string }): Promise<ScopeChecklist> {
    const now = this.o.now?.() ?? new Date();
    const { scope, summaries } = await this.o.rollups.scoped({ group: query.group });
    const max = this.o.maxEntities ?? MAX_CHECKLIST_ENTITIES;
    const inScope = [...summaries].sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    const entities: ScopeChecklist['entities'] = [];
    const notMeasuredHow = new Map<ChecklistItemId, string>();
    for (const s of inScope.slice(0, max)) {
      const checklist = await this.evaluate(
        { entityRef: s.entityRef, kind: parseEntityRef(s.entityRef).kind, type: s.type, ownerRef: s.ownerRef, lifecycle: s.lifecycle },
        now,
      );
      for (const item of checklist.items) {
        if (item.howToMeasure && item.state === 'not_measured' && !notMeasuredHow.has(item.id)) notMeasuredHow.set(item.id, item.howToMeasure);
      }
      entities.push({
        entityRef: s.entityRef,
        ownerRef: s.ownerRef,
        states: Object.fromEntries(checklist.items.map(i => [i.id, i.state])) as Record<ChecklistItemId, ChecklistState>,
      });
    }
    return {
      scope: scope.kind === 'group' ? { kind: 'group', ref: scope.ref } : { kind: 'org' },
      entityCount: entities.length,
      truncated: inScope.length > max,
      evaluatedAt: now.toISOString(),
      items: CHECKLIST_ITEMS.map(item => {
        const counts = Object.fromEntries(STATES.map(st => [st, 0])) as Record<ChecklistState, number>;
        for (const e of entities) counts[e.states[item.id]]++;
        const how = notMeasuredHow.get(item.id);
        return { id: item.id, title: item.title, counts, ...(how ? { howToMeasure: how } : {}) };
      }),
      entities,
    };
  }

  private async evaluate(facts: EntityFacts, now: Date): Promise<EntityChecklist> {
    const evidence = await this.evidence.load(facts, now);
    const card = evaluateEntity(evidence, this.o.settings.evaluation, now);
    return {
      entityRef: facts.entityRef,
      ...(facts.ownerRef ? { ownerRef: facts.ownerRef } : {}),
      evaluatedAt: now.toISOString(),
      items: evaluateChecklist(evidence, card, now),
    };
  }
}
