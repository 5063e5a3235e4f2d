// @ts-check

/**
 * Reads never evaluate (issue 21): a stored scorecard is valid until the first instant it can
 * change without new evidence (valid_until, null = never), and the scheduled refresh stores the
 * scorecard as it will be from that instant on (next_scorecard, itself valid until
 * next_valid_until) before the instant comes, so a read across the boundary is still a stored read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_entity_summaries', table => {
    table.text('next_scorecard').nullable().comment('JSON: the scorecard from valid_until on, computed ahead by the refresh job');
    table.timestamp('next_valid_until', { useTz: true }).nullable().comment('When next_scorecard can change in turn (null: never)');
    table.index(['valid_until'], 'devsecops_entity_summaries_valid_until_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_entity_summaries', table => {
    table.dropIndex(['valid_until'], 'devsecops_entity_summaries_valid_until_idx');
    table.dropColumn('next_scorecard');
    table.dropColumn('next_valid_until');
  });
};
