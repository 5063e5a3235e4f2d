// @ts-check

/**
 * Regression alerts (issue 19): one row per entity and open cause (a control failing, the stage
 * dropped, a gate denied), claimed before its notification is sent and removed when the cause
 * ends, so each regression notifies once across instances until it changes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_regression_alerts', table => {
    table.comment('Open regression causes already notified, one per entity and cause');
    table.string('entity_ref', 255).notNullable();
    table.string('cause', 160).notNullable().comment('control:<id> | stage | gate:<environment>');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'cause']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_regression_alerts');
};
