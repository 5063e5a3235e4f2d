import { UnsupportedFormatError } from './errors';
import { builtInNormalizers } from './formats';
import { parseReportBody } from './parse';
import { NormalizerRegistry } from './registry';
import { readFixture } from '../testUtils/fixtures';

/** One real report of each built-in format (with findings, so detection is unambiguous). */
const SAMPLES: Record<string, string> = {
  sarif: 'sarif/codeql-2.5.4-python-72results.sarif',
  cyclonedx: 'cyclonedx/dd-cdx-1.5-102comps-10vulns-info-severity.json',
  spdx: 'spdx/dd-syft-spdx-2.3-no-vulns.json',
  trivy: 'trivy/fs-npm-with-suppressed-vex.json',
  grype: 'grype/grype-golden-image.json',
  'osv-scanner': 'osv/osv-multi-cwe-fabricated.json',
  semgrep: 'semgrep/semgrep-json-severities.json',
  checkov: 'iac/checkov-v1-many.json',
  kics: 'iac/kics-no-findings.json',
  tfsec: 'iac/tfsec-current.json',
  gitleaks: 'gitleaks/dd-v7.5-legacy.json',
  trufflehog: 'trufflehog/v3-git.jsonl',
  'openssf-scorecard': 'scorecard/scorecard-oidc-test-results.json',
  openvex: 'openvex/vexctl-openvex-demo.vex.json',
};

const registry = new NormalizerRegistry();
registry.add(...builtInNormalizers);
const ids = builtInNormalizers.map(n => n.id);
const titleOf = (id: string) => registry.get(id)!.title;

function refusal(body: string | Buffer, format: string): Error | undefined {
  try {
    registry.resolve(parseReportBody(body), format);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('a named format must match the body', () => {
  it('covers every built-in format', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ids].sort());
  });

  it.each(ids)('each sample is detected as its own format (%s)', id => {
    expect(registry.resolve(parseReportBody(readFixture(SAMPLES[id]))).id).toBe(id);
    expect(refusal(readFixture(SAMPLES[id]), id)).toBeUndefined();
  });

  describe.each(ids)('format=%s', named => {
    it.each(ids.filter(other => other !== named))(
      'refuses a %s report with 415 naming what it looks like',
      other => {
        const error = refusal(readFixture(SAMPLES[other]), named);
        expect(error).toBeInstanceOf(UnsupportedFormatError);
        expect((error as UnsupportedFormatError).statusCode).toBe(415);
        expect(error!.message).toMatch(
          new RegExp(
            `^The body is not an? ${escape(titleOf(named))} report \\(it looks like an? ${escape(
              titleOf(other),
            )} report; format '${other}'\\)$`,
          ),
        );
      },
    );

    it('refuses any other JSON object with 415', () => {
      const error = refusal('{"hello":"world","count":3}', named);
      expect(error).toBeInstanceOf(UnsupportedFormatError);
      expect(error!.message).toBe(
        `The body is not a${/^[aeiou]/i.test(titleOf(named)) ? 'n' : ''} ${titleOf(
          named,
        )} report (it matches no known format: an object with keys hello, count)`,
      );
    });

    it.each(['', 'null', '[]', '{}'])('leaves the empty body %p to the format', body => {
      expect(refusal(body, named)).toBeUndefined();
    });
  });

  it('a Grype report named trivy is refused, not read as a clean scan', () => {
    expect(refusal(readFixture('grype/grype-golden-image.json'), 'trivy')?.message).toBe(
      "The body is not a Trivy JSON report (it looks like a Grype JSON report; format 'grype')",
    );
  });

  it.each([
    ['tfsec', '{"results": []}'],
    ['tfsec', '{"results": null}'],
    ['checkov', '{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0}'],
    ['osv-scanner', '{"results": []}'],
    ['semgrep', '{"results": []}'],
    ['trivy', '{"SchemaVersion": 2}'],
    ['grype', '{"matches": []}'],
    ['sarif', '{"version": "2.0.0", "runs": []}'],
    ['cyclonedx', '{"bomFormat": "AnotherFormat", "specVersion": "1.5"}'],
    ['trufflehog', '{"level":"info-0","msg":"finished scanning"}'],
  ])('still takes what only a named %s can be: %s', (format, body) => {
    expect(refusal(body, format)).toBeUndefined();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
