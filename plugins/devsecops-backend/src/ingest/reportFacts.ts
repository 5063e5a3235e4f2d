import { ControlFact, factCounts } from '@devsecops-scorecard/plugin-devsecops-common';
import { NormalizedReport } from '@devsecops-scorecard/plugin-devsecops-node';

/** The facts API's fact names; a report's facts follow them too. */
const FACT_NAME = /^[a-z][a-z0-9_.-]{0,127}$/;

/**
 * The control facts a report states (OpenSSF Scorecard's check scores), as recorded with it: the
 * format is their source, the scan's time their observation time, the uploader their recorder.
 * A name outside the facts API's pattern, or a fact with its own source another format must
 * state (`factCounts`: an audit export, an exercise, a heartbeat …), is a normaliser's bug,
 * refused before anything is written.
 */
export function reportFactRecords(
  report: NormalizedReport,
  context: { entityRef: string; source: string; observedAt: Date; recordedBy: string; recordedAt: Date },
): ControlFact[] {
  return (report.facts ?? []).map(({ fact, value }) => {
    if (!FACT_NAME.test(fact) || value === undefined || !factCounts({ fact, source: context.source })) {
      throw new Error(`The ${context.source} normaliser stated an invalid fact ${JSON.stringify(fact)}`);
    }
    return {
      entityRef: context.entityRef,
      fact,
      value,
      source: context.source,
      observedAt: context.observedAt.toISOString(),
      recordedBy: context.recordedBy,
      recordedAt: context.recordedAt.toISOString(),
    };
  });
}
