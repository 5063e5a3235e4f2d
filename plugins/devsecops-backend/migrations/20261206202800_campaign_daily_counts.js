// @ts-check

/**
 * Campaign daily counts (issue 19): per campaign, day and owning team, the services in scope and
 * how many met the goal (and through an exception). The daily job stores today's from the stored
 * summaries; days before a campaign's counts began are filled once from the daily snapshots (one
 * row per day with owner_ref ''). The campaign page reads its burn-up from here instead of
 * counting snapshots.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_campaign_daily_counts', table => {
    table.comment('Per campaign, day and owning team: in scope, done, excepted (the burn-up)');
    table.string('campaign_id', 255).notNullable().comment('<campaign id>#<digest of its goal, scope and start>: a changed definition counts afresh');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('owner_ref', 255).notNullable().comment("Owning team; '' for a day filled from the snapshots (all teams)");
    table.integer('in_scope').notNullable();
    table.integer('done').notNullable();
    table.integer('excepted').notNullable();
    table.primary(['campaign_id', 'day', 'owner_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_campaign_daily_counts');
};
