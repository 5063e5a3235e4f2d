import { createHmac } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  NormalizedFinding,
  NormalizerRegistry,
  ReportNormalizer,
  builtInNormalizers,
  parseReportBody,
  sarifNormalizer,
} from '@devsecops-scorecard/plugin-devsecops-node';
import {
  GithubAlert,
  GithubPullProvider,
  GithubRepoSnapshot,
} from './GithubPullProvider';
import { DevsecopsWriter, syncEntity } from './sync';
import { fixture } from './__testUtils__/fixtures';

const open = (alerts: GithubAlert[]) => alerts.filter(a => a.state === 'open');

const codeScanning: GithubAlert[] = [
  ...fixture('code-scanning-alert-items.json'),
  ...fixture('dd-code-scanning-alerts-many.json'),
];
const dependabot: GithubAlert[] = [
  ...fixture('dependabot-alerts-for-repository.json'),
  fixture('dependabot-alert-open.json'),
];
const secrets: GithubAlert[] = [
  ...fixture('secret-scanning-alert-list.json'),
  fixture('secret-scanning-alert-open.json'),
];

/** Where each kind of GitHub alert must count, and how many open alerts of that kind there are. */
const INTENDED = [
  { control: 'sast', alerts: open(codeScanning).length },
  { control: 'dependency-scan', alerts: open(dependabot).length },
  { control: 'secret-scanning', alerts: open(secrets).length },
];

const snapshot: GithubRepoSnapshot = {
  slug: 'acme/payments',
  host: 'github.com',
  defaultBranch: 'main',
  branchProtection: null,
  branchRules: [],
  securityAndAnalysis: undefined,
  codeScanningAlerts: codeScanning,
  dependabotAlerts: dependabot,
  secretScanningAlerts: secrets,
  observedAt: new Date('2026-01-01T00:00:00Z'),
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: { 'github.com/project-slug': 'acme/payments' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

/** The uploads the module makes for the snapshot, as `POST /v1/reports` would receive them. */
async function uploads() {
  const made: Array<{ body: string; query: Record<string, string> }> = [];
  const writer: DevsecopsWriter = {
    postFacts: async () => {},
    postReport: async (_entityRef, body, query) =>
      void made.push({ body, query }),
  };
  const provider = {
    host: 'github.com',
    read: async () => snapshot,
  } as unknown as GithubPullProvider;
  await syncEntity(entity, [provider], writer);
  return made;
}

const context = {
  secretFingerprint: (secret: string) =>
    createHmac('sha256', 'test-key').update(secret).digest('hex'),
};

/**
 * Normalises one upload the way the backend ingests it: the named format from the registry, then
 * the uploader's `control` (when given) for every finding (`applyControlOverride` in the backend's
 * ReportIngestService); otherwise each finding keeps the control the normaliser chose.
 */
function landedControls(
  registry: NormalizerRegistry,
  upload: { body: string; query: Record<string, string> },
) {
  const parsed = parseReportBody(upload.body);
  const report = registry.resolve(parsed, upload.query.format).normalize(parsed, context);
  const control = upload.query.control;
  return {
    controls: control ? [control] : report.controls,
    findings: report.findings.map(f => control ?? f.control),
  };
}

function registryOf(...normalizers: ReportNormalizer[]) {
  const registry = new NormalizerRegistry();
  registry.add(...normalizers);
  return registry;
}

describe('GitHub alerts land on their control through the real normalisers', () => {
  it('every open alert of each kind counts against its intended control', async () => {
    const registry = registryOf(...builtInNormalizers);
    const made = await uploads();
    expect(made).toHaveLength(INTENDED.length);
    made.forEach((upload, i) => {
      const landed = landedControls(registry, upload);
      expect(landed.controls).toEqual([INTENDED[i].control]);
      expect(landed.findings).toHaveLength(INTENDED[i].alerts);
      expect(new Set(landed.findings)).toEqual(new Set([INTENDED[i].control]));
    });
    expect(INTENDED.every(k => k.alerts > 0)).toBe(true);
  });

  it('does not depend on the SARIF parser recognising the driver names', async () => {
    // A SARIF normaliser that no longer recognises any tool name puts everything on one control.
    const unrecognising: ReportNormalizer = {
      ...sarifNormalizer,
      normalize: (report, ctx) => {
        const normalized = sarifNormalizer.normalize(report, ctx);
        return {
          ...normalized,
          controls: ['sast'],
          findings: normalized.findings.map(
            (f): NormalizedFinding => ({ ...f, kind: 'sast', control: 'sast' }),
          ),
        };
      },
    };
    const registry = registryOf(unrecognising);
    const made = await uploads();
    made.forEach((upload, i) => {
      const landed = landedControls(registry, upload);
      expect(landed.controls).toEqual([INTENDED[i].control]);
      expect(new Set(landed.findings)).toEqual(new Set([INTENDED[i].control]));
    });
  });
});
