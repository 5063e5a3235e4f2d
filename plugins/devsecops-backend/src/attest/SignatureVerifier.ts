import { createHash, createPublicKey, verify as cryptoVerify, KeyObject, X509Certificate } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { assertBundle, bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { HashAlgorithm, TrustedRoot } from '@sigstore/protobuf-specs';
import {
  Verifier,
  VerificationError,
  toSignedEntity,
  toTrustMaterial,
  type KeyFinderFunc,
  type SignedEntity,
  type Signer,
  type TrustMaterial,
} from '@sigstore/verify';
import {
  AttestationSubject,
  IN_TOTO_PAYLOAD_TYPE,
  ProvenanceSummary,
  isInTotoStatement,
  parseAttestationDocument,
  preAuthEncoding,
  summariseStatement,
} from './inToto';

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

type Json = Record<string, unknown>;

interface FoundDocument {
  location: string;
  kind: VerificationKind;
  document: Json;
  wrapperPredicateType?: string;
}

interface LoadedKey {
  label: string;
  hint?: string;
  keyObject: KeyObject;
  start: Date;
  end: Date;
}

interface Content {
  subjects: AttestationSubject[];
  predicateType?: string;
  provenance?: ProvenanceSummary;
  note?: string;
}

const TRUSTED_NOTE = 'subjects and provenance are covered by the verified signature';
const UNTRUSTED_NOTE = 'subjects and provenance are UNVERIFIED producer claims, do not trust them';
const UNSIGNED_ENVELOPE = 'unsigned envelope: no Sigstore verification material';
const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
const BEGINNING_OF_TIME = new Date(0);
const END_OF_TIME = new Date(8640000000000000);
const MAX_DEPTH = 3;

const FULCIO_SOURCE_REPO_DIGEST = '1.3.6.1.4.1.57264.1.13';

const HASH_NAMES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
  [HashAlgorithm.SHA3_256]: 'sha3-256',
  [HashAlgorithm.SHA3_384]: 'sha3-384',
};

const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function errorReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

function keyMismatch(message: string): VerificationError {
  return new VerificationError({ code: 'PUBLIC_KEY_ERROR', message });
}

function parseDate(value: string | undefined, what: string, fallback: Date): Date {
  if (value === undefined) {
    return fallback;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${what} '${value}' is not an ISO-8601 date-time`);
  }
  return date;
}

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

function bundleVersion(mediaType: string): string {
  return /version=(\d+\.\d+)/.exec(mediaType)?.[1] ?? /bundle\.v(\d+\.\d+)/.exec(mediaType)?.[1] ?? mediaType;
}

/**
 * Offline verification of Sigstore bundles and DSSE envelopes with a pinned trusted root and configured keys.
 * Never uses TUF or the network: everything is synchronous crypto over the supplied material.
 */
export class SignatureVerifier {
  private readonly trustMaterial: TrustMaterial;
  private readonly hasTrustedRoot: boolean;
  private readonly keys: LoadedKey[];
  private readonly identities: Array<SignatureVerifierIdentity & { pattern: RegExp }>;

  constructor(options: SignatureVerifierOptions = {}) {
    this.keys = (options.keys ?? []).map((key, i) => {
      if (!key || typeof key.publicKeyPem !== 'string') {
        throw new InputError(`keys[${i}].publicKeyPem must be a PEM string`);
      }
      const label = key.hint ?? `key #${i + 1}`;
      let keyObject: KeyObject;
      try {
        keyObject = createPublicKey(key.publicKeyPem);
      } catch (error) {
        throw new InputError(`keys[${i}] (${label}) is not a valid public key PEM: ${(error as Error).message}`);
      }
      return {
        label,
        hint: key.hint,
        keyObject,
        start: parseDate(key.validFor?.start, `keys[${i}].validFor.start`, BEGINNING_OF_TIME),
        end: parseDate(key.validFor?.end, `keys[${i}].validFor.end`, END_OF_TIME),
      };
    });
    this.identities = (options.identities ?? []).map((identity, i) => {
      if (!identity || typeof identity.subjectAlternativeName !== 'string' || typeof identity.issuer !== 'string') {
        throw new InputError(`identities[${i}] needs string subjectAlternativeName (regex) and issuer`);
      }
      try {
        return { ...identity, pattern: new RegExp(identity.subjectAlternativeName) };
      } catch (error) {
        throw new InputError(`identities[${i}].subjectAlternativeName is not a valid regex: ${(error as Error).message}`);
      }
    });
    this.hasTrustedRoot = options.trustedRoot !== undefined;
    this.trustMaterial = this.loadTrustMaterial(options.trustedRoot);
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
    const found: FoundDocument[] = [];
    this.collect(input.bundle, 'bundle', found, 0);
    return found.map(doc =>
      doc.kind === 'sigstore-bundle' ? this.verifyBundle(doc, artifact) : this.verifyEnvelope(doc),
    );
  }

  private loadTrustMaterial(trustedRoot: object | undefined): TrustMaterial {
    const raw = trustedRoot ?? EMPTY_TRUSTED_ROOT;
    if (
      !isObject(raw) ||
      !(Array.isArray(raw.certificateAuthorities) || Array.isArray(raw.tlogs))
    ) {
      throw new InputError('trustedRoot must be the content of a Sigstore trusted_root.json (certificateAuthorities, tlogs, ctlogs)');
    }
    const noKey: KeyFinderFunc = hint => {
      throw keyMismatch(`no configured public key for hint '${hint}'`);
    };
    try {
      return toTrustMaterial(TrustedRoot.fromJSON(raw), noKey);
    } catch (error) {
      throw new InputError(`trustedRoot is not a valid trusted_root.json: ${(error as Error).message}`);
    }
  }

  private collect(value: unknown, location: string, out: FoundDocument[], depth: number, predicateType?: string) {
    if (depth > MAX_DEPTH) {
      throw new InputError(`${location}: attestations nested too deeply`);
    }
    if (typeof value === 'string' || Buffer.isBuffer(value)) {
      this.collect(parseAttestationDocument(value), location, out, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.collect(item, `${location}[${i}]`, out, depth + 1));
      return;
    }
    if (!isObject(value)) {
      throw new InputError(`${location}: expected a Sigstore bundle, DSSE envelope or attestations object, got ${value === null ? 'null' : typeof value}`);
    }
    if (Array.isArray(value.attestations)) {
      value.attestations.forEach((entry, i) => {
        const where = `${location}.attestations[${i}]`;
        if (!isObject(entry)) {
          throw new InputError(`${where}: expected an object with a bundle`);
        }
        if (entry.bundle === undefined || entry.bundle === null) {
          throw new InputError(
            typeof entry.bundle_url === 'string'
              ? `${where}: bundle is not inline (bundle_url only); fetch and decompress it first`
              : `${where}: has no bundle`,
          );
        }
        const wrapperType = typeof entry.predicateType === 'string' ? entry.predicateType : undefined;
        this.collect(entry.bundle, `${where}.bundle`, out, depth + 1, wrapperType);
      });
      return;
    }
    if (typeof value.mediaType === 'string' && value.mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX)) {
      out.push({ location, kind: 'sigstore-bundle', document: value, wrapperPredicateType: predicateType });
      return;
    }
    if ('verificationMaterial' in value || 'dsseEnvelope' in value || 'messageSignature' in value) {
      throw new InputError(
        `${location}: Sigstore bundle has no recognised mediaType (got ${JSON.stringify(value.mediaType)}; expected ${BUNDLE_MEDIA_TYPE_PREFIX}…)`,
      );
    }
    if ('payloadType' in value || 'signatures' in value || 'payload' in value) {
      out.push({ location, kind: 'dsse', document: value, wrapperPredicateType: predicateType });
      return;
    }
    if (isInTotoStatement(value)) {
      throw new InputError(
        `${location}: bare in-toto Statement (${value._type}) without DSSE envelope or Sigstore bundle: there is no signature to verify`,
      );
    }
    const keys = Object.keys(value).slice(0, 8).join(', ');
    throw new InputError(
      `${location}: not a Sigstore bundle (mediaType ${BUNDLE_MEDIA_TYPE_PREFIX}…), DSSE envelope (payloadType, payload, signatures) or {attestations:[…]}; keys found: ${keys || 'none'}`,
    );
  }

  private describeEnvelopePayload(payloadType: string, payload: Buffer, fallbackType?: string): Content {
    if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return { subjects: [], predicateType: fallbackType, note: `payloadType ${payloadType} is not in-toto` };
    }
    let statement: unknown;
    try {
      statement = JSON.parse(payload.toString('utf8'));
    } catch {
      return { subjects: [], predicateType: fallbackType, note: 'DSSE payload is not JSON' };
    }
    if (!isInTotoStatement(statement)) {
      return { subjects: [], predicateType: fallbackType, note: 'DSSE payload is not an in-toto Statement' };
    }
    const summary = summariseStatement(statement);
    return {
      subjects: summary.subjects,
      predicateType: summary.predicateType ?? fallbackType,
      provenance: summary.provenance,
    };
  }

  private result(
    kind: VerificationKind,
    verified: boolean,
    reason: string,
    content: Content,
    signer?: VerificationSigner,
  ): VerificationResult {
    const parts = [reason];
    if (content.note) parts.push(content.note);
    parts.push(verified ? TRUSTED_NOTE : UNTRUSTED_NOTE);
    const result: VerificationResult = { verified, reason: parts.join('; '), kind, subjects: content.subjects };
    if (signer && Object.values(signer).some(v => v !== undefined)) result.signer = signer;
    if (content.predicateType) result.predicateType = content.predicateType;
    if (content.provenance) result.provenance = content.provenance;
    return result;
  }

  private candidateKeys(hint: string | undefined): LoadedKey[] {
    const hinted = hint ? this.keys.filter(k => k.hint === hint) : [];
    return hinted.length > 0 ? hinted : this.keys;
  }

  private verifyBundle(doc: FoundDocument, artifact: Buffer | undefined): VerificationResult {
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

    const version = bundleVersion(mediaType);
    const content: Content =
      bundle.content.$case === 'dsseEnvelope'
        ? this.describeEnvelopePayload(
            bundle.content.dsseEnvelope.payloadType,
            Buffer.from(bundle.content.dsseEnvelope.payload),
            doc.wrapperPredicateType,
          )
        : { subjects: [], predicateType: doc.wrapperPredicateType };
    const material = bundle.verificationMaterial.content;
    const tlogCount = bundle.verificationMaterial.tlogEntries.length;
    const entries = `${tlogCount} tlog entr${tlogCount === 1 ? 'y' : 'ies'}`;

    let expectedDigest: string | undefined;
    if (bundle.content.$case === 'messageSignature') {
      const { algorithm, digest } = bundle.content.messageSignature.messageDigest;
      const algo = HASH_NAMES[algorithm] ?? 'sha256';
      expectedDigest = `${algo}:${Buffer.from(digest).toString('hex')}`;
      content.subjects = [{ digest: expectedDigest }];
      if (!artifact) {
        return this.result(
          'sigstore-bundle',
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

    const checkDigest = (): string | undefined => {
      if (!expectedDigest || !artifact) return undefined;
      const [algo] = expectedDigest.split(':');
      const actual = `${algo}:${createHash(algo).update(artifact).digest('hex')}`;
      return actual === expectedDigest
        ? undefined
        : `MESSAGE_DIGEST_ERROR: artifact ${actual} does not match the bundle messageDigest ${expectedDigest}`;
    };

    if (material.$case === 'publicKey') {
      const hint = material.publicKey.hint;
      const candidates = this.candidateKeys(hint);
      if (candidates.length === 0) {
        return this.result(
          'sigstore-bundle',
          false,
          `PUBLIC_KEY_ERROR: bundle is signed with public key '${hint}' but no keys are configured`,
          content,
          { keyHint: hint },
        );
      }
      let firstError: unknown;
      for (const key of candidates) {
        try {
          const trust: TrustMaterial = {
            ...this.trustMaterial,
            publicKey: () => ({
              publicKey: key.keyObject,
              validFor: (date: Date) => key.start <= date && date <= key.end,
            }),
          };
          new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
        } catch (error) {
          firstError ??= error;
          continue;
        }
        const digestError = checkDigest();
        if (digestError) {
          return this.result('sigstore-bundle', false, digestError, content, { keyHint: key.label });
        }
        return this.result(
          'sigstore-bundle',
          true,
          `verified offline: Sigstore bundle v${version}, configured public key '${key.label}', ${entries}${
            tlogCount === 0 ? ' (no transparency log or timestamp: key-only trust)' : ''
          }`,
          content,
          { keyHint: key.label },
        );
      }
      const tried = candidates.length > 1 ? ` (tried ${candidates.length} configured keys)` : '';
      return this.result('sigstore-bundle', false, `${errorReason(firstError)}${tried}`, content, { keyHint: hint });
    }

    // Fulcio certificate (x509CertificateChain for v0.1/0.2, certificate for v0.3)
    const leafBytes =
      material.$case === 'certificate'
        ? material.certificate.rawBytes
        : material.x509CertificateChain.certificates[0]?.rawBytes;
    const claimed: VerificationSigner = { identity: claimedSan(leafBytes) };
    if (!this.hasTrustedRoot) {
      return this.result(
        'sigstore-bundle',
        false,
        'CERTIFICATE_ERROR: no trusted root configured; cannot verify a Fulcio certificate offline',
        content,
        claimed,
      );
    }
    let signer: Signer;
    try {
      signer = new Verifier(this.trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(entity);
    } catch (error) {
      return this.result('sigstore-bundle', false, errorReason(error), content, claimed);
    }
    const identity = signer.identity?.subjectAlternativeName;
    const issuer = signer.identity?.extensions?.issuer;
    const verifiedSigner: VerificationSigner = { identity, issuer };
    const who = `'${identity ?? '(no SAN)'}' (issuer '${issuer ?? 'unknown'}')`;

    let policy: string;
    if (this.identities.length > 0) {
      const match = this.identities.find(
        p => identity !== undefined && p.pattern.test(identity) && p.issuer === issuer,
      );
      if (!match) {
        const expected = this.identities.map(p => `${p.subjectAlternativeName} @ ${p.issuer}`).join(' | ');
        return this.result(
          'sigstore-bundle',
          false,
          `UNTRUSTED_SIGNER_ERROR: certificate identity ${who} matches none of the configured identities [${expected}]`,
          content,
          verifiedSigner,
        );
      }
      policy = `identity policy matched ${match.subjectAlternativeName}`;
    } else {
      policy = 'no identity policy configured: any Fulcio identity is accepted';
    }

    const digestError = checkDigest();
    if (digestError) {
      return this.result('sigstore-bundle', false, digestError, content, verifiedSigner);
    }

    const parts = [`verified offline: Sigstore bundle v${version}, Fulcio certificate for ${who}, ${entries}`, policy];
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
    return this.result('sigstore-bundle', true, parts.join('; '), content, verifiedSigner);
  }

  private verifyEnvelope(doc: FoundDocument): VerificationResult {
    const { location, document } = doc;
    const { payloadType, payload, signatures } = document;
    if (typeof payloadType !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures)) {
      throw new InputError(`${location}: DSSE envelope needs string payloadType, base64 payload and a signatures array`);
    }
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload.replace(/\s/g, ''))) {
      throw new InputError(`${location}: DSSE payload is not base64`);
    }
    const body = Buffer.from(payload, 'base64');
    const content = this.describeEnvelopePayload(payloadType, body, doc.wrapperPredicateType);

    const sigs = signatures.map((s, i) => {
      if (!isObject(s) || typeof s.sig !== 'string') {
        throw new InputError(`${location}.signatures[${i}]: expected {keyid?, sig}`);
      }
      return { keyid: typeof s.keyid === 'string' ? s.keyid : undefined, sig: Buffer.from(s.sig, 'base64') };
    });

    if (this.keys.length > 0 && sigs.length > 0) {
      const pae = preAuthEncoding(payloadType, body);
      for (const { keyid, sig } of sigs) {
        for (const key of this.candidateKeys(keyid)) {
          let ok = false;
          try {
            ok = cryptoVerify(signatureHash(key.keyObject), pae, key.keyObject, sig);
          } catch {
            ok = false;
          }
          if (ok) {
            return this.result(
              'dsse',
              true,
              `DSSE signature verified with configured key '${key.label}' (node:crypto over PAE; no certificate, transparency log or timestamp)`,
              content,
              { keyHint: key.label },
            );
          }
        }
      }
      return this.result(
        'dsse',
        false,
        `${UNSIGNED_ENVELOPE}; none of the ${sigs.length} DSSE signature(s) verifies with the ${this.keys.length} configured key(s)`,
        content,
      );
    }
    return this.result(
      'dsse',
      false,
      sigs.length === 0 ? `${UNSIGNED_ENVELOPE} (no signatures)` : UNSIGNED_ENVELOPE,
      content,
    );
  }
}
