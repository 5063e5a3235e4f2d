// @ts-check

/**
 * The scorecard: the newest evidence per entity and control, release-gate decisions (evidence
 * themselves), per-entity summaries kept current on every write, and a daily snapshot per entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_control_evidence', table => {
    table.comment('Newest report per entity and control, including reports with no findings');
    table.string('entity_ref', 255).notNullable();
    table.string('control', 64).notNullable();
    table.uuid('report_id').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.string('artifact_digest', 160).nullable();
    table.primary(['entity_ref', 'control']);
  });

  await knex.schema.createTable('devsecops_gate_decisions', table => {
    table.comment('Every release-gate decision, asked by CD or made for a recorded deployment');
    table.uuid('id').primary();
    table.string('policy', 64).notNullable();
    table.string('environment', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('artifact_digest', 160).notNullable();
    table.string('decision', 8).notNullable();
    table.text('requirements').notNullable().comment('JSON: one result per requirement');
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.string('requested_by', 255).notNullable();
    table.uuid('deployment_id').nullable();
    table.index(['entity_ref', 'environment', 'decided_at'], 'devsecops_gate_decisions_entity_idx');
  });

  await knex.schema.createTable('devsecops_entity_summaries', table => {
    table.comment('Current scorecard of each entity, rebuilt by the pure evaluation on every change');
    table.string('entity_ref', 255).primary();
    table.string('owner_ref', 255).nullable();
    table.string('system_ref', 255).nullable();
    table.string('domain_ref', 255).nullable();
    table.string('type', 64).nullable();
    table.string('lifecycle', 64).nullable();
    table.integer('stage').notNullable();
    table.text('control_states').notNullable().comment('JSON: control id → state');
    table.text('metrics').notNullable().comment('JSON: EntityMetrics');
    table.string('production_gate', 8).nullable().comment('allow | deny of the latest production decision');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.text('scorecard').nullable().comment('JSON: the whole evaluated scorecard, served while valid');
    table.timestamp('valid_until', { useTz: true }).nullable().comment('Next time-based change (an exception expiring, …)');
    table.index(['owner_ref'], 'devsecops_entity_summaries_owner_idx');
    table.index(['system_ref'], 'devsecops_entity_summaries_system_idx');
  });

  await knex.schema.createTable('devsecops_entity_snapshots', table => {
    table.comment('One scorecard summary per entity and day, for trends');
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.integer('stage').notNullable();
    table.text('control_states').notNullable();
    table.text('metrics').notNullable();
    table.string('production_gate', 8).nullable();
    table.primary(['entity_ref', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_entity_snapshots');
  await knex.schema.dropTable('devsecops_entity_summaries');
  await knex.schema.dropTable('devsecops_gate_decisions');
  await knex.schema.dropTable('devsecops_control_evidence');
};
