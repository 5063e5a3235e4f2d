/**
 * The operating model's controls mapped to common frameworks, shipped in every audit package.
 * Adopters replace or extend it under `devsecops.controlMap` (control id → framework → ids).
 * NIST SSDF practice ids are from SP 800-218 v1.1; SOC 2 criteria from the 2017 Trust Services
 * Criteria (common criteria CC).
 */
import { BuiltInControlId } from '@devsecops-scorecard/plugin-devsecops-common';

/** A built-in control without a framework mapping does not compile. */
export const DEFAULT_CONTROL_MAP: Record<BuiltInControlId, Record<string, string[]>> = {
  'secret-scanning': { 'NIST SSDF': ['PS.1.1', 'PW.7.2'], 'SOC 2': ['CC6.1', 'CC7.1'] },
  'pre-commit-checks': { 'NIST SSDF': ['PW.7.1'], 'SOC 2': ['CC8.1'] },
  'code-review': { 'NIST SSDF': ['PW.7.1', 'PS.1.1'], 'SOC 2': ['CC8.1'] },
  'dependency-diff': { 'NIST SSDF': ['PW.4.1', 'PW.4.4'], 'SOC 2': ['CC8.1'] },
  'iac-lint': { 'NIST SSDF': ['PW.7.2', 'PO.5.1'], 'SOC 2': ['CC7.1', 'CC8.1'] },
  sast: { 'NIST SSDF': ['PW.7.2', 'PW.8.2'], 'SOC 2': ['CC7.1'] },
  'dependency-scan': { 'NIST SSDF': ['PW.4.4', 'RV.1.1'], 'SOC 2': ['CC7.1'] },
  sbom: { 'NIST SSDF': ['PS.3.2'], 'SOC 2': ['CC7.1'] },
  'container-scan': { 'NIST SSDF': ['PW.4.4', 'RV.1.1'], 'SOC 2': ['CC7.1'] },
  'policy-as-code': { 'NIST SSDF': ['PO.3.2', 'PO.4.1'], 'SOC 2': ['CC8.1', 'CC5.2'] },
  'production-approval': { 'NIST SSDF': ['PO.2.1'], 'SOC 2': ['CC8.1'] },
  'signed-artifact-verification': { 'NIST SSDF': ['PS.2.1', 'PS.3.1'], 'SOC 2': ['CC8.1'] },
  'cloud-audit-logs': { 'NIST SSDF': ['PO.5.1'], 'SOC 2': ['CC7.2', 'CC4.1'] },
  'workload-telemetry': { 'NIST SSDF': ['RV.1.1'], 'SOC 2': ['CC7.2'] },
  'vulnerability-monitoring': { 'NIST SSDF': ['RV.1.1', 'RV.1.2'], 'SOC 2': ['CC7.1', 'CC7.3'] },
};
