import { createPublicKey, KeyObject } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { VerificationError, toTrustMaterial, type KeyFinderFunc, type TrustMaterial } from '@sigstore/verify';
import { isObject } from './findDocuments';
import { CompiledIdentity, compileIdentities } from './identityPolicy';
import { SignatureVerifierKey, SignatureVerifierOptions } from './verifierTypes';

/** A configured public key, parsed, with its validity window. */
export interface LoadedKey {
  label: string;
  hint?: string;
  keyObject: KeyObject;
  start: Date;
  end: Date;
}

/** Everything a verification may trust: the pinned root, the configured keys and identities. */
export interface VerifierTrust {
  trustMaterial: TrustMaterial;
  hasTrustedRoot: boolean;
  keys: LoadedKey[];
  identities: CompiledIdentity[];
}

const BEGINNING_OF_TIME = new Date(0);
const END_OF_TIME = new Date(8640000000000000);

const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** Reads the options once; throws InputError for a malformed key, identity or trusted root. */
export function loadVerifierTrust(options: SignatureVerifierOptions): VerifierTrust {
  return {
    keys: (options.keys ?? []).map(loadKey),
    identities: compileIdentities(options.identities ?? []),
    hasTrustedRoot: options.trustedRoot !== undefined,
    trustMaterial: loadTrustMaterial(options.trustedRoot),
  };
}

/** The keys whose hint matches, or every key when none does (or there is no hint). */
export function candidateKeys(keys: LoadedKey[], hint: string | undefined): LoadedKey[] {
  const hinted = hint ? keys.filter(k => k.hint === hint) : [];
  return hinted.length > 0 ? hinted : keys;
}

export function keyMismatch(message: string): VerificationError {
  return new VerificationError({ code: 'PUBLIC_KEY_ERROR', message });
}

function loadKey(key: SignatureVerifierKey, i: number): LoadedKey {
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

function loadTrustMaterial(trustedRoot: object | undefined): TrustMaterial {
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
