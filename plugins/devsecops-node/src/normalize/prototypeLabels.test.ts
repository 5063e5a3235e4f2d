import {
  checkovNormalizer,
  cyclonedxNormalizer,
  grypeNormalizer,
  kicsNormalizer,
  osvScannerNormalizer,
  sarifNormalizer,
  semgrepNormalizer,
  tfsecNormalizer,
  trivyNormalizer,
} from './formats';
import { severityFromLabel } from './helpers';
import { redactReport, serializeReport } from './redact';
import { NormalizedReport, ReportNormalizer, SEVERITIES } from './types';

/** Labels that are names of Object.prototype members: unknown labels like any other. */
const LABELS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const context = { secretFingerprint: (s: string) => `hmac:${s.length}` };

/** Normalises a document given as JSON text, so `__proto__` is an own key as in a real body. */
function run(normalizer: ReportNormalizer, json: string): NormalizedReport {
  return normalizer.normalize({ shape: 'json', value: JSON.parse(json) }, context);
}

/** Each format with the label in its severity field, and what an unknown label maps to (FORMATS.md). */
const cases: Array<[string, ReportNormalizer, (label: string) => string, string]> = [
  [
    'Trivy Severity',
    trivyNormalizer,
    l =>
      `{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"package-lock.json","Class":"lang-pkgs","Type":"npm","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-1","PkgName":"a","Severity":${JSON.stringify(l)}}]}]}`,
    'info',
  ],
  [
    'Grype severity',
    grypeNormalizer,
    l =>
      `{"matches":[{"vulnerability":{"id":"CVE-2024-1","severity":${JSON.stringify(l)}},"artifact":{"name":"a","version":"1"}}],"source":{"type":"directory","target":"."}}`,
    'info',
  ],
  [
    'SARIF level',
    sarifNormalizer,
    l =>
      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"r","level":${JSON.stringify(l)},"message":{"text":"m"}}]}]}`,
    'medium',
  ],
  [
    'SARIF security-severity',
    sarifNormalizer,
    l =>
      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"r","level":"error","properties":{"security-severity":${JSON.stringify(l)}},"message":{"text":"m"}}]}]}`,
    'high',
  ],
  [
    'KICS severity',
    kicsNormalizer,
    l =>
      `{"kics_version":"1","queries":[{"query_id":"q","query_name":"Q","severity":${JSON.stringify(l)},"files":[{"file_name":"a.tf","similarity_id":"s"}]}]}`,
    'medium',
  ],
  [
    'tfsec severity',
    tfsecNormalizer,
    l =>
      `{"results":[{"rule_id":"r","severity":${JSON.stringify(l)},"location":{"filename":"a.tf"}}]}`,
    'medium',
  ],
  [
    'Checkov severity',
    checkovNormalizer,
    l =>
      `{"check_type":"terraform","results":{"failed_checks":[{"check_id":"CKV_1","severity":${JSON.stringify(l)},"file_path":"/a.tf"}]}}`,
    'medium',
  ],
  [
    'Semgrep severity',
    semgrepNormalizer,
    l =>
      `{"results":[{"check_id":"r","path":"a.py","extra":{"severity":${JSON.stringify(l)},"message":"m"}}],"errors":[]}`,
    'info',
  ],
  [
    'CycloneDX rating severity',
    cyclonedxNormalizer,
    l =>
      `{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[{"id":"CVE-2024-1","ratings":[{"severity":${JSON.stringify(l)}}]}]}`,
    'info',
  ],
  [
    'osv-scanner database_specific severity',
    osvScannerNormalizer,
    l =>
      `{"results":[{"source":{"path":"go.mod","type":"lockfile"},"packages":[{"package":{"name":"a","version":"1","ecosystem":"Go"},"vulnerabilities":[{"id":"GHSA-aaaa-bbbb-cccc","database_specific":{"severity":${JSON.stringify(l)}}}]}]}]}`,
    'info',
  ],
  [
    'osv-scanner CVSS vector metric',
    osvScannerNormalizer,
    l =>
      `{"results":[{"source":{"path":"go.mod","type":"lockfile"},"packages":[{"package":{"name":"a","version":"1","ecosystem":"Go"},"vulnerabilities":[{"id":"GHSA-aaaa-bbbb-cccc","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:${l}/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}]}]}]}`,
    'medium',
  ],
];

describe('severity labels named like Object.prototype members', () => {
  it.each(LABELS)('severityFromLabel(%p) is unknown', label => {
    expect(severityFromLabel(label)).toBeUndefined();
    expect(severityFromLabel(label.toUpperCase())).toBeUndefined();
  });

  describe.each(cases)('%s', (_name, normalizer, body, unknownMapsTo) => {
    it.each(LABELS)('maps %p as an unknown label', label => {
      const [finding] = run(normalizer, body(label)).findings;
      expect(SEVERITIES).toContain(finding.severity);
      expect(typeof finding.severity).toBe('string');
      expect(finding.severity).toBe(unknownMapsTo);
    });
  });

  it('redaction keeps a `__proto__` key of the document as a key', () => {
    const value = JSON.parse('{"__proto__":{"tool":"x"},"Secret":"s3cr3t-value"}');
    const kept = serializeReport(redactReport({ shape: 'json', value }).report);
    expect(kept).toBe('{"__proto__":{"tool":"x"},"Secret":"[REDACTED by devsecops]"}');
  });
});
