import { InputError } from '@backstage/errors';
import { findDocuments, isObject } from './findDocuments';
import { verifyBundle } from './verifyBundle';
import { verifyEnvelope } from './verifyEnvelope';
import { VerifierTrust, loadVerifierTrust } from './verifierTrust';
import { SignatureVerifierOptions, VerificationResult, VerifyInput } from './verifierTypes';

export type {
  SignatureVerifierIdentity,
  SignatureVerifierKey,
  SignatureVerifierOptions,
  VerificationKind,
  VerificationResult,
  VerificationSigner,
  VerifyInput,
} from './verifierTypes';

/**
 * Offline verification of Sigstore bundles and DSSE envelopes with a pinned trusted root and configured keys.
 * Never uses TUF or the network: everything is synchronous crypto over the supplied material.
 *
 * The work is spread over: `findDocuments` (what the input holds), `verifierTrust` (the pinned
 * root and keys, read once), `identityPolicy` (which Fulcio identities are accepted),
 * `verifyBundle` (Sigstore bundles), `verifyEnvelope` (bare DSSE envelopes) and
 * `verificationResult` (the verdict and what the signed content claims).
 */
export class SignatureVerifier {
  private readonly trust: VerifierTrust;

  constructor(options: SignatureVerifierOptions = {}) {
    this.trust = loadVerifierTrust(options);
  }

  /** One result per bundle or envelope found in `input.bundle`. Throws InputError for malformed input. */
  verify(input: VerifyInput): VerificationResult[] {
    if (!isObject(input)) {
      throw new InputError('verify() expects { bundle, artifact? }');
    }
    if (input.artifact !== undefined && !(input.artifact instanceof Uint8Array)) {
      throw new InputError('artifact must be a Buffer');
    }
    if (input.bundle === undefined || input.bundle === null) {
      throw new InputError('bundle is missing');
    }
    const artifact = input.artifact === undefined ? undefined : Buffer.from(input.artifact);
    return findDocuments(input.bundle, 'bundle').map(doc =>
      doc.kind === 'sigstore-bundle' ? verifyBundle(this.trust, doc, artifact) : verifyEnvelope(this.trust, doc),
    );
  }
}
