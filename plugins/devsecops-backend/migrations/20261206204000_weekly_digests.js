// @ts-check

/**
 * Weekly digests (issue 19): one row per recipient and week, claimed before the digest is sent,
 * so two instances (or a re-run in the same week) send each once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_digest_claims', table => {
    table.comment('Weekly digests sent (claimed), one per recipient and week');
    table.string('recipient', 255).notNullable().comment('team:<group ref> or org:<group ref>');
    table.string('week', 10).notNullable().comment('The Monday of the ISO week, YYYY-MM-DD (UTC)');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['recipient', 'week']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devsecops_digest_claims');
};
