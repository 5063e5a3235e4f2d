import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ControlFailure, HumanAttestation, PendingControlFailureReview } from '@devsecops-scorecard/plugin-devsecops-common';
import { ControlCatalog } from '../config/ControlCatalog';
import { byReviewOrder, indexReviewed, pendingFailures } from '../evaluate/controlFailures';
import { RollupService } from '../scorecard/RollupService';
import { HumanAttestationStore } from '../store/HumanAttestationStore';
import { SnapshotRunQueries } from '../store/SnapshotRunQueries';
import { organisationGroup } from './orgGroup';
import { SummaryStore } from '../store/SummaryStore';

const KIND = 'control-failure-review';
// A scope's reviews whose keys are remembered: years of monthly reviews.
const REVIEWS_READ = 500;

/**
 * What the next control-failure review of a team (or the org) has to look at: every control that
 * failed (or was excepted) for one of its services since the previous review and that no review
 * has covered, from the daily snapshots and today's summaries; the previous review is the newest
 * `control-failure-review` attestation of the scope. Signing off is recording that attestation
 * with the failures' keys (`POST /v1/human-attestations`).
 */
export class ControlFailureReviewService {
  constructor(
    private readonly o: {
      rollups: RollupService;
      summaries: SummaryStore;
      attestations: HumanAttestationStore;
      controls: ControlCatalog;
      catalog: CatalogService;
      auth: AuthService;
      /** The snapshots' control states as runs (only the days a state changed). */
      snapshots: SnapshotRunQueries;
      /** Days looked back when the scope has never been reviewed. */
      windowDays: number;
    },
  ) {}

  async pending(query: { group?: string; lifecycle?: string }, now = new Date()): Promise<PendingControlFailureReview> {
    const { scope, summaries } = await this.o.rollups.scoped({ group: query.group, lifecycle: query.lifecycle });
    const signOffScopeRef = scope.kind === 'group' ? scope.ref : await organisationGroup(this.o.catalog, this.o.auth);
    const reviews = signOffScopeRef ? await this.reviewsOf(signOffScopeRef) : [];
    const previous = reviews[0];
    const today = now.toISOString().slice(0, 10);
    const dayAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    // Since the previous review (history goes back 730 days at most), else the window.
    const since = previous ? [previous.date, dayAgo(730)].sort()[1] : dayAgo(this.o.windowDays);
    const reviewed = indexReviewed(reviews.flatMap(r => failureKeys(r)));

    // Only the run boundaries of the snapshots before today (today's summary stands for today):
    // bounded by how often states change, not by entities × days.
    const byEntity = await this.o.snapshots.controlStateRuns(
      summaries.map(s => s.entityRef),
      since,
      today,
    );
    const controlTitle = (id: string) => this.o.controls.get(id)?.title ?? id;
    const failures: ControlFailure[] = summaries.flatMap(summary =>
      pendingFailures({
        entityRef: summary.entityRef,
        ownerRef: summary.ownerRef,
        points: [...(byEntity.get(summary.entityRef) ?? []), { day: today, controlStates: summary.controlStates }],
        since,
        today,
        reviewed,
        controlTitle,
      }),
    );
    return {
      scope: scope.kind === 'group' ? { kind: 'group', ref: scope.ref } : { kind: 'org' },
      ...(signOffScopeRef ? { signOffScopeRef } : {}),
      ...(previous
        ? {
            previousReview: {
              id: previous.id,
              date: previous.date,
              recordedBy: previous.recordedBy,
              failuresReviewed: Number(previous.details.failuresReviewed ?? failureKeys(previous).length),
            },
          }
        : {}),
      since,
      windowDays: this.o.windowDays,
      entityCount: summaries.length,
      failures: failures.sort(byReviewOrder),
    };
  }

  /** The scope's reviews, newest first (expired ones included: what they covered stays covered). */
  private async reviewsOf(scopeRef: string): Promise<HumanAttestation[]> {
    const page = await this.o.attestations.list({ scopeRefs: [scopeRef], kind: KIND, limit: REVIEWS_READ, offset: 0 });
    return page.items;
  }
}

/** The failure keys a review recorded (`failures`), ignoring anything that is not a string. */
function failureKeys(review: HumanAttestation): string[] {
  const failures = review.details.failures;
  return Array.isArray(failures) ? failures.filter((f): f is string => typeof f === 'string') : [];
}
