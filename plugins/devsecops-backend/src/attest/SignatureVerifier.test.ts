import { createHash, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { InputError } from '@backstage/errors';
import { SignatureVerifier, SignatureVerifierKey, VerificationResult } from './SignatureVerifier';
import { parseAttestationDocument, preAuthEncoding, summariseStatement } from './inToto';

// Verification is synchronous and offline; a library reaching for TUF/the network would hang here.
jest.setTimeout(10_000);

// Test-only: fixtures live at the repository root.
// eslint-disable-next-line no-restricted-syntax
const ATTESTATIONS = resolve(__dirname, '../../../../fixtures/attestations');
const OFFLINE = join(ATTESTATIONS, 'offline-verify');

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const readDoc = (file: string) => parseAttestationDocument(readFileSync(join(ATTESTATIONS, file)));

const trustedRoot = readJson(join(OFFLINE, 'trusted_root.json'));
const keySignedBundle = readJson(join(OFFLINE, 'key-signed-bundle.json'));
const keySignedPem = readFileSync(join(OFFLINE, 'key-signed-bundle.pub.pem'), 'utf8');
const keySignedArtifact = readFileSync(join(OFFLINE, 'key-signed-artifact.txt'));

function derToPem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** npm registry keys (npm-keys.json, from @sigstore/tuf) as configured keys. */
const npmKeys: SignatureVerifierKey[] = readJson(join(OFFLINE, 'npm-keys.json'))
  .keys.filter((k: { keyUsage: string }) => k.keyUsage === 'npm:attestations')
  .map((k: { keyId: string; publicKey: { rawBytes: string; validFor?: { start?: string; end?: string } } }) => ({
    hint: k.keyId,
    publicKeyPem: derToPem(k.publicKey.rawBytes),
    validFor: k.publicKey.validFor,
  }));

const NPM_KEY_ID = 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA';
const GITHUB_ACTIONS = 'https://token.actions.githubusercontent.com';
const NPM_PUBLISH = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
const SIGSTORE_JS_SUBJECT = {
  name: 'pkg:npm/sigstore@1.0.0',
  digest:
    'sha512:7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36',
};
const NPM_SIGSTORE_231 = {
  name: 'pkg:npm/sigstore@2.3.1',
  digest:
    'sha512:f06fbf5c353cc0db093904b9cac0d53b412d83dff6b80e6047d9786708a38e5c3105cad4e913dfc22dbe8c999b3fe029d47969fe75406843b8163db6fd22f681',
};
const NPM_SLSA_V1_PROVENANCE = {
  builderId: 'https://github.com/actions/runner/github-hosted',
  buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
  sourceRepository: 'https://github.com/sigstore/sigstore-js',
  sourceCommit: '46e7056ff9912ebfee5298d94024895a9fea76c0',
  invocationId: 'https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
};
const SIGSTORE_JS_WORKFLOW = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';
const BRIAN = { identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' };
const UNSIGNED = /^unsigned envelope: no Sigstore verification material/;

type Expected = Partial<Omit<VerificationResult, 'reason'>> & { reason: RegExp };

const sigstoreJs: Expected[] = [
  {
    verified: true,
    kind: 'sigstore-bundle',
    reason: /^verified offline: Sigstore bundle v0\.\d, Fulcio certificate for 'brian@dehamer\.com'.*1 tlog entry.*no identity policy configured.*covered by the verified signature/,
    signer: BRIAN,
    subjects: [SIGSTORE_JS_SUBJECT],
    predicateType: NPM_PUBLISH,
    provenance: undefined,
  },
];

/** Every file in fixtures/attestations/ (top level): expected results, or the InputError it raises. */
const TABLE: Record<string, Expected[] | { throws: RegExp }> = {
  'npm-registry-attestations-INVALID-sig-provenance.json': [
    {
      verified: true,
      kind: 'sigstore-bundle',
      reason: new RegExp(`^verified offline: Sigstore bundle v0\\.2, configured public key '${NPM_KEY_ID}', 1 tlog entry;`),
      signer: { keyHint: NPM_KEY_ID },
      subjects: [NPM_SIGSTORE_231],
      predicateType: NPM_PUBLISH,
    },
    {
      verified: false,
      kind: 'sigstore-bundle',
      reason: /^TLOG_BODY_ERROR: DSSE payload hash mismatch; subjects and provenance are UNVERIFIED/,
      signer: { identity: SIGSTORE_JS_WORKFLOW },
      subjects: [NPM_SIGSTORE_231],
      predicateType: 'https://slsa.dev/provenance/v1',
      provenance: NPM_SLSA_V1_PROVENANCE,
    },
  ],
  'npm-registry-attestations-slsa-v1.json': [
    {
      verified: true,
      kind: 'sigstore-bundle',
      reason: /^verified offline: Sigstore bundle v0\.2, configured public key 'SHA256:jl3b/,
      signer: { keyHint: NPM_KEY_ID },
      subjects: [NPM_SIGSTORE_231],
      predicateType: NPM_PUBLISH,
    },
    {
      verified: true,
      kind: 'sigstore-bundle',
      reason: /Fulcio certificate for .*release\.yml@refs\/heads\/main' \(issuer 'https:\/\/token\.actions\.githubusercontent\.com'\).*provenance sourceCommit matches the certificate source repository digest/,
      signer: { identity: SIGSTORE_JS_WORKFLOW, issuer: GITHUB_ACTIONS },
      subjects: [NPM_SIGSTORE_231],
      predicateType: 'https://slsa.dev/provenance/v1',
      provenance: NPM_SLSA_V1_PROVENANCE,
    },
  ],
  'sigstore-js-bundleV01-dsse-with-proof.sigstore.json': sigstoreJs,
  'sigstore-js-bundleV01-full-cert-chain.sigstore.json': sigstoreJs,
  'sigstore-js-bundleV01-intoto-no-proof.sigstore.json': sigstoreJs,
  'sigstore-js-bundleV02-intoto.sigstore.json': sigstoreJs,
  'sigstore-js-bundleV03-dsse.sigstore.json': sigstoreJs,
  'sigstore-js-bundleV03-intoto.sigstore.json': sigstoreJs,
  'sigstore-js-statement.json': { throws: /bare in-toto Statement .*no signature to verify/ },
  'slsa-generator-v1.2.0-provenance-v0.2.dsse.jsonl': [
    {
      verified: false,
      kind: 'dsse',
      reason: UNSIGNED,
      signer: undefined,
      subjects: [{ name: 'hello', digest: 'sha256:d1faeb68e9bf4b3790bb08cc39fd2afb68ee37371c8b9f705e2e68f449b56240' }],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      provenance: {
        builderId:
          'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.2.0',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator@v1',
        sourceRepository: 'https://github.com/slsa-framework/example-package',
        sourceCommit: '67f34fa5b9e346c678fda315742fb51b449eedca',
        invocationId: '2700829295-1',
      },
    },
  ],
  'slsa-generator-v2.1.0-provenance-v0.2.sigstore.jsonl': [
    {
      verified: true,
      kind: 'sigstore-bundle',
      reason: /^verified offline: Sigstore bundle v0\.3, Fulcio certificate .*provenance sourceCommit matches/,
      signer: {
        identity:
          'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
        issuer: GITHUB_ACTIONS,
      },
      subjects: [
        {
          name: 'gha_generic-binary-linux-amd64-v13.0.30',
          digest: 'sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa',
        },
      ],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      provenance: {
        builderId:
          'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
        sourceRepository: 'https://github.com/slsa-framework/example-package',
        sourceCommit: '4d329c75e7ec1725f7c9ce917a8799d408d06be3',
        invocationId: '13530999948-1',
      },
    },
  ],
  'slsa-go-builder-v0.2.dsse.jsonl': [
    {
      verified: false,
      kind: 'dsse',
      reason: UNSIGNED,
      subjects: [
        { name: 'binary-linux-amd64', digest: 'sha256:c399eb14cb25fd95e515153decff3b1a00fd907f1af8fd1f46d2e8d07ed48009' },
      ],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      provenance: {
        builderId:
          'https://github.com/laurentsimon/slsa-github-generator-go/.github/workflows/slsa3_builder.yml@refs/heads/feat/assets',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator-go@v1',
        sourceRepository: 'https://github.com/laurentsimon/slsa-on-github-test',
        sourceCommit: 'df7d6694efa9f332c1e042f0452e5b7ece22d0d8',
        invocationId: '2229588692-1',
      },
    },
  ],
  'slsa-multi-subject.intoto.jsonl': [
    {
      verified: false,
      kind: 'dsse',
      reason: UNSIGNED,
      subjects: [
        { name: 'artifact1', digest: 'sha256:482ce8c8f7e867da3a3c05a9aee637703e17470ed1cf882a9e5b405e8f82619d' },
        { name: 'artifact2', digest: 'sha256:89cfc6954e88b2f92a7c2879d9eb085c42f3c7065d012a5066f450dbe59b2c00' },
        { name: 'artifact3', digest: 'sha256:7a5d21a6adac945561d859bd1decfc37b2408788cf3206df3519e281afd31b6e' },
      ],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      provenance: {
        builderId:
          'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
        sourceRepository: 'https://github.com/slsa-framework/example-package',
        sourceCommit: '60a179bd9181657528c7b14243f07511b4f63cf5',
        invocationId: '4060917406-1',
      },
    },
  ],
  'slsa-v1-statement-unsigned-docker-builder.json': { throws: /bare in-toto Statement/ },
  'slsa-vsa-gce.jsonl': [
    {
      verified: false,
      kind: 'dsse',
      reason: UNSIGNED,
      subjects: [{ name: '_', digest: 'gce_image_id:8970095005306000053' }],
      predicateType: 'https://slsa.dev/verification_summary/v1',
      provenance: undefined,
    },
  ],
  'trivy-cosign-attest-cyclonedx.dsse.json': [
    {
      verified: false,
      kind: 'dsse',
      reason: UNSIGNED,
      subjects: [
        {
          name: 'index.docker.io/otms61/hello-1',
          digest: 'sha256:20d3f693dcffa44d6b24eae88783324d25cc132c22089f70e4fbfb858625b062',
        },
      ],
      predicateType: 'https://cyclonedx.org/bom',
      provenance: undefined,
    },
  ],
};

function expectResult(actual: VerificationResult, expected: Expected) {
  const { reason, ...rest } = expected;
  expect(actual.reason).toMatch(reason);
  for (const [field, value] of Object.entries(rest)) {
    expect({ field, value: actual[field as keyof VerificationResult] }).toEqual({ field, value });
  }
}

describe('SignatureVerifier', () => {
  beforeAll(() => {
    // Prove "offline": any socket or fetch attempt fails loudly instead of hanging.
    jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('network access attempted during offline verification');
    });
    jest.spyOn(globalThis, 'fetch').mockImplementation(() => {
      throw new Error('fetch attempted during offline verification');
    });
  });
  afterAll(() => jest.restoreAllMocks());

  const verifier = new SignatureVerifier({
    trustedRoot,
    keys: [...npmKeys, { hint: 'my-key', publicKeyPem: keySignedPem }],
  });

  it('covers every fixture in fixtures/attestations/', () => {
    const files = readdirSync(ATTESTATIONS).filter(f => statSync(join(ATTESTATIONS, f)).isFile());
    expect(files.sort()).toEqual(Object.keys(TABLE).sort());
  });

  describe.each(Object.entries(TABLE))('%s', (file, expected) => {
    if ('throws' in expected) {
      it('is rejected as malformed input', () => {
        const run = () => verifier.verify({ bundle: readDoc(file) });
        expect(run).toThrow(InputError);
        expect(run).toThrow(expected.throws);
      });
      return;
    }
    it(`gives ${expected.length} result(s)`, () => {
      const results = verifier.verify({ bundle: readDoc(file) });
      expect(results).toHaveLength(expected.length);
      results.forEach((result, i) => expectResult(result, expected[i]));
      // provenance is only ever declared trustworthy alongside a verified signature
      results.forEach(r =>
        expect(r.reason).toMatch(r.verified ? /covered by the verified signature/ : /UNVERIFIED producer claims/),
      );
    });
  });

  describe('offline-verify key-signed messageSignature bundle (cosign --key style)', () => {
    const keyOnly = new SignatureVerifier({ keys: [{ hint: 'my-key', publicKeyPem: keySignedPem }] });
    const artifactDigest = `sha256:${createHash('sha256').update(keySignedArtifact).digest('hex')}`;

    it('verifies with the .pub.pem key and the artifact, thresholds 0 (no tlog / TSA)', () => {
      for (const v of [keyOnly, verifier]) {
        const [result] = v.verify({ bundle: keySignedBundle, artifact: keySignedArtifact });
        expect(result.verified).toBe(true);
        expectResult(result, {
          verified: true,
          kind: 'sigstore-bundle',
          reason: /^verified offline: Sigstore bundle v0\.3, configured public key 'my-key', 0 tlog entries \(no transparency log or timestamp: key-only trust\)/,
          signer: { keyHint: 'my-key' },
          subjects: [{ digest: artifactDigest }],
          predicateType: undefined,
        });
      }
    });

    it('also verifies with a hint-less configured key', () => {
      const [result] = new SignatureVerifier({ keys: [{ publicKeyPem: keySignedPem }] }).verify({
        bundle: keySignedBundle,
        artifact: keySignedArtifact,
      });
      expect(result).toMatchObject({ verified: true, signer: { keyHint: 'key #1' } });
    });

    it('fails with the wrong artifact', () => {
      const [result] = keyOnly.verify({ bundle: keySignedBundle, artifact: Buffer.from('hello artifakt\n') });
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^SIGNATURE_ERROR: signature verification failed/);
    });

    it('fails without the artifact', () => {
      const [result] = keyOnly.verify({ bundle: keySignedBundle });
      expect(result).toMatchObject({ verified: false, signer: { keyHint: 'my-key' } });
      expect(result.reason).toMatch(/^ARTIFACT_REQUIRED/);
    });

    it('fails when the messageDigest does not describe the signed artifact', () => {
      const tampered = structuredClone(keySignedBundle);
      tampered.messageSignature.messageDigest.digest = createHash('sha256').update('other').digest('base64');
      const [result] = keyOnly.verify({ bundle: tampered, artifact: keySignedArtifact });
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^MESSAGE_DIGEST_ERROR: artifact sha256:51bc0fc1/);
    });

    it('fails with another key, or with no keys configured', () => {
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
      const [wrongKey] = new SignatureVerifier({ keys: [{ hint: 'my-key', publicKeyPem: other.toString() }] }).verify({
        bundle: keySignedBundle,
        artifact: keySignedArtifact,
      });
      expect(wrongKey.verified).toBe(false);
      expect(wrongKey.reason).toMatch(/^SIGNATURE_ERROR/);
      const [noKeys] = new SignatureVerifier({ trustedRoot }).verify({
        bundle: keySignedBundle,
        artifact: keySignedArtifact,
      });
      expect(noKeys.verified).toBe(false);
      expect(noKeys.reason).toMatch(/^PUBLIC_KEY_ERROR: bundle is signed with public key 'my-key' but no keys are configured/);
    });
  });

  describe('certificate identity policy', () => {
    const npmDoc = () => readDoc('npm-registry-attestations-slsa-v1.json');

    it('rejects a Fulcio identity that matches no configured identity and names the SAN found', () => {
      const strict = new SignatureVerifier({
        trustedRoot,
        keys: npmKeys,
        identities: [{ subjectAlternativeName: '^https://github\\.com/my-org/', issuer: GITHUB_ACTIONS }],
      });
      const [publish, provenance] = strict.verify({ bundle: npmDoc() });
      expect(publish.verified).toBe(true); // key-based: identities do not apply
      expect(provenance.verified).toBe(false);
      expect(provenance.reason).toContain(`UNTRUSTED_SIGNER_ERROR: certificate identity '${SIGSTORE_JS_WORKFLOW}'`);
      expect(provenance.reason).toMatch(/UNVERIFIED producer claims/);
      expect(provenance.signer).toEqual({ identity: SIGSTORE_JS_WORKFLOW, issuer: GITHUB_ACTIONS });
      expect(provenance.provenance).toEqual(NPM_SLSA_V1_PROVENANCE);
    });

    it('rejects a matching SAN from another issuer', () => {
      const [, provenance] = new SignatureVerifier({
        trustedRoot,
        keys: npmKeys,
        identities: [{ subjectAlternativeName: '^https://github\\.com/sigstore/', issuer: 'https://accounts.google.com' }],
      }).verify({ bundle: npmDoc() });
      expect(provenance.verified).toBe(false);
      expect(provenance.reason).toMatch(/UNTRUSTED_SIGNER_ERROR.*issuer 'https:\/\/token\.actions\.githubusercontent\.com'/);
    });

    it('accepts an identity that matches one of the configured identities', () => {
      const v = new SignatureVerifier({
        trustedRoot,
        keys: npmKeys,
        identities: [
          { subjectAlternativeName: '^brian@dehamer\\.com$', issuer: BRIAN.issuer },
          { subjectAlternativeName: '^https://github\\.com/sigstore/sigstore-js/', issuer: GITHUB_ACTIONS },
        ],
      });
      const [, provenance] = v.verify({ bundle: npmDoc() });
      expect(provenance.verified).toBe(true);
      expect(provenance.reason).toMatch(/identity policy matched \^https:\/\/github\\\.com\/sigstore\/sigstore-js\//);
      const [brian] = v.verify({ bundle: readDoc('sigstore-js-bundleV03-dsse.sigstore.json') });
      expect(brian).toMatchObject({ verified: true, signer: BRIAN });
    });
  });

  describe('trust material', () => {
    it('cannot verify a Fulcio certificate without a trusted root (reports the claimed SAN)', () => {
      const [result] = new SignatureVerifier().verify({ bundle: readDoc('sigstore-js-bundleV02-intoto.sigstore.json') });
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^CERTIFICATE_ERROR: no trusted root configured/);
      expect(result.signer).toEqual({ identity: 'brian@dehamer.com' });
    });

    it('needs the npm registry key for the npm publish attestation, within its validFor window', () => {
      const [noKey] = new SignatureVerifier({ trustedRoot }).verify({ bundle: readDoc('npm-registry-attestations-slsa-v1.json') });
      expect(noKey.verified).toBe(false);
      expect(noKey.reason).toMatch(/^PUBLIC_KEY_ERROR/);
      const expired = npmKeys.map(k => ({ ...k, validFor: { end: '2020-01-01T00:00:00Z' } }));
      const [outside] = new SignatureVerifier({ trustedRoot, keys: expired }).verify({
        bundle: readDoc('npm-registry-attestations-slsa-v1.json'),
      });
      expect(outside.verified).toBe(false);
      expect(outside.reason).toMatch(/^PUBLIC_KEY_ERROR: Public key is not valid for timestamp/);
    });

    it('rejects a certificate bundle whose signature was altered', () => {
      const bundle = readDoc('sigstore-js-bundleV03-dsse.sigstore.json') as any;
      const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
      sig[sig.length - 1] ^= 0x01;
      bundle.dsseEnvelope.signatures[0].sig = sig.toString('base64');
      const [result] = verifier.verify({ bundle });
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^(TLOG_BODY_ERROR|SIGNATURE_ERROR)/);
    });
  });

  describe('bare DSSE envelope with a configured key (node:crypto over PAE)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tgz', digest: { sha256: 'AB'.repeat(32) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { runDetails: { builder: { id: 'https://example.com/builder' } } },
    };
    const payload = Buffer.from(JSON.stringify(statement));
    const envelope = {
      payloadType: 'application/vnd.in-toto+json',
      payload: payload.toString('base64'),
      signatures: [
        { keyid: '', sig: cryptoSign('sha256', preAuthEncoding('application/vnd.in-toto+json', payload), privateKey).toString('base64') },
      ],
    };
    const v = new SignatureVerifier({
      keys: [{ hint: 'ci-key', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    });

    it('verifies and extracts lowercase digests and v1 provenance', () => {
      const [result] = v.verify({ bundle: envelope });
      expect(result.verified).toBe(true);
      expectResult(result, {
        verified: true,
        kind: 'dsse',
        reason: /^DSSE signature verified with configured key 'ci-key'/,
        signer: { keyHint: 'ci-key' },
        subjects: [{ name: 'app.tgz', digest: `sha256:${'ab'.repeat(32)}` }],
        provenance: { builderId: 'https://example.com/builder' },
      });
    });

    it('does not verify a tampered payload', () => {
      const tampered = { ...envelope, payload: Buffer.from(JSON.stringify({ ...statement, predicateType: 'x' })).toString('base64') };
      const [result] = v.verify({ bundle: tampered });
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^unsigned envelope: no Sigstore verification material; none of the 1 DSSE signature/);
    });
  });

  describe('input shapes', () => {
    it('accepts JSON Lines text, arrays and Buffers', () => {
      const text = readFileSync(join(ATTESTATIONS, 'slsa-multi-subject.intoto.jsonl'), 'utf8').trim();
      const twoLines = `${text}\n${readFileSync(join(ATTESTATIONS, 'slsa-go-builder-v0.2.dsse.jsonl'), 'utf8').trim()}\n`;
      expect(verifier.verify({ bundle: twoLines })).toHaveLength(2);
      expect(verifier.verify({ bundle: Buffer.from(twoLines) })).toHaveLength(2);
      expect(verifier.verify({ bundle: parseAttestationDocument(twoLines) })).toHaveLength(2);
      expect(verifier.verify({ bundle: { attestations: [] } })).toEqual([]);
    });

    it.each<[string, unknown, RegExp]>([
      ['garbage text', 'definitely not json {', /not JSON/],
      ['a number', 42, /expected a Sigstore bundle.*got number/],
      ['null', null, /bundle is missing/],
      ['an unrelated object', { foo: 1, bar: 2 }, /not a Sigstore bundle.*keys found: foo, bar/],
      ['a bundle with no content', { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }, /not a valid Sigstore bundle.*\[content, verificationMaterial\]/],
      ['a bundle-like object without mediaType', { verificationMaterial: {}, dsseEnvelope: {} }, /no recognised mediaType/],
      ['an attestations entry with bundle_url only', { attestations: [{ bundle_url: 'https://example.com/x.json.sn' }] }, /bundle is not inline/],
      ['a DSSE envelope without signatures array', { payloadType: 'application/vnd.in-toto+json', payload: 'e30=' }, /DSSE envelope needs/],
      ['a DSSE envelope with non-base64 payload', { payloadType: 'x', payload: '%%%', signatures: [] }, /not base64/],
    ])('throws InputError for %s', (_name, bundle, message) => {
      const run = () => verifier.verify({ bundle });
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
    });

    it('throws InputError for a non-object input or artifact', () => {
      expect(() => verifier.verify(undefined as any)).toThrow(InputError);
      expect(() => verifier.verify({ bundle: keySignedBundle, artifact: 'text' as any })).toThrow(/artifact must be a Buffer/);
    });

    it('throws InputError for bad configuration', () => {
      expect(() => new SignatureVerifier({ keys: [{ publicKeyPem: 'nope' }] })).toThrow(InputError);
      expect(() => new SignatureVerifier({ identities: [{ subjectAlternativeName: '(', issuer: 'x' }] })).toThrow(/not a valid regex/);
      expect(() => new SignatureVerifier({ trustedRoot: { hello: 'world' } })).toThrow(/trusted_root\.json/);
      expect(() => new SignatureVerifier({ keys: [{ publicKeyPem: keySignedPem, validFor: { start: 'soon' } }] })).toThrow(
        /not an ISO-8601/,
      );
    });
  });

  describe('summariseStatement (unsigned statements)', () => {
    it('extracts SLSA v1 provenance from the docker builder statement', () => {
      const summary = summariseStatement(readDoc('slsa-v1-statement-unsigned-docker-builder.json'));
      expect(summary).toEqual({
        statementType: 'https://in-toto.io/Statement/v0.1',
        predicateType: 'https://slsa.dev/provenance/v1.0',
        subjects: [{ name: 'config.toml', digest: 'sha256:975a0582b8c9607f3f20a6b8cfef01b25823e68c5c3658e6e1ccaaced2a3255d' }],
        provenance: {
          buildType: 'https://slsa.dev/container-based-build/v0.1?draft',
          sourceRepository: 'https://github.com/slsa-framework/slsa-github-generator',
          sourceCommit: 'cf5804b5c6f1a4b2a0b03401a487dfdfbe3a5f00',
        },
      });
    });

    it('rejects non-statements', () => {
      expect(() => summariseStatement({ foo: 1 })).toThrow(InputError);
    });
  });
});
