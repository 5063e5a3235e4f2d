// @ts-check

/**
 * Exceptions: a named risk owner accepts a specific failure of a specific entity until a date.
 * Every transition is kept; notifications already sent are remembered so none is sent twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_exceptions', table => {
    table.comment('Exception requests and their current state');
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('owner_ref', 255).nullable();
    table.string('scope_control', 64).notNullable();
    table.string('scope_rule_id', 255).nullable();
    table.string('scope_vulnerability_id', 128).nullable();
    table.string('scope_fingerprint', 64).nullable();
    table.string('scope_artifact_digest', 160).nullable();
    table.text('risk_statement').notNullable();
    table.string('risk_rating', 16).notNullable();
    table.text('compensating_controls').nullable();
    table.string('requester', 255).notNullable();
    table.string('risk_owner', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.string('decided_by', 255).nullable();
    table.uuid('renewal_of').nullable();
    table.integer('version').notNullable().defaultTo(1).comment('Optimistic lock: transitions race safely');
    table.index(['entity_ref', 'status'], 'devsecops_exceptions_entity_idx');
    table.index(['risk_owner', 'status'], 'devsecops_exceptions_risk_owner_idx');
    table.index(['status', 'expires_at'], 'devsecops_exceptions_expiry_idx');
  });

  await knex.schema.createTable('devsecops_exception_events', table => {
    table.comment('Every transition of every exception: who, when, why');
    table.bigIncrements('id').primary();
    table.uuid('exception_id').notNullable().references('id').inTable('devsecops_exceptions').onDelete('CASCADE');
    table.string('action', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.text('reason').nullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).notNullable();
    table.index(['exception_id'], 'devsecops_exception_events_exception_idx');
  });

  await knex.schema.createTable('devsecops_exception_notifications', table => {
    table.comment('Notifications sent, so restarts and other instances never send one twice');
    table.uuid('exception_id').notNullable();
    table.string('kind', 32).notNullable().comment('awaiting-decision | expires-in-<N>d | expired');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['exception_id', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_exception_notifications');
  await knex.schema.dropTable('devsecops_exception_events');
  await knex.schema.dropTable('devsecops_exceptions');
};
