// @ts-check

/**
 * Exploitability feeds (issue 20) rewrite the feed columns of every open finding whose KEV listing
 * or EPSS score changed — most of them after a daily EPSS import. On PostgreSQL, free space left in
 * each page lets those updates stay heap-only (HOT: none of the feed columns is indexed), so the
 * six indexes of the table are not rewritten for each row. Pages written from now on keep 20% free.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE devsecops_findings SET (fillfactor = 80)');
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE devsecops_findings RESET (fillfactor)');
  }
};
