// @ts-check

/**
 * The other ids a report gives a finding's vulnerability (GHSA ↔ CVE, vendor ids such as Snyk's or
 * OSS Index's), kept beside `vulnerability_id` (which names the CVE whenever the report gives one),
 * as a JSON array. Existing rows have none.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.text('aliases').nullable().comment('JSON array of the other ids of the vulnerability');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.dropColumn('aliases');
  });
};
