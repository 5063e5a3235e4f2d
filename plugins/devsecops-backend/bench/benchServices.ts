import { readFeedSettings } from '../src/feeds/exploitabilityConfig';
import {
  AuditorService,
  AuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { EventsService } from '@backstage/plugin-events-node';
import { Knex } from 'knex';
import { SignatureVerifier } from '../src/attest/SignatureVerifier';
import { DEFAULT_CONTROL_MAP } from '../src/config/controlMap';
import { readDevsecopsConfig } from '../src/config/readDevsecopsConfig';
import { readScorecardConfig } from '../src/config/readScorecardConfig';
import { createDevsecopsServices } from '../src/services';
import { readCampaignSettings } from '../src/campaigns/campaignInput';
import { getVoidLogger } from './voidLogger';

/** A service no benchmark path reaches: any call is a mistake in the benchmark, so it throws. */
function unused<T>(name: string): T {
  return new Proxy({} as object, {
    get: (_target, property) => () => {
      throw new Error(`The benchmark has no ${name} (called ${String(property)})`);
    },
  }) as T;
}

/**
 * The plugin's services through its composition root, with the shipped configuration, a
 * benchmark catalog, and explicit doubles for the services no benchmark exercises (permissions,
 * user info, auditor, notifications). Writes do not refresh scorecards: the benchmarks time the
 * write and the refresh apart.
 */
export function benchServices(knex: Knex, catalog: CatalogService, auth: AuthService, maxReportBytes: number) {
  const config = new ConfigReader({
    devsecops: { ingest: { maxReportBytes }, secretFingerprintKey: 'bench-fingerprint-key' },
  });
  return createDevsecopsServices({
    knex,
    logger: getVoidLogger(),
    settings: readDevsecopsConfig(config),
    scorecardSettings: readScorecardConfig(config),
    campaignSettings: readCampaignSettings(config),
    feedSettings: readFeedSettings(config),
    controlMap: DEFAULT_CONTROL_MAP,
    signatureVerifier: new SignatureVerifier({}),
    addedNormalizers: [],
    catalog,
    auth,
    permissions: unused<PermissionsService>('permissions'),
    userInfo: unused<UserInfoService>('user info'),
    auditor: unused<AuditorService>('auditor'),
    notifications: unused<NotificationService>('notifications'),
    events: unused<EventsService>('events'),
    refreshAfterWrites: false,
  });
}
