import { verifyAuditPackage } from '@devsecops-scorecard/plugin-devsecops-node';
import { readFile } from 'node:fs/promises';
import { CommandContext, parseCommandArgs } from '../context';
import { CliError, EXIT_DENY, EXIT_OK, UsageError } from '../io';

export const verifyPackageHelp = `Usage: devsecops verify-package <audit-package.zip> [--head-hash <hash>] [--json]

Verifies an audit package offline (no portal, no network): every file against the sha256 in
manifest.json, no file added, and the evidence-log segment recomputed record by record.
With --head-hash (a head hash you noted from GET /api/devsecops/v1/evidence/verify at or after
the export), also checks the manifest names that head.

Exit status: 0 verified, 1 not verified (each problem printed), 2 usage or unreadable file.`;

const options = {
  'head-hash': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function verifyPackageCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify-package', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${verifyPackageHelp}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new UsageError('give exactly one audit package file', 'verify-package');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(positionals[0]);
  } catch (error) {
    throw new CliError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  const result = verifyAuditPackage(new Uint8Array(bytes));
  const headHash = values['head-hash'];
  if (headHash && result.manifest && result.manifest.evidenceLog.wholeLogHeadHash !== headHash) {
    result.ok = false;
    result.problems.push(
      `the manifest names head ${result.manifest.evidenceLog.wholeLogHeadHash}, not the head you noted (${headHash})`,
    );
  }
  if (values.json) {
    ctx.io.stdout.write(`${JSON.stringify({ ok: result.ok, problems: result.problems, manifest: result.manifest }, null, 2)}\n`);
  } else if (result.ok) {
    const m = result.manifest!;
    ctx.out(
      `verified: ${m.files.length} files, evidence-log records ${m.evidenceLog.fromSeq ?? '-'}–${m.evidenceLog.toSeq ?? '-'} (head ${m.evidenceLog.headHash ?? 'none'}), scope ${m.scope.kind} ${m.scope.ref ?? ''}`.trimEnd(),
    );
  } else {
    ctx.out('NOT verified:');
    for (const problem of result.problems) ctx.out(`  ✗ ${problem}`);
  }
  return result.ok ? EXIT_OK : EXIT_DENY;
}
