import { LoggerService } from '@backstage/backend-plugin-api';
import { RegressionAlertStore } from '../store/RegressionAlertStore';
import { SummaryStore } from '../store/SummaryStore';
import { RegressionAlerts } from './RegressionAlerts';
import { STALE_SOON, staleSoonCauses } from './staleSoon';

/** Days before a passing control's evidence leaves its freshness window when its owners are told. */
export const STALE_SOON_WARN_DAYS = 7;

/**
 * The daily warning that evidence is about to go stale: every stored scorecard's passing controls
 * whose newest evidence leaves its freshness window within 7 days notify the owning team and the
 * followers (topic `devsecops-evidence-stale-soon`), once per entity and control until the control
 * leaves the window (new evidence, or stale); claimed like every regression alert, so two
 * instances running the daily job send each once.
 */
export class StaleSoonWarnings {
  constructor(
    private readonly options: {
      summaries: Pick<SummaryStore, 'entityRefs' | 'storedScorecards'>;
      store: Pick<RegressionAlertStore, 'claimedWithPrefix'>;
      alerts: Pick<RegressionAlerts, 'tell'>;
      freshnessDays: (controlId: string) => number | undefined;
      logger: LoggerService;
      warnDays?: number;
      now?: () => Date;
    },
  ) {}

  /** Returns how many warnings were sent. */
  async run(): Promise<number> {
    const { summaries, store, alerts } = this.options;
    const now = this.options.now?.() ?? new Date();
    const warnDays = this.options.warnDays ?? STALE_SOON_WARN_DAYS;
    const claimed = await store.claimedWithPrefix(STALE_SOON);
    const claimedBy = new Map<string, string[]>();
    for (const key of claimed) {
      const [entityRef, cause] = key.split(' ');
      claimedBy.set(entityRef, [...(claimedBy.get(entityRef) ?? []), cause]);
    }
    const refs = await summaries.entityRefs();
    let sent = 0;
    for (let i = 0; i < refs.length; i += 500) {
      for (const scorecard of (await summaries.storedScorecards(refs.slice(i, i + 500))).values()) {
        const causes = staleSoonCauses(scorecard, this.options.freshnessDays, now, warnDays);
        const inWindow = new Set(causes.map(c => c.cause));
        // Controls that left the window end their cause, so the next approach warns again.
        const ended = (claimedBy.get(scorecard.entityRef) ?? []).filter(cause => !inWindow.has(cause)).map(cause => ({ cause }));
        const fresh = causes.filter(c => !claimed.has(`${scorecard.entityRef} ${c.cause}`));
        if (fresh.length + ended.length > 0) sent += await alerts.tell(scorecard, [...fresh, ...ended]);
      }
    }
    if (sent > 0) this.options.logger.info(`Evidence going stale: ${sent} warnings sent`);
    return sent;
  }
}
