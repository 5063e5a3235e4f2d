// @ts-check

/**
 * Named human attestations: a control-failure review held, template feedback, a threat-model
 * review — recorded by a signed-in user for an entity or a group, with an expiry.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_human_attestations', table => {
    table.comment('Named human attestations (control-failure reviews, template feedback, threat-model reviews)');
    table.string('id', 36).primary();
    table.string('kind', 64).notNullable().comment('control-failure-review | template-feedback | threat-model-review');
    table.string('scope_ref', 255).notNullable().comment('The entity or group it is made for');
    table.string('held_on', 10).notNullable().comment('YYYY-MM-DD: the day of the review or change');
    table.text('details').notNullable().comment('JSON: the fields of the kind');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('recorded_by', 255).notNullable().comment('The signed-in user');
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(['scope_ref', 'kind', 'held_on'], 'devsecops_human_attestations_scope_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_human_attestations');
};
