// @ts-check

/**
 * When a scan ran, as its uploader says (`scannedAt`), kept apart from when the report arrived:
 * a nightly scan uploaded in the morning, or a history imported when a team onboards, must age
 * from the scan, not from the upload. Existing rows scanned when they arrived.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devsecops_reports', table => {
    table.timestamp('scanned_at', { useTz: true }).nullable();
  });
  await knex('devsecops_reports').update({ scanned_at: knex.ref('received_at') });
  await knex.schema.alterTable('devsecops_control_evidence', table => {
    table.timestamp('scanned_at', { useTz: true }).nullable();
  });
  await knex('devsecops_control_evidence').update({ scanned_at: knex.ref('received_at') });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_control_evidence', table => {
    table.dropColumn('scanned_at');
  });
  await knex.schema.alterTable('devsecops_reports', table => {
    table.dropColumn('scanned_at');
  });
};
