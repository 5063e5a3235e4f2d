// @ts-check

/**
 * OSV advisory re-match (issue 20): an import reads the findings it opened before by tool
 * (`osv-advisory-match`) and advisory id (rule_id) to refresh or resolve them; without this
 * index each import would scan every finding.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.index(['tool', 'rule_id'], 'devsecops_findings_tool_rule_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.dropIndex(['tool', 'rule_id'], 'devsecops_findings_tool_rule_idx');
  });
};
