// @ts-check

/**
 * Tickets as evidence (issue 19 item 5): a remediation or rotation ticket linked to a finding or a
 * runtime signal (URL, the ticket system's id, the system, open/closed, when the ticket last
 * changed). One row per subject and ticket URL; linking the same URL again updates its status.
 * A secret finding counts as rotated when its ticket is closed or the secret is gone from the
 * latest scan, whichever is first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_tickets', table => {
    table.comment('Tickets linked to findings and runtime signals');
    table.string('id', 36).primary();
    table.string('subject_kind', 20).notNullable().comment('finding | runtime-signal');
    table.string('subject_id', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('url', 2048).notNullable();
    table.string('ticket_id', 200).nullable().comment("The ticket system's id, e.g. SEC-142");
    table.string('system', 100).nullable().comment('jira | github | servicenow | …');
    table.string('status', 10).notNullable().comment('open | closed');
    table.timestamp('ticket_updated_at', { useTz: true }).notNullable().comment('When the ticket last changed, as its system says');
    table.timestamp('closed_at', { useTz: true }).nullable().comment('When it was closed; null while open');
    table.timestamp('linked_at', { useTz: true }).notNullable();
    table.string('linked_by', 255).notNullable();
    table.unique(['subject_kind', 'subject_id', 'url']);
    table.index(['entity_ref'], 'devsecops_tickets_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_tickets');
};
