// @ts-check

/**
 * The tamper-evident evidence log: every ingest, deployment, gate decision, fact recording and
 * exception transition, each record committing to the previous one by hash.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_evidence_log', table => {
    table.comment('Append-only, hash-chained log of everything worth auditing');
    table.bigInteger('seq').primary().comment('1, 2, 3, … without gaps');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('kind', 64).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('subject_id', 255).notNullable().comment('The report, deployment, decision or exception id');
    table.string('actor', 255).notNullable();
    table.text('payload').notNullable().comment('Canonical JSON of what was recorded');
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable();
    table.index(['entity_ref', 'seq'], 'devsecops_evidence_log_entity_idx');
    table.index(['subject_id'], 'devsecops_evidence_log_subject_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_evidence_log');
};
