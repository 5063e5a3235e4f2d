import { LoggerService } from '@backstage/backend-plugin-api';
import { NormalizedFinding, osvScannerNormalizer } from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { PayloadTooLargeError } from '../ingest/errors';
import { decompressBody } from '../ingest/reportBody';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { AdvisoryMatch } from '../store/advisoryFindings';
import { AdvisoryMatchQueries, StoredComponent } from '../store/AdvisoryMatchQueries';
import { FeedStore } from '../store/FeedStore';
import { FindingStore } from '../store/FindingStore';
import { OsvAdvisory, parseOsvAdvisories } from './osvAdvisories';
import { affectsVersion, candidateNames, osvPackageOfPurl, samePackage } from './osvMatch';

/** Which stored SBOMs an import matches: those of artifacts deployed now (default), or all. */
export type OsvMatchScope = 'deployed' | 'all';

export interface OsvImportResult {
  feed: 'osv';
  advisories: number;
  withdrawn: number;
  sboms: OsvMatchScope;
  /** Stored SBOM components an advisory affects. */
  componentsMatched: number;
  findingsOpened: number;
  findingsResolved: number;
  entitiesChanged: number;
}

/**
 * Re-matches stored SBOMs when advisory data arrives (issue 20 item 6): an OSV advisory set is
 * matched against the stored SBOM components (by ecosystem, package and the advisory's ranges) and
 * the matches become findings of tool `osv-advisory-match` on the component's entity — control
 * container-scan for an artifact's SBOM (so the release gate sees them), dependency-scan for a
 * source SBOM — without a rescan. Severity, CVE, aliases and fixed versions are read from the
 * advisory as the osv-scanner normaliser reads them. The affected entities are re-evaluated.
 */
export class OsvMatchService {
  constructor(
    private readonly o: {
      knex: Knex;
      logger: LoggerService;
      feeds: FeedStore;
      findings: FindingStore;
      queries: AdvisoryMatchQueries;
      /** devsecops.exploitability.feeds.maxBytes: the bound on the upload, packed or unpacked. */
      maxBytes: number;
      onEvidenceChanged: OnEvidenceChanged;
      now?: () => Date;
    },
  ) {}

  async import(body: Buffer, importedBy: string, sboms: OsvMatchScope): Promise<OsvImportResult> {
    const raw = unpack(body, this.o.maxBytes);
    const advisories = parseOsvAdvisories(raw, this.o.maxBytes);
    const now = this.o.now?.() ?? new Date();
    const live = advisories.filter(a => !a.withdrawn);

    const components = await this.o.queries.componentsNamed(live.flatMap(a => a.affected.flatMap(candidateNames)));
    const deployed = sboms === 'deployed' ? await this.o.queries.deployedArtifacts(components.map(c => c.entityRef)) : undefined;
    const inScope = components.filter(c => !deployed || (c.artifactDigest !== '' && deployed.has(`${c.entityRef}\u0000${c.artifactDigest}`)));
    // Each advisory reads only the components named as its packages may be named.
    const byName = new Map<string, StoredComponent[]>();
    for (const c of inScope) {
      const named = byName.get(c.name);
      if (named) named.push(c);
      else byName.set(c.name, [c]);
    }
    const matches = live.flatMap(advisory =>
      matchAdvisory(advisory, [...new Set(advisory.affected.flatMap(candidateNames).flatMap(n => byName.get(n) ?? []))]),
    );

    const applied = await this.o.knex.transaction(async tx => {
      const result = await this.o.findings.applyAdvisoryMatches(
        tx,
        advisories.map(a => a.id),
        matches,
        now,
      );
      const newest = advisories.map(a => a.modified ?? '').sort().pop();
      await this.o.feeds.recordImport(
        tx,
        'osv',
        {
          version: advisories.length === 1 ? advisories[0].id : `${advisories.length} advisories`,
          publishedOn: /^\d{4}-\d{2}-\d{2}/.test(newest ?? '') ? newest!.slice(0, 10) : now.toISOString().slice(0, 10),
          bodySha256: createHash('sha256').update(raw).digest('hex'),
          source: 'upload',
          importedBy,
        },
        advisories.length,
        now,
      );
      return result;
    });
    if (applied.entities.length > 0) await this.o.onEvidenceChanged(applied.entities);
    const withdrawn = advisories.length - live.length;
    this.o.logger.info(
      `OSV import of ${advisories.length} advisories (${withdrawn} withdrawn) by ${importedBy}: ${matches.length} components matched in ${sboms} SBOMs, ${applied.opened} findings opened, ${applied.resolved} resolved`,
    );
    return {
      feed: 'osv',
      advisories: advisories.length,
      withdrawn,
      sboms,
      componentsMatched: matches.length,
      findingsOpened: applied.opened,
      findingsResolved: applied.resolved,
      entitiesChanged: applied.entities.length,
    };
  }
}

/** The findings one advisory gives the stored components it affects. */
function matchAdvisory(advisory: OsvAdvisory, components: StoredComponent[]): AdvisoryMatch[] {
  const out: AdvisoryMatch[] = [];
  for (const component of components) {
    const pkg = osvPackageOfPurl(component.purl);
    if (!pkg) continue;
    const entries = advisory.affected.filter(a => samePackage(a, pkg));
    if (!entries.some(a => affectsVersion(a, component.version))) continue;
    const finding = asFinding(advisory, entries[0].name, entries[0].ecosystem, component);
    if (!finding) continue;
    out.push({
      entityRef: component.entityRef,
      ...(component.ownerRef ? { ownerRef: component.ownerRef } : {}),
      control: component.artifactDigest ? 'container-scan' : 'dependency-scan',
      scopeDigest: component.artifactDigest,
      reportId: component.reportId,
      finding,
    });
  }
  return out;
}

/**
 * The advisory read as osv-scanner would report it for this package and version (one source of
 * truth for severity from CVSS or the GHSA label, CVE preference, aliases and the fix), with the
 * component's purl.
 */
function asFinding(advisory: OsvAdvisory, name: string, ecosystem: string, component: StoredComponent): NormalizedFinding | undefined {
  // The normaliser reads the fixes of the advisory's entries for this package name and ecosystem.
  const doc = { results: [{ packages: [{ package: { name, version: component.version, ecosystem }, vulnerabilities: [advisory.record] }] }] };
  const [finding] = osvScannerNormalizer.normalize({ shape: 'json', value: doc }, { secretFingerprint: () => '' }).findings;
  if (!finding) return undefined;
  return {
    ...finding,
    control: component.artifactDigest ? 'container-scan' : 'dependency-scan',
    component: { ...finding.component, name: component.name, version: component.version, purl: component.purl },
  };
}

function unpack(body: Buffer, maxBytes: number): Buffer {
  try {
    return decompressBody(body, maxBytes, 'The OSV advisory set');
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      throw new PayloadTooLargeError(
        `The OSV advisory set is larger than ${maxBytes} bytes, packed or unpacked (devsecops.exploitability.feeds.maxBytes)`,
      );
    }
    throw error;
  }
}
