import { Knex } from 'knex';
import { ReportStore } from './ReportStore';
import { FindingStore } from './FindingStore';
import { ArtifactStore } from './ArtifactStore';
import { DeploymentStore } from './DeploymentStore';
import { FactStore } from './FactStore';
import { GateDecisionStore } from './GateDecisionStore';
import { ExceptionStore } from './ExceptionStore';
import { EvidenceLogStore } from './EvidenceLogStore';
import { SummaryStore } from './SummaryStore';
import { RuntimeSignalStore } from './RuntimeSignalStore';
import { RuntimeMonitorStore } from './RuntimeMonitorStore';
import { ExerciseStore } from './ExerciseStore';
import { HumanAttestationStore } from './HumanAttestationStore';
import { FeedStore } from './FeedStore';
import { ComponentSearchQueries } from './ComponentSearchQueries';
import { CampaignStore } from './CampaignStore';
import { TicketStore } from '../tickets/TicketStore';

/** Every store the composition root shares between services; each owns its tables. */
export function createStores(knex: Knex) {
  return {
    reports: new ReportStore(knex),
    findings: new FindingStore(knex),
    artifacts: new ArtifactStore(knex),
    deployments: new DeploymentStore(knex),
    facts: new FactStore(knex),
    decisions: new GateDecisionStore(knex),
    exceptions: new ExceptionStore(knex),
    evidenceLog: new EvidenceLogStore(knex),
    summaries: new SummaryStore(knex),
    runtimeSignals: new RuntimeSignalStore(knex),
    runtimeMonitors: new RuntimeMonitorStore(knex),
    exercises: new ExerciseStore(knex),
    humanAttestations: new HumanAttestationStore(knex),
    feeds: new FeedStore(knex),
    components: new ComponentSearchQueries(knex),
    campaigns: new CampaignStore(knex),
    tickets: new TicketStore(knex),
  };
}
