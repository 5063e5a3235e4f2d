import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURES_DIR } from '../__testUtils__/fixtures';
import { readDevsecopsConfig } from './readDevsecopsConfig';
import { readScorecardConfig } from './readScorecardConfig';

// The configuration files the repository ships must start the plugin.
describe.each([
  ['app-config.yaml', 'app-config.production.yaml'],
  ['app-config.yaml', 'app-config.demo.yaml'],
])('%s + %s', (...files) => {
  it('is a valid devsecops configuration', () => {
    const config = ConfigReader.fromConfigs(
      files.map(file => ({ context: file, data: parse(readFileSync(join(FIXTURES_DIR, '..', file), 'utf8')) })),
    );
    expect(() => readDevsecopsConfig(config)).not.toThrow();
    const settings = readScorecardConfig(config);
    expect(settings.policies.map(p => p.environment)).toContain('production');
  });
});

it('app-config.production.yaml takes the secret-fingerprint key from the environment, as production requires', () => {
  const data = parse(readFileSync(join(FIXTURES_DIR, '..', 'app-config.production.yaml'), 'utf8'));
  expect(data.devsecops.secretFingerprintKey).toBe('${DEVSECOPS_SECRET_FINGERPRINT_KEY}');
  const withKey = new ConfigReader({ devsecops: { ...data.devsecops, secretFingerprintKey: 'k'.repeat(32) } });
  expect(readDevsecopsConfig(withKey, 'production').secretFingerprintKey).toBe('k'.repeat(32));
  const { secretFingerprintKey: _unset, ...withoutKey } = data.devsecops;
  expect(() => readDevsecopsConfig(new ConfigReader({ devsecops: withoutKey }), 'production')).toThrow(
    /devsecops\.secretFingerprintKey is required when NODE_ENV=production/,
  );
});

it('production requires a verified signature: the demo\'s relaxed release policy and risk owners stay in app-config.demo.yaml', () => {
  const config = ConfigReader.fromConfigs(
    ['app-config.yaml', 'app-config.production.yaml'].map(file => ({
      context: file,
      data: parse(readFileSync(join(FIXTURES_DIR, '..', file), 'utf8')),
    })),
  );
  const production = readScorecardConfig(config).policies.find(p => p.environment === 'production')!;
  expect(production.requires).toContainEqual({ artifact_signature: 'verified' });
  expect(config.getOptional('devsecops.exceptions.riskOwners')).toBeUndefined();
});
