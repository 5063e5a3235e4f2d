// @ts-check

/**
 * The evidence store: every accepted upload (with its original body), the findings normalised from
 * it, SBOM components, artifacts, deployments and control facts, all keyed to catalog entity refs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_settings', table => {
    table.comment('Installation-wide values generated once and shared by every backend instance');
    table.string('key', 64).primary();
    table.text('value').notNullable();
  });

  await knex.schema.createTable('devsecops_reports', table => {
    table.comment('Accepted scanner reports and SBOMs; the original body is kept compressed as evidence');
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('owner_ref', 255).nullable().comment('Catalog owner of the entity at ingest time');
    table.string('control', 64).notNullable().comment('Primary pipeline control the report evidences');
    table.text('controls').notNullable().comment('JSON array of every control the report evidences');
    table.string('format', 64).notNullable();
    table.string('tool', 255).notNullable();
    table.string('tool_version', 128).nullable();
    table.string('source_commit', 64).nullable();
    table.string('branch', 255).nullable();
    table.string('artifact_digest', 160).nullable();
    table.string('uploader', 255).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.text('summary').notNullable().comment('JSON counts by severity and status');
    table.string('body_sha256', 64).notNullable();
    table.integer('body_size').notNullable();
    table.binary('body_gzip').nullable().comment('Cleared after the retention period; the sha256 stays');
    table.boolean('body_redacted').notNullable().defaultTo(false).comment('Secret-bearing fields were removed before keeping the body');
    table.string('dedup_key', 64).notNullable().comment('sha256 of entity, scope and body: repeat uploads are idempotent');
    table.unique(['dedup_key'], { indexName: 'devsecops_reports_dedup_key_uniq' });
    table.index(['entity_ref', 'received_at'], 'devsecops_reports_entity_idx');
    table.index(['artifact_digest'], 'devsecops_reports_artifact_idx');
  });

  await knex.schema.createTable('devsecops_findings', table => {
    table.comment('One row per distinct problem per entity, control, tool and artifact scope');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('control', 64).notNullable();
    table.string('tool', 255).notNullable();
    table.string('scope_digest', 160).notNullable().defaultTo('').comment("Artifact digest for artifact scans, '' for source scans");
    table.string('owner_ref', 255).nullable().comment('Catalog owner of the entity when last seen');
    table.string('fingerprint', 64).notNullable();
    table.string('kind', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('original_severity', 64).nullable();
    table.string('rule_id', 255).notNullable();
    table.string('vulnerability_id', 128).nullable();
    table.text('title').notNullable();
    table.text('location').nullable().comment('path:line, for code findings');
    table.text('package_purl').nullable();
    table.string('package_name', 255).nullable();
    table.string('package_version', 128).nullable();
    table.text('fixed_versions').nullable().comment('JSON array');
    table.boolean('fix_available').nullable();
    table.string('status', 16).notNullable().comment('open | resolved | suppressed');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.uuid('first_report_id').notNullable();
    table.uuid('last_report_id').notNullable();
    table.unique(['entity_ref', 'control', 'tool', 'scope_digest', 'fingerprint'], {
      indexName: 'devsecops_findings_identity_uniq',
    });
    table.index(['entity_ref', 'status', 'severity'], 'devsecops_findings_entity_idx');
    table.index(['status', 'severity'], 'devsecops_findings_status_idx');
    table.index(['owner_ref', 'status'], 'devsecops_findings_owner_idx');
  });

  await knex.schema.createTable('devsecops_artifacts', table => {
    table.comment('Built artifacts by digest, per entity');
    table.string('digest', 160).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('name', 512).nullable();
    table.string('source_commit', 64).nullable();
    table.string('branch', 255).nullable();
    table.text('build_info').nullable().comment('JSON: builder, build type, run id (from provenance)');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.primary(['digest', 'entity_ref']);
  });

  await knex.schema.createTable('devsecops_sbom_components', table => {
    table.comment('Packages listed by the latest SBOM of each artifact (or entity, for source SBOMs)');
    table.bigIncrements('id').primary();
    table.uuid('report_id').notNullable().references('id').inTable('devsecops_reports').onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('artifact_digest', 160).notNullable().defaultTo('');
    table.string('name', 512).notNullable();
    table.string('version', 255).nullable();
    table.text('purl').nullable();
    table.string('type', 64).nullable();
    table.text('licenses').notNullable().comment('JSON array of SPDX ids or expressions');
    table.index(['entity_ref', 'artifact_digest'], 'devsecops_sbom_components_scope_idx');
    table.index(['report_id'], 'devsecops_sbom_components_report_idx');
  });

  await knex.schema.createTable('devsecops_deployments', table => {
    table.comment('Deployments reported by CD: what went where, from which commit, approved by whom');
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('owner_ref', 255).nullable().comment('Catalog owner at deploy time: the runtime owner');
    table.string('claimed_owner_ref', 255).nullable().comment('Owner the deployer said it deployed for');
    table.string('environment', 64).notNullable();
    table.string('artifact_digest', 160).notNullable();
    table.string('source_commit', 64).nullable();
    table.string('deployer', 255).notNullable();
    table.string('approver', 255).nullable();
    table.string('change_ref', 512).nullable();
    table.string('result', 16).notNullable().comment('succeeded | failed | rolled_back');
    table.timestamp('deployed_at', { useTz: true }).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('dedup_key', 64).notNullable();
    table.unique(['dedup_key'], { indexName: 'devsecops_deployments_dedup_key_uniq' });
    table.index(['entity_ref', 'environment', 'deployed_at'], 'devsecops_deployments_entity_idx');
    table.index(['artifact_digest'], 'devsecops_deployments_artifact_idx');
  });

  await knex.schema.createTable('devsecops_control_facts', table => {
    table.comment('Observed settings no scanner file carries (branch protection, secret scanning enabled, …)');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('fact', 128).notNullable();
    table.text('value').notNullable().comment('JSON value');
    table.string('source', 255).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'fact', 'observed_at'], 'devsecops_control_facts_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_control_facts');
  await knex.schema.dropTable('devsecops_deployments');
  await knex.schema.dropTable('devsecops_sbom_components');
  await knex.schema.dropTable('devsecops_artifacts');
  await knex.schema.dropTable('devsecops_findings');
  await knex.schema.dropTable('devsecops_reports');
  await knex.schema.dropTable('devsecops_settings');
};
