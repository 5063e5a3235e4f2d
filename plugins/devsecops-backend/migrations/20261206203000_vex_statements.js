// @ts-check

/**
 * VEX statements (issue 20, VEX across tools): what an OpenVEX or standalone CycloneDX VEX
 * document uploaded for an entity (and optionally one artifact) says about a vulnerability in a
 * package. Applied when findings are evaluated and listed, to the findings of every scanner; the
 * newest statement per (entity, artifact, vulnerability, package) wins. Kept as evidence with the
 * report it came in.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_vex_statements', table => {
    table.comment('VEX statements per entity (and artifact), from OpenVEX and CycloneDX VEX uploads');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('scope_digest', 200).notNullable().defaultTo('').comment("artifact digest the statement is scoped to, '' for every artifact of the entity");
    table.string('vulnerability_id', 128).notNullable();
    table.text('aliases').nullable().comment('JSON array of the other ids');
    table.string('product_name', 255).notNullable();
    table.text('product_purl').nullable();
    table.string('product_version', 128).nullable();
    table.string('status', 32).notNullable().comment('not_affected | affected | fixed | under_investigation');
    table.string('justification', 128).nullable();
    table.text('impact_statement').nullable();
    table.text('action_statement').nullable();
    table.timestamp('stated_at', { useTz: true }).notNullable().comment('the statement timestamp (never after it was recorded)');
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable().comment('stated_at + devsecops.vex.maxAgeDays');
    table.text('document_id').nullable();
    table.string('author', 255).nullable();
    table.string('report_id', 36).notNullable().comment('the upload that carried it (evidence)');
    table.index(['entity_ref', 'vulnerability_id'], 'devsecops_vex_statements_entity_vuln_idx');
    table.index(['report_id'], 'devsecops_vex_statements_report_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_vex_statements');
};
