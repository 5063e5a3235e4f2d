import { ReportNormalizer } from '../types';
import { checkovNormalizer } from './checkov';
import { cyclonedxNormalizer } from './cyclonedx';
import { gitleaksNormalizer } from './gitleaks';
import { grypeNormalizer } from './grype';
import { kicsNormalizer } from './kics';
import { openvexNormalizer } from './openvex';
import { osvScannerNormalizer } from './osv';
import { sarifNormalizer } from './sarif';
import { scorecardNormalizer } from './scorecard';
import { semgrepNormalizer } from './semgrep';
import { spdxNormalizer } from './spdx';
import { tfsecNormalizer } from './tfsec';
import { trivyNormalizer } from './trivy';
import { trufflehogNormalizer } from './trufflehog';

/**
 * The formats the backend and the CLI read out of the box, in the order detection tries them
 * (the most specific markers first).
 * @public
 */
export const builtInNormalizers: readonly ReportNormalizer[] = [
  sarifNormalizer,
  cyclonedxNormalizer,
  spdxNormalizer,
  scorecardNormalizer,
  trivyNormalizer,
  grypeNormalizer,
  osvScannerNormalizer,
  semgrepNormalizer,
  checkovNormalizer,
  kicsNormalizer,
  tfsecNormalizer,
  gitleaksNormalizer,
  trufflehogNormalizer,
  openvexNormalizer,
];

export {
  checkovNormalizer,
  cyclonedxNormalizer,
  gitleaksNormalizer,
  grypeNormalizer,
  kicsNormalizer,
  openvexNormalizer,
  osvScannerNormalizer,
  sarifNormalizer,
  scorecardNormalizer,
  semgrepNormalizer,
  spdxNormalizer,
  tfsecNormalizer,
  trivyNormalizer,
  trufflehogNormalizer,
};
export { SCORECARD_PASSING_SCORE, scorecardFacts } from './scorecard';
export type { ScorecardCheckResult } from './scorecard';
