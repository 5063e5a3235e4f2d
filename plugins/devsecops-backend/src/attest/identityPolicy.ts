import { InputError } from '@backstage/errors';
import { SignatureVerifierIdentity } from './verifierTypes';

/** A configured identity with its SAN pattern compiled. */
export type CompiledIdentity = SignatureVerifierIdentity & { pattern: RegExp };

/** Compiles the configured identities; throws InputError for a missing field or a bad regex. */
export function compileIdentities(identities: SignatureVerifierIdentity[]): CompiledIdentity[] {
  return identities.map((identity, i) => {
    if (!identity || typeof identity.subjectAlternativeName !== 'string' || typeof identity.issuer !== 'string') {
      throw new InputError(`identities[${i}] needs string subjectAlternativeName (regex) and issuer`);
    }
    try {
      return { ...identity, pattern: new RegExp(identity.subjectAlternativeName) };
    } catch (error) {
      throw new InputError(`identities[${i}].subjectAlternativeName is not a valid regex: ${(error as Error).message}`);
    }
  });
}

/**
 * Whether a verified certificate identity is acceptable: `ok` with what the policy said, or the
 * reason it is refused. With no identities configured, any Fulcio identity is accepted.
 */
export function checkIdentity(
  identities: CompiledIdentity[],
  identity: string | undefined,
  issuer: string | undefined,
  who: string,
): { ok: true; policy: string } | { ok: false; reason: string } {
  if (identities.length === 0) {
    return { ok: true, policy: 'no identity policy configured: any Fulcio identity is accepted' };
  }
  const match = identities.find(
    p => identity !== undefined && p.pattern.test(identity) && p.issuer === issuer,
  );
  if (!match) {
    const expected = identities.map(p => `${p.subjectAlternativeName} @ ${p.issuer}`).join(' | ');
    return {
      ok: false,
      reason: `UNTRUSTED_SIGNER_ERROR: certificate identity ${who} matches none of the configured identities [${expected}]`,
    };
  }
  return { ok: true, policy: `identity policy matched ${match.subjectAlternativeName}` };
}
