// @ts-check

/**
 * Every accepted upload, with the sha256 of the original body and the compressed body itself as
 * evidence. Findings, SBOM components and artifacts reference reports by id.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_reports', table => {
    table.comment('Accepted scanner reports, SBOMs and attestations');
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('control', 64).notNullable();
    table.string('format', 64).notNullable();
    table.string('tool', 128).notNullable();
    table.string('source_commit', 64).nullable();
    table.string('branch', 255).nullable();
    table.string('artifact_digest', 255).nullable();
    table.string('uploader', 255).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.text('summary').notNullable();
    table.string('body_sha256', 64).notNullable();
    table.integer('body_size').notNullable();
    table.binary('body_gzip').nullable();
    table.index(['entity_ref', 'control', 'received_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_reports');
};
