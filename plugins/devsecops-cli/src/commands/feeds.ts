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

export const feedsHelp = `Usage: devsecops feeds import <file> [--feed kev|epss] [options]

Imports an exploitability feed into the portal (POST /api/devsecops/v1/feeds/kev or /epss), for
deployments that are offline or mirror the feeds themselves:
  - CISA Known Exploited Vulnerabilities: known_exploited_vulnerabilities.json
  - FIRST EPSS scores: epss_scores-YYYY-MM-DD.csv.gz (or the unpacked CSV)
The feed is recognised from its content (--feed names it). The portal keeps the feed's version
and date, replaces the stored feed and re-enriches every open finding; importing the same file
again changes nothing. Needs an org-wide token (not one bound to entities) or, for a person, the
devsecops.feed.import permission.

Options:
  --feed <kev|epss>   which feed the file is (default: recognised from the content)

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  feed: { type: 'string' },
} as const;

interface FeedImportResult {
  feed: string;
  version: string;
  publishedOn: string;
  rows: number;
  changed: boolean;
  entitiesChanged: number;
}

/** Which feed a file is: KEV's JSON catalog or EPSS's CSV (its first line is `#model_version:`). */
export function recogniseFeed(raw: Buffer): 'kev' | 'epss' | undefined {
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
  if (values.feed !== undefined && values.feed !== 'kev' && values.feed !== 'epss') {
    throw new UsageError('--feed must be kev or epss', 'feeds');
  }
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const feed = (values.feed as 'kev' | 'epss' | undefined) ?? recogniseFeed(raw);
  if (!feed) {
    throw new CliError(
      `${file} is neither a KEV catalog (JSON with catalogVersion) nor an EPSS CSV (first line #model_version…); name it with --feed`,
    );
  }
  const client = await connect('feeds', values, ctx);
  const packed = raw[0] === 0x1f && raw[1] === 0x8b ? raw : gzipSync(raw);
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
