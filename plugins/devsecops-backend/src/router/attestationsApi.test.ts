import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const SUBJECT = 'sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa';

describe.each(databases.eachSupportedId())('attestations on %p', databaseId => {
  it('verifies a real SLSA provenance bundle offline and records the signature for its subject', async () => {
    const backend = await startDevsecopsBackend(databases, databaseId, {
      config: {
        devsecops: {
          signatures: {
            trustedRoot: readFixture('attestations/offline-verify/trusted_root.json').toString('utf8'),
            identities: [
              {
                subjectAlternativeName: '^https://github.com/slsa-framework/slsa-github-generator/',
                issuer: 'https://token.actions.githubusercontent.com',
              },
            ],
          },
        },
      },
    });
    try {
      const upload = (file: string, query = '') =>
        request(backend.server)
          .post(`/api/devsecops/v1/attestations?entity=payments-api${query}`)
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/octet-stream')
          .serialize((d: unknown) => d as string)
          .send(readFixture(file));

      const ok = await upload('attestations/slsa-generator-v2.1.0-provenance-v0.2.sigstore.jsonl');
      expect(ok.status).toBe(201);
      expect(ok.body.results).toHaveLength(1);
      expect(ok.body.results[0]).toMatchObject({
        verified: true,
        kind: 'sigstore-bundle',
        recordedFor: [SUBJECT],
        signer: { issuer: 'https://token.actions.githubusercontent.com' },
      });

      // The gate and the evidence chain now see a verified signature for that digest.
      const gate = await request(backend.server)
        .post('/api/devsecops/v1/gate/decisions')
        .set('Authorization', ciHeader())
        .send({ entityRef: 'payments-api', artifactDigest: SUBJECT, environment: 'production' });
      expect(gate.body.requirements.find((r: any) => r.requirement === 'artifact_signature')).toMatchObject({ passed: true });

      // Unsigned envelopes are recorded as not verified; a digest no subject names is refused.
      const unsigned = await upload('attestations/slsa-go-builder-v0.2.dsse.jsonl');
      expect(unsigned.status).toBe(201);
      expect(unsigned.body.results[0]).toMatchObject({ verified: false, kind: 'dsse' });
      const elsewhere = await upload(
        'attestations/slsa-generator-v2.1.0-provenance-v0.2.sigstore.jsonl',
        `&artifact=sha256:${'1'.repeat(64)}`,
      );
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error.message).toContain(`No signed subject names sha256:${'1'.repeat(64)}`);
      const garbage = await request(backend.server)
        .post('/api/devsecops/v1/attestations?entity=payments-api')
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send('{"hello":"world"}');
      expect(garbage.status).toBe(400);
      const asUser = await request(backend.server)
        .post('/api/devsecops/v1/attestations?entity=payments-api')
        .set('Authorization', mockCredentials.user.header())
        .set('Content-Type', 'application/json')
        .send('{}');
      expect(asUser.status).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});
