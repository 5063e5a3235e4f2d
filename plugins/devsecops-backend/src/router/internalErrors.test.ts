import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { hideInternalErrorDetail } from './internalErrors';

function run(error: unknown) {
  const logger = mockServices.logger.mock();
  const next = jest.fn();
  hideInternalErrorDetail(logger)(error, {}, {}, next);
  return { passed: next.mock.calls[0][0], logger };
}

describe('hideInternalErrorDetail', () => {
  it('answers a driver error with an id only and logs it whole', () => {
    const sqlite = Object.assign(
      new Error("insert into `devsecops_kev_entries` (`cve_id`) select 'CVE-2025-48384' as `cve_id` union all … - too many terms in compound SELECT"),
      { name: 'SqliteError', code: 'SQLITE_ERROR' },
    );
    const { passed, logger } = run(sqlite);
    expect(passed).toBeInstanceOf(Error);
    expect(passed.name).toBe('Error');
    expect(passed.message).toMatch(/^Internal error [0-9a-f-]{36}; the details are in the backend log$/);
    expect(passed.message).not.toContain('CVE-2025-48384');
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(passed.message.split(';')[0]), sqlite);
  });

  it('leaves errors Backstage answers with their own status alone', () => {
    for (const error of [
      new InputError('bad entity'),
      new NotFoundError('no such report'),
      Object.assign(new Error('request entity too large'), { status: 413 }),
      Object.assign(new Error('The database is unavailable'), { name: 'ServiceUnavailableError', statusCode: 503 }),
    ]) {
      const { passed, logger } = run(error);
      expect(passed).toBe(error);
      expect(logger.error).not.toHaveBeenCalled();
    }
  });

  it('hides an explicit 500 and anything thrown that is not an Error', () => {
    expect(run(Object.assign(new Error('select secret_value from x'), { statusCode: 500 })).passed.message).toMatch(/^Internal error /);
    expect(run('a string').passed.message).toMatch(/^Internal error /);
  });
});
