// @ts-check

/**
 * Runtime monitors: which runtime source was last heard from (heartbeat) for which runtime
 * control of an entity. One row per entity, control and source, moved forward by each heartbeat.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_runtime_monitors', table => {
    table.comment('Runtime sources last heard from per entity and runtime control (heartbeats)');
    table.string('entity_ref', 255).notNullable();
    table.string('control', 64).notNullable().comment('cloud-audit-logs | workload-telemetry | vulnerability-monitoring');
    table.string('source', 255).notNullable().comment('e.g. aws-cloudtrail, aws-guardduty, falco');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'control', 'source'], 'devsecops_runtime_monitors_pk');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_runtime_monitors');
};
