import { verify as cryptoVerify, KeyObject } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { FoundDocument, isObject } from './findDocuments';
import { preAuthEncoding } from './inToto';
import { describeEnvelopePayload, verificationResult } from './verificationResult';
import { VerifierTrust, candidateKeys } from './verifierTrust';
import { VerificationResult } from './verifierTypes';

const UNSIGNED_ENVELOPE = 'unsigned envelope: no Sigstore verification material';

/** Hash used by DSSE / cosign key signatures for a given public key. */
function signatureHash(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') {
    return null;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return 'sha384';
    if (curve === 'secp521r1') return 'sha512';
  }
  return 'sha256';
}

/** Verifies a bare DSSE envelope against the configured keys; throws InputError when it is malformed. */
export function verifyEnvelope(trust: VerifierTrust, doc: FoundDocument): VerificationResult {
  const { location, document } = doc;
  const { payloadType, payload, signatures } = document;
  if (typeof payloadType !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures)) {
    throw new InputError(`${location}: DSSE envelope needs string payloadType, base64 payload and a signatures array`);
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload.replace(/\s/g, ''))) {
    throw new InputError(`${location}: DSSE payload is not base64`);
  }
  const body = Buffer.from(payload, 'base64');
  const content = describeEnvelopePayload(payloadType, body, doc.wrapperPredicateType);

  const sigs = signatures.map((s, i) => {
    if (!isObject(s) || typeof s.sig !== 'string') {
      throw new InputError(`${location}.signatures[${i}]: expected {keyid?, sig}`);
    }
    return { keyid: typeof s.keyid === 'string' ? s.keyid : undefined, sig: Buffer.from(s.sig, 'base64') };
  });

  if (trust.keys.length > 0 && sigs.length > 0) {
    const pae = preAuthEncoding(payloadType, body);
    for (const { keyid, sig } of sigs) {
      for (const key of candidateKeys(trust.keys, keyid)) {
        let ok = false;
        try {
          ok = cryptoVerify(signatureHash(key.keyObject), pae, key.keyObject, sig);
        } catch {
          ok = false;
        }
        if (ok) {
          return verificationResult(
            'dsse',
            true,
            `DSSE signature verified with configured key '${key.label}' (node:crypto over PAE; no certificate, transparency log or timestamp)`,
            content,
            { keyHint: key.label },
          );
        }
      }
    }
    return verificationResult(
      'dsse',
      false,
      `${UNSIGNED_ENVELOPE}; none of the ${sigs.length} DSSE signature(s) verifies with the ${trust.keys.length} configured key(s)`,
      content,
    );
  }
  return verificationResult(
    'dsse',
    false,
    sigs.length === 0 ? `${UNSIGNED_ENVELOPE} (no signatures)` : UNSIGNED_ENVELOPE,
    content,
  );
}
