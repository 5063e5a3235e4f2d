import { generateKeyPairSync, sign } from 'node:crypto';
import { preAuthEncoding } from '../attest/inToto';

const IN_TOTO = 'application/vnd.in-toto+json';

/**
 * A key-based signer for tests: its public key goes into `devsecops.signatures.keys`, and it signs
 * DSSE envelopes over in-toto statements naming an artifact digest, which POST /v1/attestations
 * verifies like a `cosign attest --key` output.
 */
export function testSigner(hint = 'test-ci') {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    key: { hint, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    /** A signed DSSE envelope (JSON text) whose statement's subject is `digest` (sha256:…). */
    envelope(digest: string): string {
      const payload = Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name: 'artifact', digest: { sha256: digest.replace(/^sha256:/, '') } }],
          predicateType: 'https://slsa.dev/provenance/v1',
          predicate: { buildDefinition: { buildType: 'https://example.com/test-build' } },
        }),
      );
      const sig = sign(null, preAuthEncoding(IN_TOTO, payload), privateKey);
      return JSON.stringify({
        payloadType: IN_TOTO,
        payload: payload.toString('base64'),
        signatures: [{ keyid: hint, sig: sig.toString('base64') }],
      });
    },
  };
}
