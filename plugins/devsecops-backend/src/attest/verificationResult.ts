import { AttestationSubject, IN_TOTO_PAYLOAD_TYPE, ProvenanceSummary, isInTotoStatement, summariseStatement } from './inToto';
import { VerificationKind, VerificationResult, VerificationSigner } from './verifierTypes';

/** What a signed document says it covers, read before (and whatever) its signature verifies. */
export interface Content {
  subjects: AttestationSubject[];
  predicateType?: string;
  provenance?: ProvenanceSummary;
  note?: string;
}

const TRUSTED_NOTE = 'subjects and provenance are covered by the verified signature';
const UNTRUSTED_NOTE = 'subjects and provenance are UNVERIFIED producer claims, do not trust them';

export function errorReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

/** The subjects, predicate type and provenance of a DSSE payload, when it is an in-toto Statement. */
export function describeEnvelopePayload(payloadType: string, payload: Buffer, fallbackType?: string): Content {
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

/** The verdict, with a reason that always says whether the content may be trusted. */
export function verificationResult(
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
