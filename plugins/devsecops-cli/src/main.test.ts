import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
// The backend's own test harness (real plugin, mocked catalog): the CLI is tested against it.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { startDevsecopsBackend } from '@devsecops-scorecard/plugin-devsecops-backend/src/__testUtils__/testBackend';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { testSigner } from '@devsecops-scorecard/plugin-devsecops-backend/src/__testUtils__/signing';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from './main';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const TOKEN = mockCredentials.service.header().replace(/^Bearer /, '');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const RELEASE = `sha256:${'b'.repeat(64)}`;
const COMMIT = 'c0ffee0123456789c0ffee0123456789c0ffee01';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
let backendUrl: string;
// The pipeline's signing key, trusted by the backend (devsecops.signatures.keys).
const signer = testSigner();
let stubs: Server[] = [];

function urlOf(server: { address(): AddressInfo | string | null }) {
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** Runs the CLI in-process with captured streams; sleeps are recorded, never waited. */
async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
) {
  let stdout = '';
  let stderr = '';
  const sleeps: number[] = [];
  const code = await main(
    args,
    { DEVSECOPS_URL: backendUrl, DEVSECOPS_TOKEN: TOKEN, ...env },
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    { sleep: async ms => void sleeps.push(ms), random: () => 0.5 },
  );
  return { code, stdout, stderr, sleeps };
}

/** A local HTTP server whose handler sees each request with its body, numbered from 1. */
async function stubServer(
  handler: (
    n: number,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ) => void | Promise<void>,
) {
  let count = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    count += 1;
    await handler(count, req, Buffer.concat(chunks), res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  stubs.push(server);
  return { url: urlOf(server), requests: () => count };
}

/** Forwards one request to the real backend and returns its answer. */
async function forward(req: IncomingMessage, body: Buffer) {
  const response = await fetch(`${backendUrl}${req.url}`, {
    method: req.method,
    headers: {
      authorization: String(req.headers.authorization),
      'content-type': String(req.headers['content-type']),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const jsonError = (res: ServerResponse, status: number, message: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: { name: 'Error', message },
      response: { statusCode: status },
    }),
  );
};

beforeAll(async () => {
  backend = await startDevsecopsBackend(databases, 'SQLITE_3', {
    config: { devsecops: { signatures: { keys: [signer.key] } } },
  });
  backendUrl = urlOf(backend.server);
});
afterAll(() => backend.stop());
afterEach(async () => {
  await Promise.all(stubs.map(s => new Promise(resolve => s.close(resolve))));
  stubs = [];
});

describe('devsecops upload', () => {
  it('validates locally, uploads, and a second identical upload is "already stored"', async () => {
    const args = [
      'upload',
      fixture('trivy/image-alpine-310.json'),
      '--entity',
      'component:default/payments-api',
      '--artifact',
      DIGEST,
      '--branch',
      'main',
      '--commit',
      COMMIT,
    ];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('validated');
    expect(first.stderr).toContain('trivy from Trivy');
    expect(first.stderr).toContain('uploading 4 findings (4 medium)');
    expect(first.stdout).toMatch(
      /^stored: trivy report from Trivy for component:default\/payments-api \(report [0-9a-f-]+\); findings 4 new, 0 updated, 0 resolved\n$/,
    );

    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^already stored: trivy report .* nothing changed\n$/,
    );

    const json = await cli([...args, '--json']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout); // nothing but the JSON on stdout
    expect(body).toMatchObject({
      duplicate: true,
      report: {
        entityRef: 'component:default/payments-api',
        format: 'trivy',
        artifactDigest: DIGEST,
      },
    });
    expect(json.stderr).toContain('validated');
  });

  it('dates a scan with --scanned-at and refuses one older than the newest recorded', async () => {
    const scannedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const args = ['upload', fixture('semgrep/semgrep-json-severities.json'), '--entity', 'checkout-web', '--json'];
    const first = await cli([...args, '--scanned-at', scannedAt]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).report.scannedAt).toBe(scannedAt);
    const older = await cli([...args, '--scanned-at', new Date(Date.now() - 5 * 86_400_000).toISOString()]);
    expect(older.code).toBe(2);
    expect(older.stderr).toContain('older than the newest scan already recorded');
    const bad = await cli([...args, '--scanned-at', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--scanned-at 'last tuesday' is not an ISO 8601 time");
  });

  it('passes --scanners through, so a clean Trivy run resolves the secrets an earlier run found', async () => {
    const entity = ['--entity', 'shared-lib-docs'];
    const found = await cli(['upload', fixture('trivy/secrets-repo.json'), ...entity, '--json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).findings.new).toBe(2);

    const seen: string[] = [];
    const proxy = await stubServer(async (_n, req, body, res) => {
      seen.push(String(req.url));
      const answer = await forward(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.text);
    });
    const clean = ['upload', fixture('trivy/dd-schema2-no-vulns.json'), ...entity];
    const both = await cli([...clean, '--scanners', 'vuln,secret', '--json'], { DEVSECOPS_URL: proxy.url });
    expect(both.code).toBe(0);
    expect(new URL(seen[0], proxy.url).searchParams.get('scanners')).toBe('vuln,secret');
    expect(JSON.parse(both.stdout)).toMatchObject({
      duplicate: false,
      report: { controls: ['container-scan', 'secret-scanning'] },
      findings: { resolved: 2 },
    });

    // Checked locally before anything is sent: names the report's tool does not have, bad shapes,
    // and --control with --scanners.
    const unknown = await cli([...clean, '--scanners', 'vuln,sbom'], { DEVSECOPS_URL: proxy.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown scanner 'sbom' for trivy reports; valid: vuln, misconfig, secret, license");
    const shape = await cli([...clean, '--scanners', 'Vuln;secret'], { DEVSECOPS_URL: proxy.url });
    expect(shape.code).not.toBe(0);
    expect(shape.stderr).toContain("--scanners 'Vuln;secret' is not a comma-separated list of scanner names");
    const pair = await cli([...clean, '--scanners', 'secret', '--control', 'secret-scanning'], { DEVSECOPS_URL: proxy.url });
    expect(pair.code).not.toBe(0);
    expect(pair.stderr).toContain('either --control');
    expect(proxy.requests()).toBe(1);

    // Without local validation the backend refuses the unknown name with the same list.
    const server = await cli([...clean, '--scanners', 'sbom', '--skip-validation']);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/answered 400: Unknown scanner 'sbom' for trivy reports; valid: vuln, misconfig, secret, license/);
  });

  it("leaves --control to the backend's configured controls: a config-only one (dast) is accepted, an unknown one refused with the server's message", async () => {
    // A second backend whose app-config adds `dast`, as an adopter would.
    const configured = await startDevsecopsBackend(databases, 'SQLITE_3', {
      config: {
        devsecops: {
          controls: {
            dast: { stage: 'build', title: 'DAST', freshnessDays: 30, failOnSeverity: 'high' },
          },
        },
      },
    });
    try {
      const env = { DEVSECOPS_URL: urlOf(configured.server) };
      const args = ['upload', fixture('semgrep/semgrep-json-severities.json'), '--entity', 'payments-api'];
      const dast = await cli([...args, '--control', 'dast', '--json'], env);
      expect(dast.stderr).not.toContain('Unknown control');
      expect(dast.code).toBe(0);
      expect(JSON.parse(dast.stdout).report).toMatchObject({
        entityRef: 'component:default/payments-api',
        controls: ['dast'],
      });

      const unknown = await cli([...args, '--control', 'pentest'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toMatch(/answered 400: Unknown control 'pentest'\. Controls: secret-scanning, .*, dast/);
    } finally {
      await configured.stop();
    }
    // The shared backend has the shipped controls only: dast is unknown there, and it says so.
    const shipped = await cli(['upload', fixture('semgrep/semgrep-json-severities.json'), '--entity', 'payments-api', '--control', 'dast']);
    expect(shipped.code).toBe(2);
    expect(shipped.stderr).toContain("answered 400: Unknown control 'dast'. Controls: secret-scanning");
  });

  it('uploads a gitleaks report found by repository, without ever echoing the secret', async () => {
    const result = await cli([
      'upload',
      fixture('gitleaks/v8-golden-simple.json'),
      '--repository',
      'acme/checkout-web',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('gitleaks from gitleaks');
    expect(result.stderr).toContain('uploading 1 finding');
    expect(result.stdout).toContain(
      'stored: gitleaks report from gitleaks for component:default/checkout-web',
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain('a secret');
  });

  it('fails locally with exit 2 and sends nothing when the file is bad', async () => {
    const server = await stubServer((_n, _req, _body, res) =>
      jsonError(res, 500, 'must not be called'),
    );
    const env = { DEVSECOPS_URL: server.url };
    const cases: Array<[string[], string]> = [
      [[fixture('spdx/edge-tag-value-format.spdx')], 'Detected SPDX tag-value'],
      [
        [fixture('github-api/branch-protection.json')],
        'of no known format. Supported formats: sarif, cyclonedx',
      ],
      [
        [fixture('sarif/edge-invalid-results-is-number.sarif')],
        'SARIF 2.1.0: $.runs[0].results must be an array (got number)',
      ],
      [
        [fixture('trivy/image-alpine-310.json'), '--format', 'nessus'],
        "Unknown report format 'nessus'",
      ],
      [
        // A named format must match: a Grype report is no clean Trivy scan (issue 13 item 1).
        [fixture('grype/grype-golden-image.json'), '--format', 'trivy'],
        "cannot be uploaded: The body is not a Trivy JSON report (it looks like a Grype JSON report; format 'grype')",
      ],
      [
        [fixture('github-api/branch-protection.json'), '--format', 'osv-scanner'],
        'The body is not an osv-scanner JSON report (it matches no known format',
      ],
      [[fixture('osv/edge-empty-file.json')], 'The report is empty'],
      [
        [fixture('gitleaks/edge-v8-empty.json')],
        'Detected JSON (a top-level array) of no known format',
      ],
      [[fixture('does-not-exist.json')], 'Cannot read'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(
        ['upload', ...args, '--entity', 'payments-api'],
        env,
      );
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(server.requests()).toBe(0);
  });

  it('refuses wrong usage with exit 2 before any request', async () => {
    const server = await stubServer((_n, _req, _body, res) =>
      jsonError(res, 500, 'must not be called'),
    );
    const file = fixture('gitleaks/edge-v8-empty.json');
    const env = { DEVSECOPS_URL: server.url };
    const expectations: Array<
      [string[], Record<string, string | undefined>, string]
    > = [
      [['upload', file], env, 'Pass --entity'],
      [
        ['upload', file, '--entity', 'a', '--repository', 'b/c'],
        env,
        'not both',
      ],
      [['upload', '--entity', 'a'], env, 'Name the report file'],
      [
        ['upload', file, '--entity', 'a', '--artifact', 'latest'],
        env,
        'is not a digest',
      ],
      [
        ['upload', file, '--entity', 'a', '--control', 'Not A Control'],
        env,
        "--control 'Not A Control' is not a control id",
      ],
      [
        ['upload', file, '--entity', 'a', '--bogus'],
        env,
        "Unknown option '--bogus'",
      ],
      [
        ['upload', file, '--entity', 'a'],
        { ...env, DEVSECOPS_TOKEN: undefined },
        'No token',
      ],
      [
        ['upload', file, '--entity', 'a'],
        { DEVSECOPS_URL: undefined },
        'No backend URL',
      ],
      [
        ['gate', '--entity', 'a', '--artifact-digest', DIGEST],
        env,
        '--environment is required',
      ],
      [
        [
          'deploy',
          '--entity',
          'a',
          '--environment',
          'production',
          '--artifact-digest',
          DIGEST,
        ],
        env,
        '--deployer is required',
      ],
      [
        ['facts', '--entity', 'a', '--fact', 'Bad Name=1'],
        env,
        "Fact name 'Bad Name'",
      ],
      [['frobnicate'], env, "unknown command 'frobnicate'"],
      [['attest'], env, 'Name one bundle file'],
    ];
    for (const [args, environment, message] of expectations) {
      const result = await cli(args, environment);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
    }
    expect(server.requests()).toBe(0);
  });

  it('shows a progress indicator on stderr for files over 5 MB', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'devsecops-cli-'));
    try {
      const file = path.join(dir, 'gitleaks-large.json');
      // A valid (empty) gitleaks report padded past 5 MB with whitespace.
      await writeFile(file, `[]${' '.repeat(6 * 1024 * 1024)}\n`);
      const result = await cli([
        'upload',
        file,
        '--entity',
        'shared-lib-docs',
        '--format',
        'gitleaks',
      ]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('compressing');
      expect(result.stderr).toContain('(100%)');
      expect(result.stderr).toMatch(/compressed .*: 6\.3 MB → \d/);
      expect(result.stdout).toContain('stored: gitleaks report');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('retries', () => {
  it('retries 429 and 503 with growing, jittered delays, then succeeds on the third attempt', async () => {
    const server = await stubServer(async (n, req, body, res) => {
      if (n === 1) return jsonError(res, 429, 'slow down');
      if (n === 2) return jsonError(res, 503, 'database unreachable');
      const answer = await forward(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      return void res.end(answer.text);
    });
    const result = await cli(
      [
        'upload',
        fixture('sarif/gitleaks-v8.sarif'),
        '--entity',
        'checkout-web',
      ],
      { DEVSECOPS_URL: server.url },
    );
    expect(result.code).toBe(0);
    expect(server.requests()).toBe(3);
    expect(result.stderr).toContain(
      'attempt 1/4 failed (429 slow down); retrying',
    );
    expect(result.stderr).toContain(
      'attempt 2/4 failed (503 database unreachable); retrying',
    );
    // base 1 s doubling, equal jitter with random() = 0.5: 750 ms, then 1500 ms
    expect(result.sleeps).toEqual([750, 1500]);
    expect(result.stdout).toContain('stored: sarif report');
  });

  it('does not retry a 4xx and prints the server message', async () => {
    const server = await stubServer((_n, _req, _body, res) =>
      jsonError(res, 400, "Unknown entity 'component:default/nope'"),
    );
    const result = await cli(
      [
        'upload',
        fixture('gitleaks/edge-v8-empty.json'),
        '--entity',
        'nope',
        '--format',
        'gitleaks',
      ],
      { DEVSECOPS_URL: server.url },
    );
    expect(result.code).toBe(2);
    expect(server.requests()).toBe(1);
    expect(result.sleeps).toEqual([]);
    expect(result.stderr).toContain(
      "answered 400: Unknown entity 'component:default/nope'",
    );
  });

  it('gives up after --attempts and exits 2', async () => {
    const server = await stubServer((_n, _req, _body, res) =>
      jsonError(res, 502, 'bad gateway'),
    );
    const result = await cli(
      [
        'gate',
        '--entity',
        'payments-api',
        '--artifact-digest',
        DIGEST,
        '--environment',
        'production',
        '--attempts',
        '2',
      ],
      { DEVSECOPS_URL: server.url },
    );
    expect(result.code).toBe(2);
    expect(server.requests()).toBe(2);
    expect(result.stderr).toContain(
      'answered 502 (after 2 attempts): bad gateway',
    );
  });

  it('a retried upload whose first attempt was stored is answered "already stored", never twice', async () => {
    const server = await stubServer(async (n, req, body, res) => {
      const answer = await forward(req, body);
      if (n === 1) {
        // The backend stored it, but the connection dies before the answer reaches the CLI.
        res.socket?.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.text);
    });
    const args = [
      'upload',
      fixture('semgrep/semgrep-json-severities.json'),
      '--entity',
      'checkout-web',
    ];
    const result = await cli(args, { DEVSECOPS_URL: server.url });
    expect(result.code).toBe(0);
    expect(server.requests()).toBe(2);
    expect(result.stderr).toMatch(/attempt 1\/4 failed \(.+\); retrying/);
    expect(result.stdout).toMatch(
      /^already stored: semgrep report .* nothing changed; an earlier attempt had reached the server\n$/,
    );

    // One report in the store for that body: asking again directly says the same.
    const json = await cli([...args, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      duplicate: true,
      report: { format: 'semgrep' },
    });
  });

  it('never prints the token, even when the server echoes it', async () => {
    const secret = 'super-secret-token-1234567890';
    const server = await stubServer((_n, req, _body, res) =>
      jsonError(res, 401, `bad credentials ${req.headers.authorization}`),
    );
    const result = await cli(
      [
        'facts',
        '--entity',
        'payments-api',
        '--fact',
        'x.y=1',
        '--token',
        secret,
      ],
      { DEVSECOPS_URL: server.url },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad credentials Bearer ***');
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  });
});

describe('facts, deploy and the release gate', () => {
  it('records evidence, then the gate allows (exit 0) or denies (exit 1) with each reason', async () => {
    const entity = ['--entity', 'component:default/payments-api'];
    const uploads = [
      [
        'upload',
        fixture('gitleaks/edge-v8-empty.json'),
        ...entity,
        '--format',
        'gitleaks',
      ],
      [
        'upload',
        fixture('trivy/image-alpine-310.json'),
        ...entity,
        '--artifact',
        RELEASE,
      ],
      [
        'upload',
        fixture('cyclonedx/spec-valid-bom-1.6.json'),
        ...entity,
        '--artifact',
        RELEASE,
      ],
    ];
    for (const args of uploads) {
      const result = await cli(args);
      expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({
        args,
        code: 0,
      });
    }
    const facts = await cli([
      'facts',
      ...entity,
      '--fact',
      'branch_protection.enabled=true',
      '--fact',
      'branch_protection.branch=main',
      '--fact',
      'branch_protection.required_reviews=2',
      '--source',
      'ci-test',
    ]);
    expect(facts.code).toBe(0);
    expect(facts.stdout).toContain(
      'recorded 3 facts for component:default/payments-api',
    );
    // A signature is not a claim: refused as a fact (before sending), naming the endpoint to use.
    const claimed = await cli([
      'facts',
      ...entity,
      '--fact',
      `artifact_signature={"digest":"${RELEASE}","verified":true}`,
    ]);
    expect(claimed.code).toBe(2);
    expect(claimed.stderr).toContain('POST /v1/attestations');
    // The signed attestation, verified by the backend, records it.
    const dir = await mkdtemp(path.join(tmpdir(), 'devsecops-attest-'));
    try {
      const bundle = path.join(dir, 'release.dsse.json');
      await writeFile(bundle, signer.envelope(RELEASE));
      const attested = await cli(['attest', bundle, ...entity, '--artifact', RELEASE]);
      expect({ code: attested.code, stderr: attested.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      await rm(dir, { recursive: true });
    }
    expect(facts.stdout).toContain('branch_protection.required_reviews = 2');
    expect(facts.stdout).toContain('branch_protection.branch = "main"');

    const gate = [
      'gate',
      ...entity,
      '--artifact-digest',
      RELEASE,
      '--environment',
      'production',
    ];
    const allow = await cli([
      ...gate,
      '--claimed-owner',
      'group:default/team-payments',
    ]);
    expect(allow.code).toBe(0);
    expect(allow.stdout).toContain(
      `ALLOW: component:default/payments-api ${RELEASE} to production (policy production_release`,
    );
    expect(allow.stdout).toContain(
      '✓ container_critical_vulns: No critical vulnerabilities',
    );
    expect(allow.stdout).toContain(
      '✓ secrets_scan: Secret scanning is passing',
    );
    expect(allow.stdout).not.toContain('✗');

    const deny = await cli([
      ...gate,
      '--claimed-owner',
      'group:default/team-checkout',
    ]);
    expect(deny.code).toBe(1);
    expect(deny.stdout).toContain('DENY: component:default/payments-api');
    expect(deny.stdout).toContain(
      '✗ deployment_owner: Deployer claims group:default/team-checkout, the catalog says group:default/team-payments',
    );
    expect(deny.stdout).toContain('✓ artifact_known');

    const unknown = await cli([
      'gate',
      ...entity,
      '--artifact-digest',
      `sha256:${'f'.repeat(64)}`,
      '--environment',
      'production',
      '--json',
    ]);
    expect(unknown.code).toBe(1);
    const decision = JSON.parse(unknown.stdout);
    expect(decision.decision).toBe('deny');
    expect(
      decision.requirements.find((r: any) => r.requirement === 'artifact_known')
        .passed,
    ).toBe(false);

    const deployArgs = [
      'deploy',
      ...entity,
      '--environment',
      'production',
      '--artifact-digest',
      RELEASE,
      '--deployer',
      'github-actions',
      '--approver',
      'user:default/dana',
      '--change-ref',
      'https://github.com/acme/payments-api/pull/42',
      '--commit',
      COMMIT,
      '--deployed-at',
      '2026-01-02T03:04:05Z',
      '--claimed-owner',
      'group:default/team-payments',
    ];
    const deployed = await cli(deployArgs);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain(`recorded deployment`);
    expect(deployed.stdout).toContain(
      `component:default/payments-api ${RELEASE} to production (succeeded, by github-actions)`,
    );
    expect(deployed.stdout).toContain(
      'judged by the release policy of production:',
    );
    expect(deployed.stdout).toContain('ALLOW');

    const again = await cli(deployArgs);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already recorded: deployment');
  });
});

describe('help', () => {
  it('explains the commands and the environment', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('DEVSECOPS_URL');
    expect(help.stdout).toContain('DEVSECOPS_TOKEN');
    expect(help.stdout).toMatch(/attest <file> +upload a Sigstore bundle/);
    const upload = await cli(['upload', '--help']);
    expect(upload.stdout).toContain('idempotent');
    expect(upload.stdout).toContain('already stored');
    expect((await cli(['help', 'gate'])).stdout).toContain('0 allow, 1 deny');
    expect((await cli([])).code).toBe(2);
  });
});
