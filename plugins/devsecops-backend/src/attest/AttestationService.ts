import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ControlFact } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { EvidenceRecorder } from '../ingest/EvidenceRecorder';
import { EntityLookup } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { SIGNATURE_FACT, VERIFICATION_SOURCE_PREFIX } from '../scorecard/EvidenceLoader';
import { SignatureVerifier, SignatureVerifierOptions, VerificationResult } from './SignatureVerifier';

/** Reads `devsecops.signatures`; a trusted root that is not JSON stops the backend, naming the key. */
export function readSignatureConfig(root: Config): SignatureVerifierOptions {
  const config = root.getOptionalConfig('devsecops.signatures');
  if (!config) return {};
  let trustedRoot: object | undefined;
  const rootText = config.getOptionalString('trustedRoot');
  if (rootText) {
    try {
      trustedRoot = JSON.parse(rootText);
    } catch (error) {
      throw new Error(`devsecops.signatures.trustedRoot is not JSON (use $file: trusted_root.json): ${(error as Error).message}`);
    }
  }
  return {
    trustedRoot,
    identities: config.getOptionalConfigArray('identities')?.map(i => ({
      subjectAlternativeName: i.getString('subjectAlternativeName'),
      issuer: i.getString('issuer'),
    })),
    keys: config.getOptionalConfigArray('keys')?.map(k => ({
      hint: k.getOptionalString('hint'),
      publicKeyPem: k.getString('publicKeyPem'),
    })),
  };
}

export interface AttestationOutcome extends VerificationResult {
  /** The artifact digests this verification was recorded for. */
  recordedFor: string[];
}

/**
 * Verifies uploaded Sigstore bundles and attestations offline and records, per subject digest,
 * whether its signature verified: the release gate's `artifact_signature` requirement and the
 * signed-artifact control read those records.
 */
export class AttestationService {
  constructor(
    private readonly verifier: SignatureVerifier,
    private readonly evidence: EvidenceRecorder,
  ) {}

  async attest(
    input: EntityLookup & { body: Buffer; artifactDigest?: string; artifact?: Buffer },
    writer: EvidenceWriter,
  ): Promise<AttestationOutcome[]> {
    // The named entity must exist, and the writer may write for it, before anything is verified.
    await this.evidence.target(input, writer);
    const wanted = input.artifactDigest ? normalizeDigest(input.artifactDigest) : undefined;
    if (input.artifactDigest && !wanted) {
      throw new InputError(`Malformed artifact digest '${input.artifactDigest}': use algorithm:hex`);
    }
    const results = this.verifier.verify({ bundle: input.body, artifact: input.artifact });
    if (results.length === 0) throw new InputError('The document holds no Sigstore bundle or DSSE envelope');

    const facts: Array<Pick<ControlFact, 'fact' | 'value' | 'source'>> = [];
    const outcomes: AttestationOutcome[] = results.map(result => {
      const digests = result.subjects.map(s => s.digest).filter(d => d.startsWith('sha256:'));
      const recordedFor = wanted ? digests.filter(d => d === wanted) : digests;
      for (const digest of recordedFor) {
        facts.push({
          fact: SIGNATURE_FACT,
          source: `${VERIFICATION_SOURCE_PREFIX}${result.kind})`,
          value: {
            digest,
            verified: result.verified,
            reason: result.reason,
            signer: result.signer?.identity ?? result.signer?.keyHint,
            issuer: result.signer?.issuer,
            predicateType: result.predicateType,
            provenance: result.verified ? result.provenance : undefined,
          },
        });
      }
      return { ...result, recordedFor };
    });
    if (wanted && facts.length === 0) {
      throw new InputError(
        `No signed subject names ${wanted}; the document signs ${results.flatMap(r => r.subjects.map(s => s.digest)).join(', ') || 'nothing'}`,
      );
    }
    if (facts.length > 0) {
      await this.evidence.recordVerifiedFacts({ entityRef: input.entityRef, repository: input.repository, facts }, writer);
    }
    return outcomes;
  }
}
