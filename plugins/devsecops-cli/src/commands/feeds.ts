import { readFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CommandContext,
  connect,
  connectionOptions,
  CONNECTION_HELP,
  parseCommandArgs,
  printJson,
} from '../context';
import { CliError, EXIT_OK, UsageError } from '../io';

export const feedsHelp = `Usage: devsecops feeds import <file> [--feed kev|epss|osv] [--sboms deployed|all] [options]

Imports an exploitability feed into the portal (POST /api/devsecops/v1/feeds/kev, /epss or /osv),
for deployments that are offline or mirror the feeds themselves:
  - CISA Known Exploited Vulnerabilities: known_exploited_vulnerabilities.json
  - FIRST EPSS scores: epss_scores-YYYY-MM-DD.csv.gz (or the unpacked CSV)
  - OSV advisories: one OSV JSON advisory, a JSON array of them, or a zip of <id>.json files
    (osv.dev's per-ecosystem all.zip)
The feed is recognised from its content (--feed names it). For KEV and EPSS the portal keeps the
feed's version and date, replaces the stored feed and re-enriches every open finding; importing
the same file again changes nothing. OSV advisories are matched against the stored SBOMs and
open findings marked "from advisory match" (tool osv-advisory-match) without a rescan; a
withdrawn advisory closes its findings. Needs an org-wide token (not one bound to entities) or,
for a person, the devsecops.feed.import permission.

Options:
  --feed <kev|epss|osv>      which feed the file is (default: recognised from the content)
  --sboms <deployed|all>     OSV only: match the SBOMs of deployed artifacts (default) or every stored SBOM

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  feed: { type: 'string' },
  sboms: { type: 'string' },
} as const;

type FeedName = 'kev' | 'epss' | 'osv';

interface OsvImportResult {
  advisories: number;
  withdrawn: number;
  sboms: string;
  componentsMatched: number;
  findingsOpened: number;
  findingsResolved: number;
  entitiesChanged: number;
}

interface FeedImportResult {
  feed: string;
  version: string;
  publishedOn: string;
  rows: number;
  changed: boolean;
  entitiesChanged: number;
}

/**
 * Which feed a file is: KEV's JSON catalog, EPSS's CSV (its first line is `#model_version:`), or
 * OSV advisories (a zip, or JSON whose first object has an `id` and `affected`, `modified` or
 * `schema_version`).
 */
export function recogniseFeed(raw: Buffer): FeedName | undefined {
  if (raw.length > 3 && raw[0] === 0x50 && raw[1] === 0x4b && raw[2] === 0x03 && raw[3] === 0x04) return 'osv';
  let text: Buffer = raw;
  if (raw.length > 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      // The feeds are ~10 MB unpacked at most; the portal bounds them again.
      text = gunzipSync(raw, { maxOutputLength: 256 * 1024 * 1024 });
    } catch {
      return undefined;
    }
  }
  const head = text.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('#model_version')) return 'epss';
  if (head.startsWith('{') && head.includes('"catalogVersion"')) return 'kev';
  if (/^\[?\s*\{/.test(head) && head.includes('"id"') && /"(affected|modified|schema_version)"/.test(head)) return 'osv';
  return undefined;
}

export async function feedsCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('feeds', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${feedsHelp}\n`);
    return EXIT_OK;
  }
  const [action, file, ...extra] = positionals;
  if (action !== 'import') throw new UsageError(`Unknown feeds action '${action ?? ''}': use 'feeds import <file>'`, 'feeds');
  if (!file || extra.length > 0) throw new UsageError('Name one feed file', 'feeds');
  if (values.feed !== undefined && values.feed !== 'kev' && values.feed !== 'epss' && values.feed !== 'osv') {
    throw new UsageError('--feed must be kev, epss or osv', 'feeds');
  }
  if (values.sboms !== undefined && values.sboms !== 'deployed' && values.sboms !== 'all') {
    throw new UsageError('--sboms must be deployed or all', 'feeds');
  }
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const feed = (values.feed as FeedName | undefined) ?? recogniseFeed(raw);
  if (!feed) {
    throw new CliError(
      `${file} is neither a KEV catalog (JSON with catalogVersion), an EPSS CSV (first line #model_version…) nor OSV advisories (JSON with id and affected, or a zip); name it with --feed`,
    );
  }
  if (values.sboms !== undefined && feed !== 'osv') throw new UsageError('--sboms applies to OSV advisories only', 'feeds');
  const client = await connect('feeds', values, ctx);
  const packed = raw[0] === 0x1f && raw[1] === 0x8b ? raw : gzipSync(raw);
  if (feed === 'osv') {
    const osv = await client.request<OsvImportResult>({
      method: 'POST',
      path: `/v1/feeds/osv${values.sboms ? `?sboms=${values.sboms}` : ''}`,
      body: { data: packed, contentType: 'application/gzip' },
    });
    if (values.json) {
      printJson(ctx, osv.body);
    } else {
      const r = osv.body;
      ctx.out(
        `osv: ${r.advisories} advisories (${r.withdrawn} withdrawn) matched against ${r.sboms} SBOMs: ${r.componentsMatched} components affected, ${r.findingsOpened} findings opened, ${r.findingsResolved} resolved; ${r.entitiesChanged} entities re-evaluated`,
      );
    }
    return EXIT_OK;
  }
  const response = await client.request<FeedImportResult>({
    method: 'POST',
    path: `/v1/feeds/${feed}`,
    body: { data: packed, contentType: 'application/gzip' },
  });
  if (values.json) {
    printJson(ctx, response.body);
  } else {
    const r = response.body;
    ctx.out(
      r.changed
        ? `${r.feed} ${r.version} (${r.publishedOn}, ${r.rows} rows) imported; ${r.entitiesChanged} entities re-evaluated`
        : `${r.feed} ${r.version} (${r.publishedOn}) is already the imported feed: nothing changed`,
    );
  }
  return EXIT_OK;
}
