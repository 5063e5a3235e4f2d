// The verifier class and its option and result types.
export * from './SignatureVerifier';
export {
  extractProvenance,
  parseAttestationDocument,
  preAuthEncoding,
  summariseStatement,
} from './inToto';
export type { AttestationSubject, ProvenanceSummary, StatementSummary } from './inToto';
