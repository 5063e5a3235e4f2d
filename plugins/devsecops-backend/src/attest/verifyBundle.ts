import { createHash, X509Certificate } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { assertBundle, bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, type SignedEntity, type Signer, type TrustMaterial } from '@sigstore/verify';
import { FoundDocument } from './findDocuments';
import { checkIdentity } from './identityPolicy';
import { Content, describeEnvelopePayload, errorReason, verificationResult } from './verificationResult';
import { VerifierTrust, candidateKeys } from './verifierTrust';
import { VerificationResult, VerificationSigner } from './verifierTypes';

const FULCIO_SOURCE_REPO_DIGEST = '1.3.6.1.4.1.57264.1.13';

const HASH_NAMES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
  [HashAlgorithm.SHA3_256]: 'sha3-256',
  [HashAlgorithm.SHA3_384]: 'sha3-384',
};

type Material = Bundle['verificationMaterial']['content'];

/** What the key and certificate paths share about one bundle. */
interface BundleCheck {
  entity: SignedEntity;
  content: Content;
  /** `v0.3`-style version and the tlog entry count, for the reason. */
  version: string;
  entries: string;
  tlogCount: number;
  /** Undefined when the artifact matches the signed message digest (or there is none). */
  checkDigest: () => string | undefined;
}

const bundleResult = (verified: boolean, reason: string, content: Content, signer?: VerificationSigner) =>
  verificationResult('sigstore-bundle', verified, reason, content, signer);

/** Verifies one Sigstore bundle offline; throws InputError when it is not a readable bundle. */
export function verifyBundle(trust: VerifierTrust, doc: FoundDocument, artifact: Buffer | undefined): VerificationResult {
  const { location, document } = doc;
  const mediaType = document.mediaType as string;
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(document);
    assertBundle(bundle);
  } catch (error) {
    const fields = (error as { fields?: unknown }).fields;
    throw new InputError(
      `${location}: not a valid Sigstore bundle (${mediaType}): ${(error as Error).message}${
        Array.isArray(fields) && fields.length ? ` [${fields.join(', ')}]` : ''
      }`,
    );
  }

  const content: Content =
    bundle.content.$case === 'dsseEnvelope'
      ? describeEnvelopePayload(
          bundle.content.dsseEnvelope.payloadType,
          Buffer.from(bundle.content.dsseEnvelope.payload),
          doc.wrapperPredicateType,
        )
      : { subjects: [], predicateType: doc.wrapperPredicateType };
  const material = bundle.verificationMaterial.content;
  const tlogCount = bundle.verificationMaterial.tlogEntries.length;

  let expectedDigest: string | undefined;
  if (bundle.content.$case === 'messageSignature') {
    const { algorithm, digest } = bundle.content.messageSignature.messageDigest;
    const algo = HASH_NAMES[algorithm] ?? 'sha256';
    expectedDigest = `${algo}:${Buffer.from(digest).toString('hex')}`;
    content.subjects = [{ digest: expectedDigest }];
    if (!artifact) {
      return bundleResult(
        false,
        'ARTIFACT_REQUIRED: messageSignature bundle signs a detached artifact; pass input.artifact',
        content,
        material.$case === 'publicKey' ? { keyHint: material.publicKey.hint } : undefined,
      );
    }
  }

  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle, artifact);
  } catch (error) {
    throw new InputError(`${location}: unreadable verification material: ${(error as Error).message}`);
  }

  const check: BundleCheck = {
    entity,
    content,
    version: bundleVersion(mediaType),
    entries: `${tlogCount} tlog entr${tlogCount === 1 ? 'y' : 'ies'}`,
    tlogCount,
    checkDigest: () => {
      if (!expectedDigest || !artifact) return undefined;
      const [algo] = expectedDigest.split(':');
      const actual = `${algo}:${createHash(algo).update(artifact).digest('hex')}`;
      return actual === expectedDigest
        ? undefined
        : `MESSAGE_DIGEST_ERROR: artifact ${actual} does not match the bundle messageDigest ${expectedDigest}`;
    },
  };
  return material.$case === 'publicKey'
    ? verifyWithKey(trust, check, material.publicKey.hint)
    : verifyWithCertificate(trust, check, material);
}

function verifyWithKey(trust: VerifierTrust, check: BundleCheck, hint: string): VerificationResult {
  const { content } = check;
  const candidates = candidateKeys(trust.keys, hint);
  if (candidates.length === 0) {
    return bundleResult(
      false,
      `PUBLIC_KEY_ERROR: bundle is signed with public key '${hint}' but no keys are configured`,
      content,
      { keyHint: hint },
    );
  }
  let firstError: unknown;
  for (const key of candidates) {
    try {
      const keyTrust: TrustMaterial = {
        ...trust.trustMaterial,
        publicKey: () => ({
          publicKey: key.keyObject,
          validFor: (date: Date) => key.start <= date && date <= key.end,
        }),
      };
      new Verifier(keyTrust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(check.entity);
    } catch (error) {
      firstError ??= error;
      continue;
    }
    const digestError = check.checkDigest();
    if (digestError) {
      return bundleResult(false, digestError, content, { keyHint: key.label });
    }
    return bundleResult(
      true,
      `verified offline: Sigstore bundle v${check.version}, configured public key '${key.label}', ${check.entries}${
        check.tlogCount === 0 ? ' (no transparency log or timestamp: key-only trust)' : ''
      }`,
      content,
      { keyHint: key.label },
    );
  }
  const tried = candidates.length > 1 ? ` (tried ${candidates.length} configured keys)` : '';
  return bundleResult(false, `${errorReason(firstError)}${tried}`, content, { keyHint: hint });
}

/** Fulcio certificate (x509CertificateChain for v0.1/0.2, certificate for v0.3). */
function verifyWithCertificate(
  trust: VerifierTrust,
  check: BundleCheck,
  material: Exclude<Material, { $case: 'publicKey' }>,
): VerificationResult {
  const { content } = check;
  const leafBytes =
    material.$case === 'certificate'
      ? material.certificate.rawBytes
      : material.x509CertificateChain.certificates[0]?.rawBytes;
  const claimed: VerificationSigner = { identity: claimedSan(leafBytes) };
  if (!trust.hasTrustedRoot) {
    return bundleResult(
      false,
      'CERTIFICATE_ERROR: no trusted root configured; cannot verify a Fulcio certificate offline',
      content,
      claimed,
    );
  }
  let signer: Signer;
  try {
    signer = new Verifier(trust.trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(check.entity);
  } catch (error) {
    return bundleResult(false, errorReason(error), content, claimed);
  }
  const identity = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  const verifiedSigner: VerificationSigner = { identity, issuer };
  const who = `'${identity ?? '(no SAN)'}' (issuer '${issuer ?? 'unknown'}')`;

  const policy = checkIdentity(trust.identities, identity, issuer, who);
  if (!policy.ok) {
    return bundleResult(false, policy.reason, content, verifiedSigner);
  }

  const digestError = check.checkDigest();
  if (digestError) {
    return bundleResult(false, digestError, content, verifiedSigner);
  }

  const parts = [`verified offline: Sigstore bundle v${check.version}, Fulcio certificate for ${who}, ${check.entries}`, policy.policy];
  const certDigest = signer.identity?.oids?.find(o => o.oid?.id.join('.') === FULCIO_SOURCE_REPO_DIGEST);
  const sourceCommit = content.provenance?.sourceCommit;
  if (certDigest && sourceCommit) {
    const fromCert = derString(Buffer.from(certDigest.value)).toLowerCase();
    parts.push(
      fromCert === sourceCommit
        ? 'provenance sourceCommit matches the certificate source repository digest'
        : `WARNING: provenance sourceCommit ${sourceCommit} differs from the certificate source repository digest ${fromCert}`,
    );
  }
  return bundleResult(true, parts.join('; '), content, verifiedSigner);
}

function bundleVersion(mediaType: string): string {
  return /version=(\d+\.\d+)/.exec(mediaType)?.[1] ?? /bundle\.v(\d+\.\d+)/.exec(mediaType)?.[1] ?? mediaType;
}

/** Value of a DER UTF8String/IA5String/PrintableString (Fulcio v2 extensions), or the raw bytes as text. */
function derString(value: Buffer): string {
  if (value.length >= 2 && [0x0c, 0x13, 0x16].includes(value[0])) {
    let len = value[1];
    let offset = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + value[2 + i];
      offset = 2 + n;
    }
    return value.subarray(offset, offset + len).toString('utf8');
  }
  return value.toString('utf8');
}

/** First SAN value from node:crypto's `subjectAltName` text (`URI:https://…`, `email:a@b`). Untrusted: display only. */
function claimedSan(rawBytes: Uint8Array | undefined): string | undefined {
  if (!rawBytes) {
    return undefined;
  }
  try {
    const san = new X509Certificate(Buffer.from(rawBytes)).subjectAltName;
    const first = san?.split(/,\s*/)[0];
    const colon = first?.indexOf(':') ?? -1;
    return first && colon > 0 ? first.slice(colon + 1).replace(/^"|"$/g, '') : undefined;
  } catch {
    return undefined;
  }
}
