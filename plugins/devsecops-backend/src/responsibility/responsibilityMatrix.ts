import {
  CAPABILITIES,
  ControlDefinition,
  ResponsibilityItem,
  ResponsibilityMatrix,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { EvaluationConfig } from '../evaluate/types';

/**
 * The whole responsibility model as configured (GET /v1/responsibility): each capability of the
 * seed's table with its duties, the controls and maturity criteria that name it, and the groups
 * that provide and decide. The product team is each entity's owner, so it is named per entity
 * (in the scorecard), not here. Controls and criteria that name no capability are left out.
 */
export function responsibilityMatrix(
  controls: ControlDefinition[],
  evaluation: Pick<EvaluationConfig, 'stages' | 'responsibility'>,
): ResponsibilityMatrix {
  const items: Array<ResponsibilityItem & { capability?: string }> = [
    ...controls.map(c => ({ kind: 'control' as const, id: c.id, title: c.title, stage: c.stage, capability: c.capability })),
    ...[...evaluation.stages]
      .sort((a, b) => a.stage - b.stage)
      .flatMap(stage =>
        stage.criteria.map(c => ({ kind: 'criterion' as const, id: c.id, title: c.title, stage: stage.stage, capability: c.capability })),
      ),
  ];
  return {
    groups: evaluation.responsibility ?? {},
    capabilities: CAPABILITIES.map(capability => ({
      ...capability,
      items: items.filter(i => i.capability === capability.id).map(({ capability: _, ...item }) => item),
    })),
  };
}
