import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import {
  CommandContext,
  connect,
  connectionOptions,
  CONNECTION_HELP,
  digest,
  entityLookup,
  parseCommandArgs,
  printJson,
} from '../context';
import { CliError, EXIT_DENY, EXIT_OK, UsageError } from '../io';

export const attestHelp = `Usage: devsecops attest <bundle-file> (--entity <ref> | --repository <org/repo>) [--artifact <digest>] [options]

Uploads a Sigstore bundle (cosign, GitHub or npm attestations, slsa-github-generator .intoto.jsonl)
or a DSSE envelope (POST /api/devsecops/v1/attestations). The portal verifies it offline against its
configured trusted root, signer identities and keys, and records for each signed subject digest
whether the signature verified: the release gate's artifact_signature requirement reads that.

Exit status: 0 every bundle verified, 1 a bundle did not verify (reasons printed), 2 usage,
transport or server error.

Options:
  --entity <ref>        catalog entity, e.g. component:default/payments-api
  --repository <repo>   org/repo or its URL
  --artifact <digest>   only record the subject with this digest (refused if no subject names it)

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  entity: { type: 'string' },
  repository: { type: 'string' },
  artifact: { type: 'string' },
} as const;

interface AttestResult {
  verified: boolean;
  reason: string;
  kind: string;
  recordedFor: string[];
  signer?: { identity?: string; issuer?: string; keyHint?: string };
}

export async function attestCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('attest', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${attestHelp}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('Name one bundle file', 'attest');
  const lookup = entityLookup('attest', values);
  const artifact = values.artifact ? digest('attest', 'artifact', values.artifact) : undefined;
  const client = await connect('attest', values, ctx);
  let raw: Buffer;
  try {
    raw = await readFile(positionals[0]);
  } catch (error) {
    throw new CliError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  const response = await client.request<{ results: AttestResult[] }>({
    method: 'POST',
    path: '/v1/attestations',
    query: { entity: lookup.entityRef, repository: lookup.repository, artifact },
    body: { data: gzipSync(raw), contentType: 'application/gzip' },
  });
  const results = response.body.results;
  if (values.json) {
    printJson(ctx, response.body);
  } else {
    for (const r of results) {
      const who = r.signer?.identity ?? r.signer?.keyHint ?? 'unknown signer';
      ctx.out(`${r.verified ? '✓ verified' : '✗ NOT verified'} (${r.kind}, ${who}): ${r.reason}`);
      ctx.out(`  recorded for: ${r.recordedFor.length ? r.recordedFor.join(', ') : 'no sha256 subject'}`);
    }
  }
  return results.every(r => r.verified) ? EXIT_OK : EXIT_DENY;
}
