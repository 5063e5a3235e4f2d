// @ts-check

/**
 * Runtime signals (audit-log and vulnerability alerts, incidents, suspicious control-plane
 * actions) with their timeline, and tabletop exercises with findings and follow-ups.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_runtime_signals', table => {
    table.comment('Runtime alerts and incidents of an entity: detected, contained, remediated');
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('kind', 48).notNullable().comment('audit-log-alert | vulnerability-alert | incident | suspicious-control-plane-action');
    table.string('severity', 16).notNullable();
    table.text('summary').notNullable();
    table.timestamp('detected_at', { useTz: true }).notNullable();
    table.timestamp('contained_at', { useTz: true }).nullable();
    table.timestamp('remediated_at', { useTz: true }).nullable();
    table.string('source', 255).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'remediated_at'], 'devsecops_runtime_signals_entity_idx');
  });

  await knex.schema.createTable('devsecops_exercises', table => {
    table.comment('Tabletop exercises: scenario, participants, findings, follow-up actions');
    table.uuid('id').primary();
    table.string('scenario', 48).notNullable().comment('leaked-secrets | compromised-ci-token | dependency-compromise | cloud-account-abuse');
    table.string('held_on', 10).notNullable().comment('YYYY-MM-DD');
    table.string('scope_ref', 255).notNullable().comment('The entity or group the exercise was held for');
    table.text('participants').notNullable().comment('JSON array of names or refs');
    table.text('findings').notNullable().comment('JSON [{title, recurring?}]');
    table.text('follow_ups').notNullable().comment('JSON [{action, owner, due, done?}]');
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(['scope_ref', 'held_on'], 'devsecops_exercises_scope_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_exercises');
  await knex.schema.dropTable('devsecops_runtime_signals');
};
