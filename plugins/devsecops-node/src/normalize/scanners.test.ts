import { grypeNormalizer, sarifNormalizer, semgrepNormalizer, trivyNormalizer } from './formats';
import { parseReportBody } from './parse';
import { ReportNormalizer } from './types';
import { readFixture } from '../testUtils/fixtures';

const context = { secretFingerprint: (s: string) => `hmac:${s.length}` };
const normalize = (normalizer: ReportNormalizer, file: string) =>
  normalizer.normalize(parseReportBody(readFixture(file)), context);
const scannerMap = (scanners?: Array<{ name: string; controls: string[] }>) =>
  scanners && Object.fromEntries(scanners.map(s => [s.name, s.controls]));

describe("multi-scanner reports name the tool's scanners and the controls each covers", () => {
  it('Trivy JSON: vuln follows the artifact type (image → container-scan, repository → dependency-scan)', () => {
    expect(scannerMap(normalize(trivyNormalizer, 'trivy/image-alpine-310.json').scanners)).toEqual({
      vuln: ['container-scan'],
      misconfig: ['iac-lint'],
      secret: ['secret-scanning'],
      license: [],
    });
    // A repository scan that found only secrets: its clean vulnerability scan left no result.
    const secrets = normalize(trivyNormalizer, 'trivy/secrets-repo.json');
    expect(secrets.controls).toEqual(['secret-scanning']);
    expect(scannerMap(secrets.scanners)?.vuln).toEqual(['dependency-scan']);
  });

  it('Trivy SARIF lists the same scanners; other SARIF tools and single-scanner formats none', () => {
    expect(scannerMap(normalize(sarifNormalizer, 'sarif/trivy-alpine-310.sarif').scanners)).toEqual({
      vuln: ['container-scan'],
      misconfig: ['iac-lint'],
      secret: ['secret-scanning'],
      license: [],
    });
    expect(normalize(sarifNormalizer, 'sarif/grype-image.sarif').scanners).toBeUndefined();
    expect(normalize(sarifNormalizer, 'sarif/edge-no-runs.sarif').scanners).toBeUndefined();
    expect(normalize(grypeNormalizer, 'grype/grype-golden-image.json').scanners).toBeUndefined();
  });

  it("Semgrep CLI JSON names Semgrep's products", () => {
    expect(scannerMap(normalize(semgrepNormalizer, 'semgrep/semgrep-json-severities.json').scanners)).toEqual({
      code: ['sast'],
      secrets: ['secret-scanning'],
      'supply-chain': ['dependency-scan'],
    });
  });
});
