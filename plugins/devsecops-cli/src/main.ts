import { deployCommand } from './commands/deploy';
import { factsCommand } from './commands/facts';
import { gateCommand } from './commands/gate';
import { uploadCommand } from './commands/upload';
import { verifyPackageCommand } from './commands/verifyPackage';
import { attestCommand } from './commands/attest';
import { feedsCommand } from './commands/feeds';
import { CommandContext, VERSION } from './context';
import {
  CliDeps,
  CliError,
  CliIo,
  EXIT_ERROR,
  EXIT_OK,
  redactingIo,
  UsageError,
} from './io';

export const mainHelp = `devsecops ${VERSION}: CI/CD client of the DevSecOps scorecard (Backstage plugin)

Usage: devsecops <command> [options]      devsecops <command> --help

Commands:
  upload <file>   validate a scanner report, SBOM or VEX document locally, then upload it
                  (gzip, retried; idempotent: a retry never stores the same report twice)
  deploy          record a deployment (it is judged by the environment's release policy)
  gate            ask the release gate: exit 0 allow, 1 deny (each requirement with its reason)
  facts           record control facts (name=value) no scanner file carries
  verify-package  verify an exported audit package offline (files, manifest, evidence-log chain)
  attest <file>   upload a Sigstore bundle / attestation; the portal verifies it offline
                  and records the signature for each signed digest (exit 1 if one fails)
  feeds import <file>
                  import the CISA KEV catalog or FIRST EPSS scores (offline mirrors)

Environment:
  DEVSECOPS_URL    Backstage backend base URL, e.g. http://localhost:7007 (or use --url)
  DEVSECOPS_TOKEN  static external-access token of the pipeline (or use --token); never printed
  ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN
                   set by GitHub Actions with permissions: id-token: write; without a static
                   token the job's OIDC token is requested and sent (audience:
                   --audience, $DEVSECOPS_OIDC_AUDIENCE, else the backend URL's origin)

Exit status: 0 success (gate: allow), 1 gate deny, 2 usage, validation, transport or server error.
Retries: network errors, 429 and 5xx are retried with exponential backoff and jitter
(--attempts, default 4); a 4xx is not retried. --json prints only the server's JSON on stdout.`;

const commands: Record<
  string,
  (argv: string[], ctx: CommandContext) => Promise<number>
> = {
  upload: uploadCommand,
  deploy: deployCommand,
  gate: gateCommand,
  facts: factsCommand,
  'verify-package': verifyPackageCommand,
  attest: attestCommand,
  feeds: feedsCommand,
};

/**
 * Runs one command line and resolves to the exit code; writes only to the given streams and
 * reads only the given environment.
 * @public
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  deps: CliDeps = {},
): Promise<number> {
  const tokens: string[] = [];
  const safeIo = redactingIo(io, () => tokens);
  let json = false;
  const ctx: CommandContext = {
    io: safeIo,
    env,
    deps: {
      sleep:
        deps.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms))),
      random: deps.random ?? Math.random,
    },
    log: line => safeIo.stderr.write(`${line}\n`),
    out: line => {
      if (!json) safeIo.stdout.write(`${line}\n`);
    },
    setToken: value => {
      tokens.push(value);
    },
  };
  // Whatever the command's parser says later, --json must keep human lines off stdout.
  json = argv.includes('--json');

  const [command, ...rest] = argv;
  if (
    !command ||
    command === 'help' ||
    command === '--help' ||
    command === '-h'
  ) {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && commands[topic]) return commands[topic](['--help'], ctx);
    safeIo.stdout.write(`${mainHelp}\n`);
    return command ? EXIT_OK : EXIT_ERROR;
  }
  if (command === '--version' || command === '-v') {
    safeIo.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const run = commands[command];
  if (!run) {
    ctx.log(
      `error: unknown command '${command}'. Commands: ${Object.keys(
        commands,
      ).join(', ')}`,
    );
    ctx.log("Run 'devsecops --help' for usage.");
    return EXIT_ERROR;
  }
  try {
    return await run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.log(`error: ${error.message}`);
      ctx.log(`Run 'devsecops ${error.command ?? command} --help' for usage.`);
      return EXIT_ERROR;
    }
    if (error instanceof CliError) {
      ctx.log(`error: ${error.message}`);
      return EXIT_ERROR;
    }
    ctx.log(`error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT_ERROR;
  }
}
