import { TestDatabases } from '@backstage/backend-test-utils';
import {
  builtInNormalizers,
  NormalizerRegistry,
  parseReportBody,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { FIXTURES_DIR, readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(300_000);

const databases = TestDatabases.create();

// Fixture folders that hold scanner reports; attestations and GitHub API shapes belong to the
// evidence and GitHub provider features, schemas are not reports.
const REPORT_FOLDERS = [
  'sarif',
  'cyclonedx',
  'spdx',
  'trivy',
  'grype',
  'osv',
  'gitleaks',
  'trufflehog',
  'semgrep',
  'iac',
  'scorecard',
  'openvex',
];

function listReportFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'schema') walk(full);
      } else if (!name.startsWith('schema-') && !name.endsWith('.md')) {
        out.push(relative(FIXTURES_DIR, full));
      }
    }
  };
  for (const folder of REPORT_FOLDERS) walk(join(FIXTURES_DIR, folder));
  return out;
}

/**
 * Fixtures the API refuses, with the status and why. Every other fixture must be accepted.
 * Bodies that are `null`, `[]`, `{"results":null}` or empty could be several formats, so they
 * need the format named; they are accepted then (see `AMBIGUOUS_WITH_FORMAT`).
 */
const REFUSED: Record<string, [number, RegExp]> = {
  'sarif/edge-invalid-results-is-number.sarif': [400, /\$\.runs\[0\]\.results must be an array/],
  'sarif/spec-comprehensive.sarif': [400, /\$\.version must be "2\.1\.0" \(got "2\.0\.0"\)/],
  'sarif/spec-minimal.sarif': [415, /of no known format/],
  'cyclonedx/edge-INVALID-bomformat-1.6.json': [415, /of no known format/],
  'spdx/edge-spdx-3.0-jsonld.json': [415, /Detected SPDX 3 JSON-LD/],
  'spdx/edge-tag-value-format.spdx': [415, /Detected SPDX tag-value/],
  'gitleaks/edge-null.json': [415, /a top-level null/],
  'gitleaks/edge-v8-empty.json': [415, /a top-level array/],
  'trivy/dd-legacy-null.json': [415, /a top-level null/],
  'osv/edge-empty-file.json': [415, /The report is empty/],
  'iac/tfsec-null-results.json': [415, /of no known format/],
  'scorecard/scorecard-oidc-test-results.sarif': [400, /is OpenSSF Scorecard.*format 'openssf-scorecard'/],
};

const AMBIGUOUS_WITH_FORMAT: Record<string, string> = {
  'gitleaks/edge-null.json': 'gitleaks',
  'gitleaks/edge-v8-empty.json': 'gitleaks',
  'trivy/dd-legacy-null.json': 'trivy',
  'osv/edge-empty-file.json': 'osv-scanner',
  'iac/tfsec-null-results.json': 'tfsec',
};

const registry = new NormalizerRegistry();
registry.add(...builtInNormalizers);

function body(fixture: string): Buffer {
  const bytes = readFixture(fixture);
  return fixture.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

describe.each(databases.eachSupportedId())('every real fixture through the API on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeAll(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterAll(() => backend.stop());

  const upload = (bytes: Buffer, query: string) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=payments-api&${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/octet-stream')
      .serialize((data: unknown) => data as string)
      .send(bytes);

  const accepted = listReportFixtures().filter(f => !REFUSED[f]);

  it('covers every fixture, refused ones by name', () => {
    expect(accepted.length).toBeGreaterThan(100);
    expect(Object.keys(REFUSED).every(f => listReportFixtures().includes(f))).toBe(true);
  });

  it.each(Object.entries(REFUSED))('refuses %s', async (fixture, [status, message]) => {
    const response = await upload(body(fixture), '');
    expect([response.status, response.body.error?.message]).toEqual([
      status,
      expect.stringMatching(message),
    ]);
  });

  it.each(Object.entries(AMBIGUOUS_WITH_FORMAT))(
    'accepts %s once the format is named (%s)',
    async (fixture, format) => {
      const named = await upload(body(fixture), `format=${format}`);
      expect(named.status).toBe(201);
      expect(named.body.report.summary.total).toBe(0);
    },
  );

  it.each(accepted)('accepts %s', async fixture => {
    const response = await upload(body(fixture), '');
    expect([response.status, response.body.error?.message]).toEqual([201, undefined]);
    const report = response.body.report;

    // Nothing is lost between the normaliser and the store: the summary counts what the
    // normaliser read, and the findings table holds one row per distinct fingerprint.
    const parsed = parseReportBody(body(fixture));
    const normalized = registry.resolve(parsed).normalize(parsed, {
      secretFingerprint: s => s,
    });
    expect(report.format).toBe(registry.resolve(parsed).id);
    expect(report.summary.total).toBe(normalized.findings.length);
    expect(report.summary.components).toBe(normalized.components?.length ?? 0);
    const rows = await backend.knex('devsecops_findings').where({ last_report_id: report.id });
    const distinct = new Set(normalized.findings.map(f => `${f.control}/${f.fingerprint}`));
    expect(rows).toHaveLength(distinct.size);
  });
});

// Keys whose values are secrets in the secret scanners' fixtures, and keys whose values hold a
// secret among other text (code lines, diffs, SARIF snippets).
const SECRET_VALUE_KEYS = new Set(['secret', 'match', 'offender', 'raw', 'rawv2', 'redacted', 'stringsfound']);
const SECRET_TEXT_KEYS = new Set(['diff', 'printdiff', 'content', 'line', 'snippet.text']);
const PLACEHOLDER = /^(REDACTED|\*+|.*\.\.\.|\[REDACTED.*\])$/;
// A token that looks like key material: long, with both letters and digits.
const looksLikeSecret = (t: string) =>
  t.length >= 12 && /[0-9]/.test(t) && /[A-Za-z]/.test(t) && !PLACEHOLDER.test(t);

/** Every secret value in a document, collected independently of the normalisers. */
function collectSecrets(value: unknown, path: string[] = [], out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(item => collectSecrets(item, path, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, [...path, k.toLowerCase()], out);
  } else if (typeof value === 'string') {
    const key = path[path.length - 1] ?? '';
    const twoKeys = path.slice(-2).join('.');
    if (SECRET_VALUE_KEYS.has(key) && value.trim().length >= 8 && !PLACEHOLDER.test(value.trim())) {
      out.add(value.trim());
    }
    if (SECRET_VALUE_KEYS.has(key) || SECRET_TEXT_KEYS.has(key) || SECRET_TEXT_KEYS.has(twoKeys)) {
      for (const token of value.split(/[\s"'=:,;()<>`]+/)) {
        if (looksLikeSecret(token.trim())) out.add(token.trim());
      }
    }
  }
  return out;
}

const SECRET_FIXTURES = [
  'gitleaks/dd-v6-legacy-no-linenumber.json',
  'gitleaks/dd-v7-redacted.json',
  'gitleaks/dd-v7.5-legacy.json',
  'gitleaks/v8-baseline-redacted.json',
  'gitleaks/v8-golden-simple.json',
  'trufflehog/v3-git.jsonl',
  'trufflehog/large/v2-legacy-many.jsonl',
  'sarif/gitleaks-v7.5.sarif',
  'sarif/gitleaks-v8.sarif',
  'trivy/secrets-repo.json',
];

describe.each(databases.eachSupportedId())('secret values never reach the database on %p', databaseId => {
  it('finds none of the fixtures’ secrets anywhere in a full dump, bodies unpacked', async () => {
    const backend = await startDevsecopsBackend(databases, databaseId);
    try {
      const secrets = new Set<string>();
      for (const fixture of SECRET_FIXTURES) {
        const parsed = parseReportBody(body(fixture));
        const documents = parsed.shape === 'ndjson' ? parsed.values : [];
        if (parsed.shape === 'json') documents.push(parsed.value);
        documents.forEach(d => collectSecrets(d, [], secrets));

        const response = await request(backend.server)
          .post('/api/devsecops/v1/reports?entity=payments-api')
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/octet-stream')
          .serialize((data: unknown) => data as string)
          .send(body(fixture));
        expect([fixture, response.status]).toEqual([fixture, 201]);
        expect(response.body.report.bodyRedacted).toBe(true);
      }
      // The collector must have found real secrets, or this test would prove nothing.
      expect(secrets.size).toBeGreaterThan(40);
      expect([...secrets]).toEqual(expect.arrayContaining(['c77e01c1e89682e4d4b94a059a7fd2b37ab326ed']));

      const tables = (
        await backend.knex('sqlite_master').select('name').where('type', 'table').catch(() => undefined)
      ) ?? (await backend.knex('pg_tables').select({ name: 'tablename' }).where('schemaname', 'public'));
      let dump = '';
      for (const { name } of tables.filter((t: { name: string }) => t.name.startsWith('devsecops_'))) {
        for (const row of await backend.knex(name).select('*')) {
          for (const [column, value] of Object.entries(row)) {
            dump +=
              Buffer.isBuffer(value) || value instanceof Uint8Array
                ? gunzipSync(Buffer.from(value)).toString('utf8')
                : `${column}=${JSON.stringify(value)}\n`;
          }
        }
      }
      expect(dump.length).toBeGreaterThan(10_000);
      const leaked = [...secrets].filter(secret => dump.includes(secret));
      expect(leaked).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
