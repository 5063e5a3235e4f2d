import { createHmac, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ReportIngestResult } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  builtInNormalizers,
  NormalizedReport,
  NormalizerRegistry,
  parseReportBody,
  SEVERITIES,
} from '@devsecops-scorecard/plugin-devsecops-node';
import {
  CommandContext,
  commitId,
  connect,
  connectionOptions,
  CONNECTION_HELP,
  digest,
  entityLookup,
  parseCommandArgs,
  printJson,
} from '../context';
import { CliError, EXIT_OK, formatBytes, UsageError } from '../io';

/** Files above this size show a progress indicator while they are read and compressed. */
export const PROGRESS_THRESHOLD_BYTES = 5 * 1024 * 1024;

export const uploadHelp = `Usage: devsecops upload <file> (--entity <ref> | --repository <org/repo>) [options]

Validates one scanner report, SBOM or VEX document locally (the same parsers as the backend),
then uploads it gzip-compressed to POST /api/devsecops/v1/reports.

Formats (detected from the content unless --format): ${builtInNormalizers
  .map(n => n.id)
  .join(', ')}.

Options:
  --entity <ref>        catalog entity, e.g. component:default/payments-api (kind defaults to component)
  --repository <repo>   org/repo or its URL, matched against github.com/project-slug
  --format <id>         name the format instead of detecting it
  --control <id>        the pipeline control the report evidences, when not the format's default:
                        any control the backend is configured with (GET /api/devsecops/controls),
                        including ones added in its app-config; the backend refuses others
  --scanners <names>    the tool's scanners that ran, comma-separated (Trivy: vuln, misconfig,
                        secret, license; Semgrep: code, secrets, supply-chain): the report covers
                        each one's control, so a clean run resolves its earlier findings. Trivy
                        writes nothing for a clean secret scan: pass the same list as trivy's own
                        --scanners (e.g. vuln,secret). Not with --control
  --commit <sha>        source commit that was scanned
  --branch <name>       branch that was scanned
  --artifact <digest>   image digest the report is about (sha256:…), for image scans and SBOMs
  --scanned-at <time>   when the scan ran (ISO 8601), if earlier than now, e.g. a nightly scan
                        uploaded later or a history imported in order; at most 400 days ago
  --skip-validation     upload without validating locally (e.g. a format only a backend module knows)

Uploads are idempotent: the same file for the same entity, format, control, scanners, commit,
branch and artifact (and --scanned-at) as the newest report of its stream is stored once. A retried
upload whose first attempt did reach the server is answered "already stored" and changes nothing,
so retries never duplicate a report. An older file sent again after a newer one is a new scan.

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  entity: { type: 'string' },
  repository: { type: 'string' },
  format: { type: 'string' },
  control: { type: 'string' },
  scanners: { type: 'string' },
  commit: { type: 'string' },
  branch: { type: 'string' },
  artifact: { type: 'string' },
  'scanned-at': { type: 'string' },
  'skip-validation': { type: 'boolean' },
} as const;

export async function uploadCommand(
  argv: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseCommandArgs('upload', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${uploadHelp}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'Name the report file to upload'
        : 'Upload one file at a time',
      'upload',
    );
  }
  const [file] = positionals;
  const lookup = entityLookup('upload', values);
  if (
    values.format !== undefined &&
    !/^[a-z][a-z0-9-]{0,63}$/.test(values.format)
  ) {
    throw new UsageError(
      `--format '${values.format}' is not a format id`,
      'upload',
    );
  }
  // Which controls exist is the backend's configuration: it answers 400 `Unknown control 'x'.
  // Controls: …` for one it does not have, and that message is shown. Only the shape is checked here.
  if (
    values.control !== undefined &&
    !/^[a-z][a-z0-9-]{0,63}$/.test(values.control)
  ) {
    throw new UsageError(
      `--control '${values.control}' is not a control id (lowercase letters, digits and dashes)`,
      'upload',
    );
  }
  const scanners = scannerList(values.scanners, values.control);
  const commit = commitId('upload', values.commit);
  const artifact = values.artifact
    ? digest('upload', 'artifact', values.artifact)
    : undefined;
  const scannedAt = values['scanned-at'];
  if (scannedAt !== undefined && Number.isNaN(Date.parse(scannedAt))) {
    throw new UsageError(`--scanned-at '${scannedAt}' is not an ISO 8601 time`, 'upload');
  }
  const client = await connect('upload', values, ctx);

  const { raw, gzip } = await readAndCompress(file, ctx);

  if (!values['skip-validation']) {
    const report = validate(file, raw, values.format);
    if (scanners) checkScanners(file, report, scanners);
    ctx.log(describeReport(file, report));
  }

  const response = await client.request<ReportIngestResult>({
    method: 'POST',
    path: '/v1/reports',
    query: {
      entity: lookup.entityRef,
      repository: lookup.repository,
      format: values.format,
      control: values.control,
      scanners: scanners?.join(','),
      commit,
      branch: values.branch,
      artifact,
      scannedAt,
    },
    body: { data: gzip, contentType: 'application/gzip' },
  });

  if (values.json) {
    printJson(ctx, response.body);
    return EXIT_OK;
  }
  const result = response.body;
  const r = result.report;
  const what = `${r.format} report from ${r.tool} for ${r.entityRef} (report ${r.id})`;
  if (result.duplicate) {
    const retried =
      response.attempts > 1
        ? '; an earlier attempt had reached the server'
        : '';
    ctx.out(
      `already stored: ${what} — the same body was uploaded before, nothing changed${retried}`,
    );
  } else {
    const f = result.findings;
    ctx.out(
      `stored: ${what}; findings ${f.new} new, ${f.updated} updated, ${f.resolved} resolved`,
    );
  }
  return EXIT_OK;
}

/** `--scanners vuln,secret`: lowercase names, without --control (the backend refuses the pair too). */
function scannerList(value: string | undefined, control: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = [...new Set(value.split(',').map(n => n.trim()))];
  const bad = names.find(n => !/^[a-z][a-z0-9-]{0,31}$/.test(n));
  if (bad !== undefined || names.length > 16) {
    throw new UsageError(
      `--scanners '${value}' is not a comma-separated list of scanner names (lowercase letters, digits and dashes), e.g. vuln,secret`,
      'upload',
    );
  }
  if (control !== undefined) {
    throw new UsageError(
      'Give either --control (all findings count for that control) or --scanners (the scanners that ran), not both',
      'upload',
    );
  }
  return names;
}

/** The backend's check of --scanners against the report's own scanners, before anything is sent. */
function checkScanners(file: string, report: NormalizedReport, scanners: string[]) {
  const known = report.scanners ?? [];
  if (known.length === 0) {
    throw new CliError(
      `${file} cannot be uploaded with --scanners: a ${report.format} report of this tool has no scanners to name; leave --scanners out`,
    );
  }
  const unknown = scanners.filter(n => !known.some(s => s.name === n));
  if (unknown.length > 0) {
    throw new CliError(
      `${file} cannot be uploaded: unknown scanner${unknown.length > 1 ? 's' : ''} ${unknown
        .map(n => `'${n}'`)
        .join(', ')} for ${report.format} reports; valid: ${known.map(s => s.name).join(', ')}`,
    );
  }
}

/** Bytes read while compressing; a live line on a terminal, a line per quarter in CI logs. */
class Progress {
  private lastShown = -1;

  constructor(
    private readonly ctx: CommandContext,
    private readonly file: string,
    private readonly total: number,
  ) {}

  update(read: number) {
    const percent = Math.floor((read / this.total) * 100);
    const tty = this.ctx.io.stderr.isTTY;
    const step = tty ? percent : Math.floor(percent / 25) * 25;
    if (step === this.lastShown) return;
    this.lastShown = step;
    const line = `compressing ${this.file}: ${formatBytes(
      read,
    )} / ${formatBytes(this.total)} (${percent}%)`;
    if (tty) this.ctx.io.stderr.write(`\r${line}`);
    else this.ctx.log(line);
  }

  done(compressed: number) {
    if (this.ctx.io.stderr.isTTY) this.ctx.io.stderr.write('\n');
    this.ctx.log(
      `compressed ${this.file}: ${formatBytes(this.total)} → ${formatBytes(
        compressed,
      )}`,
    );
  }
}

/** Reads the file once: keeps its bytes for validation and gzips them for the upload. */
async function readAndCompress(file: string, ctx: CommandContext) {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const progress =
    size > PROGRESS_THRESHOLD_BYTES ? new Progress(ctx, file, size) : undefined;
  const raw: Buffer[] = [];
  const gzip: Buffer[] = [];
  let read = 0;
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 1024 * 1024 }),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          raw.push(chunk);
          read += chunk.length;
          progress?.update(read);
          callback(null, chunk);
        },
      }),
      createGzip({ level: 6 }),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          gzip.push(chunk);
          callback();
        },
      }),
    );
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const compressed = Buffer.concat(gzip);
  progress?.done(compressed.length);
  return { raw: Buffer.concat(raw), gzip: compressed };
}

/**
 * The backend's own checks, run here so a broken or unsupported file fails the pipeline before
 * anything is sent: parse, resolve the format (named or detected), normalise.
 */
export function validate(
  file: string,
  body: Buffer,
  format?: string,
): NormalizedReport {
  const registry = new NormalizerRegistry();
  registry.add(...builtInNormalizers);
  // Secret findings are fingerprinted with a throwaway key: nothing of it leaves this process.
  const key = randomBytes(32);
  try {
    const parsed = parseReportBody(body);
    const normalizer = registry.resolve(parsed, format);
    return normalizer.normalize(parsed, {
      secretFingerprint: secret =>
        createHmac('sha256', key).update(secret).digest('hex'),
    });
  } catch (error) {
    throw new CliError(
      `${file} cannot be uploaded: ${(error as Error).message}`,
    );
  }
}

function describeReport(file: string, report: NormalizedReport): string {
  const counted = report.findings.filter(f => !f.suppressed);
  const suppressed = report.findings.length - counted.length;
  const bySeverity = SEVERITIES.map(
    s => [s, counted.filter(f => f.severity === s).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const tool = `${report.tool}${
    report.toolVersion ? ` ${report.toolVersion}` : ''
  }`;
  const total = report.findings.length;
  const parts = [
    `${total} finding${total === 1 ? '' : 's'}${
      bySeverity.length ? ` (${bySeverity.join(', ')})` : ''
    }`,
  ];
  if (suppressed) parts.push(`${suppressed} suppressed by the tool`);
  if (report.components)
    parts.push(`${report.components.length} SBOM components`);
  if (report.facts?.length)
    parts.push(`${report.facts.length} facts (recorded with the report)`);
  return `validated ${file}: ${
    report.format
  } from ${tool}, controls ${report.controls.join(
    ', ',
  )}; uploading ${parts.join(', ')}`;
}
