// @ts-check

/**
 * Report streams: the newest report of each (entity, control, tool, artifact scope) — the slice of
 * findings a report is the truth for. A body is a repeat upload only of its stream's newest report
 * (A, B, then A again is a new scan that makes A's findings the truth again), so the dedup key of
 * a report is no longer unique. Existing reports fill the table, newest scan per stream.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devsecops_report_streams', table => {
    table.comment('Newest report per entity, control, tool and artifact scope: what a repeat upload is compared with');
    table.string('entity_ref', 255).notNullable();
    table.string('control', 64).notNullable();
    table.string('tool', 255).notNullable();
    table.string('scope_digest', 160).notNullable().defaultTo('').comment("Artifact digest for artifact scans, '' for source scans");
    table.uuid('report_id').notNullable();
    table.string('dedup_key', 64).notNullable();
    table.timestamp('scanned_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'control', 'tool', 'scope_digest']);
  });

  // Same rule as the ingest service: these controls' findings belong to a built artifact.
  const artifactScoped = new Set(['container-scan', 'sbom']);
  /** @type {Map<string, {entity_ref: string, control: string, tool: string, scope_digest: string, report_id: string, dedup_key: string, scanned_at: any, order: number[]}>} */
  const newest = new Map();
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const rows = await knex('devsecops_reports')
      .select('id', 'entity_ref', 'controls', 'tool', 'artifact_digest', 'scanned_at', 'received_at', 'dedup_key')
      .orderBy('id')
      .limit(pageSize)
      .offset(offset);
    for (const row of rows) {
      const scannedAt = row.scanned_at ?? row.received_at;
      const order = [new Date(scannedAt).getTime(), new Date(row.received_at).getTime()];
      /** @type {string[]} */
      let controls = [];
      try {
        controls = JSON.parse(row.controls);
      } catch {
        controls = [];
      }
      for (const control of controls) {
        const scopeDigest = artifactScoped.has(control) ? row.artifact_digest ?? '' : '';
        const key = JSON.stringify([row.entity_ref, control, row.tool, scopeDigest]);
        const seen = newest.get(key);
        if (!seen || order[0] > seen.order[0] || (order[0] === seen.order[0] && order[1] > seen.order[1])) {
          newest.set(key, {
            entity_ref: row.entity_ref,
            control,
            tool: row.tool,
            scope_digest: scopeDigest,
            report_id: row.id,
            dedup_key: row.dedup_key,
            scanned_at: scannedAt,
            order,
          });
        }
      }
    }
    if (rows.length < pageSize) break;
  }
  const streams = [...newest.values()].map(({ order: _order, ...stream }) => stream);
  for (let i = 0; i < streams.length; i += 500) {
    await knex('devsecops_report_streams').insert(streams.slice(i, i + 500));
  }

  await knex.schema.alterTable('devsecops_reports', table => {
    table.dropUnique(['dedup_key'], 'devsecops_reports_dedup_key_uniq');
    table.index(['dedup_key'], 'devsecops_reports_dedup_key_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devsecops_reports', table => {
    table.dropIndex(['dedup_key'], 'devsecops_reports_dedup_key_idx');
    table.unique(['dedup_key'], { indexName: 'devsecops_reports_dedup_key_uniq' });
  });
  await knex.schema.dropTable('devsecops_report_streams');
};
