// @ts-check

/**
 * Incremental roll-ups (issue 21): one row per owning team of the entity summaries ('' for the
 * summaries without an owner) with that team's roll-up partials (evaluate/rollup partialOf), one
 * per catalog lifecycle. Every summary write bumps `version` of the owners it touches (after the
 * write); a roll-up recomputes a team whose `computed_version` is behind (store/OwnerRollupStore),
 * so an org roll-up merges a few dozen partials instead of reading every summary.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_owner_rollups', table => {
    table.comment('Roll-up partials per owning team, recomputed when a summary of the team changed');
    table.string('owner_ref', 255).primary().comment("Owner of the summaries; '' for those without one");
    table.bigInteger('version').notNullable().defaultTo(1).comment('Bumped after every write of a summary of this owner');
    table.bigInteger('computed_version').nullable().comment('The version the partials were computed at; fresh iff = version');
    table.text('partials').nullable().comment('JSON: counted kinds and lifecycle (\'\' = none) → roll-up partial');
  });
  // Summaries stored before this migration: every owner starts stale (computed_version null).
  await knex.raw(
    `INSERT INTO devsecops_owner_rollups (owner_ref, version)
     SELECT DISTINCT COALESCE(owner_ref, ''), 1 FROM devsecops_entity_summaries`,
  );
  // Roll-up entity lists page in code-point order of entity ref on both databases; PostgreSQL's
  // primary key index follows the database collation, so it gets one in that order (SQLite's is).
  if (knex.client.config.client === 'pg') {
    await knex.raw('CREATE INDEX devsecops_entity_summaries_ref_c_idx ON devsecops_entity_summaries (entity_ref COLLATE "C")');
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') await knex.raw('DROP INDEX IF EXISTS devsecops_entity_summaries_ref_c_idx');
  await knex.schema.dropTable('devsecops_owner_rollups');
};
