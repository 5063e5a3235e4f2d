// @ts-check

/**
 * Campaigns (issue 19): a goal (a maturity stage or controls to pass) over a scope of services,
 * with a start and a target date; and the reminders sent for them, each claimed once across
 * instances before it is sent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_campaigns', table => {
    table.comment('Campaigns created through POST /v1/campaigns (declared ones live in configuration)');
    table.string('id', 36).primary();
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.text('goal').notNullable().comment('JSON: { type: stage, stage } | { type: controls, controls }');
    table.text('scope').notNullable().comment('JSON: group, system, domain, lifecycle, tag');
    table.string('start_date', 10).notNullable().comment('YYYY-MM-DD');
    table.string('target_date', 10).notNullable().comment('YYYY-MM-DD');
    table.string('owner_ref', 255).notNullable();
    table.text('reminder_days').notNullable().comment('JSON: days before the target date');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['target_date'], 'devsecops_campaigns_target_idx');
  });
  await knex.schema.createTable('devsecops_campaign_notifications', table => {
    table.comment('Campaign reminders claimed before sending: one per campaign, recipient and kind');
    table.string('campaign_id', 100).notNullable();
    table.string('recipient', 255).notNullable();
    table.string('kind', 64).notNullable().comment('e.g. reminder-7d');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['campaign_id', 'recipient', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_campaign_notifications');
  await knex.schema.dropTable('devsecops_campaigns');
};
