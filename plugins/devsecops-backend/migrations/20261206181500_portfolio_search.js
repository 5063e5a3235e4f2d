// @ts-check

/**
 * Portfolio search (issue 20): "which services contain log4j-core" reads stored SBOM components by
 * package name; findings by vulnerability id are read through devsecops_findings_vulnerability_idx.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_sbom_components', table => {
    table.index(['name', 'entity_ref'], 'devsecops_sbom_components_name_idx');
  });
  await knex.schema.alterTable('devsecops_findings', table => {
    table.index(['package_name'], 'devsecops_findings_package_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_findings', table => {
    table.dropIndex(['package_name'], 'devsecops_findings_package_idx');
  });
  await knex.schema.alterTable('devsecops_sbom_components', table => {
    table.dropIndex(['name', 'entity_ref'], 'devsecops_sbom_components_name_idx');
  });
};
