/** @public */
export interface DevsecopsHealth {
  status: 'ok' | 'degraded';
  /** The knex client the plugin's database runs on, e.g. better-sqlite3 or pg. */
  database: { client: string; reachable: boolean; error?: string };
  /** Names of the migrations applied to the plugin's database. */
  migrations: string[];
}

/** A report format the backend can ingest, built in or added by a module. @public */
export interface ReportFormatInfo {
  id: string;
  title: string;
}
