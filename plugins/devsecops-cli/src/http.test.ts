import { apiUrl } from './context';
import { parseFact } from './commands/facts';
import { backoffDelay, isRetryableStatus, retryAfterMs } from './http';

describe('backoff', () => {
  it('doubles from the base with equal jitter, capped at 60 s', () => {
    expect([1, 2, 3, 4].map(n => backoffDelay(n, 1000, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map(n => backoffDelay(n, 1000, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(backoffDelay(20, 1000, () => 1)).toBe(60_000);
  });

  it('retries network-level trouble, 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 415].some(isRetryableStatus)).toBe(
      false,
    );
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('arguments', () => {
  it('points the base URL at the plugin API', () => {
    expect(apiUrl('http://localhost:7007', 'x')).toBe(
      'http://localhost:7007/api/devsecops',
    );
    expect(apiUrl('https://portal.example.com/', 'x')).toBe(
      'https://portal.example.com/api/devsecops',
    );
    expect(apiUrl('https://portal.example.com/api/devsecops/', 'x')).toBe(
      'https://portal.example.com/api/devsecops',
    );
    expect(() => apiUrl('https://user:pw@portal.example.com', 'x')).toThrow(
      'Do not put credentials',
    );
    expect(() => apiUrl('ftp://portal', 'x')).toThrow('http or https');
  });

  it('reads fact values as JSON when they parse, else as strings', () => {
    expect(parseFact('branch_protection.enabled=true')).toEqual({
      fact: 'branch_protection.enabled',
      value: true,
    });
    expect(parseFact('branch_protection.required_reviews=2').value).toBe(2);
    expect(parseFact('branch_protection.branch=main').value).toBe('main');
    expect(
      parseFact('a.b={"digest":"sha256:ab","verified":true}').value,
    ).toEqual({ digest: 'sha256:ab', verified: true });
    expect(parseFact('a.b=x=y').value).toBe('x=y');
    expect(parseFact('a.b=').value).toBe('');
    expect(() => parseFact('novalue')).toThrow('must be name=value');
  });

  it('refuses a fact with its own source before sending, naming that source', () => {
    expect(() => parseFact('evidence.exported=true')).toThrow(
      "Fact 'evidence.exported' is not accepted as a claim: it is recorded from an audit package exported from the portal (GET /v1/audit-packages)",
    );
    expect(() => parseFact('control_failure_review.cadence_days=14')).toThrow("kind 'control-failure-review'");
    expect(() => parseFact('platform_templates.feedback=true')).toThrow("kind 'template-feedback'");
    expect(() => parseFact('exercise.leaked_secrets=true')).toThrow("POST /v1/exercises with scenario 'leaked-secrets'");
    expect(() => parseFact('workload_telemetry.enabled=true')).toThrow("kind 'heartbeat' and monitors ['workload-telemetry']");
    expect(() => parseFact('openssf.token-permissions.score=10')).toThrow('an OpenSSF Scorecard result uploaded as a report');
    // Everything a pipeline observes stays a fact.
    expect(parseFact('pre_commit.enabled=true').value).toBe(true);
    expect(parseFact('ci.least_privilege_tokens=true').value).toBe(true);
  });
});
