import { InputError } from '@backstage/errors';
import { isInTotoStatement, parseAttestationDocument } from './inToto';
import { VerificationKind } from './verifierTypes';

export type Json = Record<string, unknown>;

/** One bundle or envelope found in the verifier's input, with where it was found. */
export interface FoundDocument {
  location: string;
  kind: VerificationKind;
  document: Json;
  wrapperPredicateType?: string;
}

const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
const MAX_DEPTH = 3;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * Every Sigstore bundle and DSSE envelope in `value`: a bundle, an envelope, an npm/GitHub
 * `{attestations:[{bundle}]}` response, an array of these, or their JSON / JSON Lines text.
 * Throws InputError for anything else.
 */
export function findDocuments(value: unknown, location: string): FoundDocument[] {
  const found: FoundDocument[] = [];
  collect(value, location, found, 0);
  return found;
}

function collect(value: unknown, location: string, out: FoundDocument[], depth: number, predicateType?: string) {
  if (depth > MAX_DEPTH) {
    throw new InputError(`${location}: attestations nested too deeply`);
  }
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    collect(parseAttestationDocument(value), location, out, depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${location}[${i}]`, out, depth + 1));
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
      collect(entry.bundle, `${where}.bundle`, out, depth + 1, wrapperType);
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
