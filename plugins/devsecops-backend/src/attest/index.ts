export { SignatureVerifier } from './SignatureVerifier';
export type {
  SignatureVerifierIdentity,
  SignatureVerifierKey,
  SignatureVerifierOptions,
  VerificationKind,
  VerificationResult,
  VerificationSigner,
  VerifyInput,
} from './SignatureVerifier';
export {
  extractProvenance,
  parseAttestationDocument,
  preAuthEncoding,
  summariseStatement,
} from './inToto';
export type { AttestationSubject, ProvenanceSummary, StatementSummary } from './inToto';
