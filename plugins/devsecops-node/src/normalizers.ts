import { InputError } from '@backstage/errors';

/** Severity scale every tool's own scale is mapped onto. @public */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** One problem a scanner reported, in the scorecard's vocabulary. @public */
export interface NormalizedFinding {
  /** Rule id, CVE/GHSA id or secret detector id. */
  ruleId: string;
  severity: Severity;
  title: string;
  /** File and line, or package@version, depending on the kind of scan. */
  location?: string;
  fixedVersion?: string;
  /** Stable identity of the problem across scans; never a tool's unstable fingerprint. */
  fingerprint: string;
}

/** What a normaliser makes of one uploaded document. @public */
export interface NormalizedReport {
  tool: string;
  findings: NormalizedFinding[];
}

/**
 * Turns one report format into normalised findings. One normaliser per format; it must never keep
 * a secret value from the document in what it returns.
 * @public
 */
export interface ReportNormalizer {
  /** Stable format id used in the API, e.g. `sarif` or `cyclonedx`. */
  id: string;
  title: string;
  /** The pipeline control this format evidences unless the uploader names another. */
  defaultControl: string;
  /** True when the parsed document is in this format. */
  detect(document: unknown): boolean;
  normalize(document: unknown): NormalizedReport;
}

/**
 * The set of formats the backend (and the CLI) understand, in the order detection tries them.
 * @public
 */
export class NormalizerRegistry {
  private readonly normalizers = new Map<string, ReportNormalizer>();

  add(...normalizers: ReportNormalizer[]): void {
    for (const normalizer of normalizers) {
      if (!/^[a-z][a-z0-9-]*$/.test(normalizer.id)) {
        throw new InputError(
          `Report format id '${normalizer.id}' is invalid: use lowercase letters, digits and dashes`,
        );
      }
      if (this.normalizers.has(normalizer.id)) {
        throw new InputError(
          `Report format '${normalizer.id}' is registered twice`,
        );
      }
      this.normalizers.set(normalizer.id, normalizer);
    }
  }

  list(): ReportNormalizer[] {
    return [...this.normalizers.values()];
  }

  get(id: string): ReportNormalizer | undefined {
    return this.normalizers.get(id);
  }

  /** The first registered format whose detector accepts the document. */
  detect(document: unknown): ReportNormalizer | undefined {
    return this.list().find(n => n.detect(document));
  }
}
