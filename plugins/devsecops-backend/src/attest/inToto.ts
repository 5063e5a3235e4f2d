import { InputError } from '@backstage/errors';

/** One artifact named by an in-toto Statement subject (or a messageSignature digest). */
export interface AttestationSubject {
  name?: string;
  /** `algo:value`; hex values lowercased, e.g. `sha256:<hex>`, `sha512:<hex>`, `gitCommit:<hex>`. */
  digest: string;
}

/** SLSA provenance fields (v0.2 or v1). Producer-written: trust them only when the signature verified. */
export interface ProvenanceSummary {
  builderId?: string;
  buildType?: string;
  sourceRepository?: string;
  sourceCommit?: string;
  invocationId?: string;
}

export interface StatementSummary {
  statementType: string;
  predicateType?: string;
  subjects: AttestationSubject[];
  provenance?: ProvenanceSummary;
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const DIGEST_ORDER = ['sha256', 'sha512', 'sha384', 'sha1'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function obj(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

export function isInTotoStatement(value: unknown): value is Json {
  return isObject(value) && typeof value._type === 'string' && value._type.startsWith('https://in-toto.io/Statement/');
}

function normaliseDigestValue(value: string): string {
  return /^[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : value;
}

/** `{sha512: 'AB'}` → `['sha512:ab']`, sha256 first, then sha512, sha384, sha1, then the rest in document order. */
export function digestEntries(digest: unknown): string[] {
  if (!isObject(digest)) {
    return [];
  }
  const algos = Object.keys(digest).filter(a => typeof digest[a] === 'string' && digest[a] !== '');
  const rank = (a: string) => {
    const i = DIGEST_ORDER.indexOf(a.toLowerCase());
    return i === -1 ? DIGEST_ORDER.length : i;
  };
  return algos
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map(({ a }) => {
      const known = DIGEST_ORDER.includes(a.toLowerCase());
      return `${known ? a.toLowerCase() : a}:${normaliseDigestValue(digest[a] as string)}`;
    });
}

/** `git+https://github.com/o/r@refs/tags/v1` → `https://github.com/o/r`. */
export function normaliseSourceUri(uri: string | undefined): string | undefined {
  if (!uri) {
    return undefined;
  }
  let out = uri.startsWith('git+') ? uri.slice(4) : uri;
  const refAt = out.indexOf('@refs/');
  if (refAt > 0) {
    return out.slice(0, refAt);
  }
  const at = out.lastIndexOf('@');
  if (at > out.lastIndexOf('/')) {
    out = out.slice(0, at);
  }
  return out;
}

function gitCommitOf(digest: unknown): string | undefined {
  const d = obj(digest);
  const v = str(d?.gitCommit) ?? str(d?.sha1);
  return v?.toLowerCase();
}

function provenanceV02(predicate: Json): ProvenanceSummary {
  const invocation = obj(predicate.invocation);
  const configSource = obj(invocation?.configSource);
  const metadata = obj(predicate.metadata);
  const environment = obj(invocation?.environment);
  const materials = Array.isArray(predicate.materials) ? predicate.materials.filter(isObject) : [];
  const gitMaterial = materials.find(m => str(m.uri)?.startsWith('git+') && gitCommitOf(m.digest));
  const runId = environment?.github_run_id;
  const runAttempt = environment?.github_run_attempt;
  return {
    builderId: str(obj(predicate.builder)?.id),
    buildType: str(predicate.buildType),
    sourceRepository: normaliseSourceUri(str(configSource?.uri) ?? str(gitMaterial?.uri)),
    sourceCommit: gitCommitOf(configSource?.digest) ?? gitCommitOf(gitMaterial?.digest),
    invocationId:
      str(metadata?.buildInvocationId) ??
      // slsa-github-generator writes the v0.2 field as buildInvocationID
      str(metadata?.buildInvocationID) ??
      (typeof runId === 'string' || typeof runId === 'number'
        ? `${runId}${typeof runAttempt === 'string' || typeof runAttempt === 'number' ? `-${runAttempt}` : ''}`
        : undefined),
  };
}

function provenanceV1(predicate: Json): ProvenanceSummary {
  const buildDefinition = obj(predicate.buildDefinition);
  const runDetails = obj(predicate.runDetails);
  const external = obj(buildDefinition?.externalParameters);
  const deps = Array.isArray(buildDefinition?.resolvedDependencies)
    ? buildDefinition.resolvedDependencies.filter(isObject)
    : [];
  const gitDep = deps.find(d => str(d.uri)?.startsWith('git+') && gitCommitOf(d.digest));
  // slsa-github-generator docker builder: externalParameters.source{uri, digest.sha1}
  const source = obj(external?.source);
  const workflow = obj(external?.workflow);
  return {
    builderId: str(obj(runDetails?.builder)?.id),
    buildType: str(buildDefinition?.buildType),
    sourceRepository: normaliseSourceUri(str(gitDep?.uri) ?? str(source?.uri) ?? str(workflow?.repository)),
    sourceCommit: gitCommitOf(gitDep?.digest) ?? gitCommitOf(source?.digest),
    invocationId: str(obj(runDetails?.metadata)?.invocationId),
  };
}

function compact(p: ProvenanceSummary): ProvenanceSummary {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as ProvenanceSummary;
}

/** Provenance fields for SLSA v0.1/v0.2 and v1 predicate types; undefined for other predicate types. */
export function extractProvenance(predicateType: string | undefined, predicate: unknown): ProvenanceSummary | undefined {
  if (!predicateType || !isObject(predicate)) {
    return undefined;
  }
  if (/^https:\/\/slsa\.dev\/provenance\/v0\.[12]$/.test(predicateType)) {
    return compact(provenanceV02(predicate));
  }
  if (/^https:\/\/slsa\.dev\/provenance\/v1(\.\d+)*$/.test(predicateType)) {
    return compact(provenanceV1(predicate));
  }
  return undefined;
}

/** Subjects, predicateType and SLSA provenance of an in-toto Statement (v0.1 or v1). */
export function summariseStatement(statement: unknown): StatementSummary {
  if (!isInTotoStatement(statement)) {
    throw new InputError('not an in-toto Statement: expected an object with _type https://in-toto.io/Statement/v0.1|v1');
  }
  const subjects: AttestationSubject[] = [];
  if (Array.isArray(statement.subject)) {
    for (const s of statement.subject) {
      if (!isObject(s)) {
        continue;
      }
      for (const digest of digestEntries(s.digest)) {
        subjects.push(str(s.name) ? { name: s.name as string, digest } : { digest });
      }
    }
  }
  const predicateType = str(statement.predicateType);
  return {
    statementType: statement._type as string,
    predicateType,
    subjects,
    provenance: extractProvenance(predicateType, statement.predicate),
  };
}

/** DSSE pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/**
 * Parse an attestation document: JSON, or JSON Lines (`.intoto.jsonl`: one bundle/envelope per line).
 * Returns the parsed value (a single document) or an array (several lines).
 */
export function parseAttestationDocument(text: string | Buffer): unknown {
  const source = (typeof text === 'string' ? text : text.toString('utf8')).replace(/^\uFEFF/, '');
  if (source.trim() === '') {
    throw new InputError('attestation document is empty');
  }
  try {
    return JSON.parse(source);
  } catch (wholeError) {
    const lines = source.split(/\r?\n/).filter(l => l.trim() !== '');
    if (lines.length < 2) {
      throw new InputError(`attestation document is not JSON: ${(wholeError as Error).message}`);
    }
    return lines.map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (lineError) {
        throw new InputError(`attestation document line ${i + 1} is not JSON: ${(lineError as Error).message}`);
      }
    });
  }
}
