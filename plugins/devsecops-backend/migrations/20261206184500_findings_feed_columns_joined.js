// @ts-check

/**
 * Exploitability (issue 20): findings read the imported KEV and EPSS values through a join on
 * their vulnerability id instead of copies in their own row, so an EPSS import (~300k CVEs, most
 * scores changing daily) no longer rewrites every open finding. The copies and the fillfactor set
 * for their rewrites go.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.dropColumn('kev_added_on');
    table.dropColumn('feed_epss');
    table.dropColumn('feed_epss_percentile');
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE devsecops_findings RESET (fillfactor)');
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.string('kev_added_on', 10).nullable();
    table.double('feed_epss').nullable();
    table.double('feed_epss_percentile').nullable();
  });
};
