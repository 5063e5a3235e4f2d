import { AttestationSubject, ProvenanceSummary } from './inToto';

/** A public key trusted for key-based (cosign `--key` style / npm registry) signatures. */
export interface SignatureVerifierKey {
  /** Matched against the bundle's `verificationMaterial.publicKey.hint` or a DSSE signature `keyid`. */
  hint?: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  publicKeyPem: string;
  /** Optional validity window (ISO-8601), checked against the bundle's verified timestamps (e.g. npm-keys.json `validFor`). */
  validFor?: { start?: string; end?: string };
}

/** Accepted Fulcio certificate identity. */
export interface SignatureVerifierIdentity {
  /** Regular expression tested (unanchored, as sigstore does) against the certificate SAN: anchor it with ^…$. */
  subjectAlternativeName: string;
  /** Exact OIDC issuer, e.g. `https://token.actions.githubusercontent.com`. */
  issuer: string;
}

export interface SignatureVerifierOptions {
  /** Content of a pinned Sigstore `trusted_root.json`. Without it, certificate-based bundles cannot verify. */
  trustedRoot?: object;
  keys?: SignatureVerifierKey[];
  /** When set, a certificate-based bundle verifies only if its SAN and issuer match one entry. */
  identities?: SignatureVerifierIdentity[];
}

export type VerificationKind = 'sigstore-bundle' | 'dsse';

export interface VerificationSigner {
  /** Certificate SAN (email or workflow URI). */
  identity?: string;
  /** OIDC issuer from the Fulcio certificate extension. */
  issuer?: string;
  /** Hint of the configured key that verified (key-based signatures). */
  keyHint?: string;
}

export interface VerificationResult {
  verified: boolean;
  reason: string;
  kind: VerificationKind;
  /** Verified signer when `verified`; on failure, the identity the material claims (untrusted), when readable. */
  signer?: VerificationSigner;
  subjects: AttestationSubject[];
  predicateType?: string;
  /** Producer-written: trust only when `verified` (and the signer identity is the expected builder). */
  provenance?: ProvenanceSummary;
}

export interface VerifyInput {
  /**
   * Parsed JSON: a Sigstore bundle (v0.1/0.2/0.3), a bare DSSE envelope, an npm/GitHub
   * `{attestations:[{bundle}]}` response, or an array of these (JSON Lines). A string/Buffer is parsed as JSON or JSONL.
   */
  bundle: unknown;
  /** The signed artifact, required for messageSignature bundles. */
  artifact?: Buffer;
}
