import { ControlFact, factWithOwnSource } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  CommandContext,
  connect,
  connectionOptions,
  CONNECTION_HELP,
  entityLookup,
  entityOptions,
  noPositionals,
  parseCommandArgs,
  printJson,
  timestamp,
} from '../context';
import { EXIT_OK, UsageError } from '../io';

export const factsHelp = `Usage: devsecops facts (--entity <ref> | --repository <org/repo>) --fact <name>=<value> [--fact …] [options]

Records control facts no scanner file carries (POST /api/devsecops/v1/facts), e.g.
  --fact branch_protection.enabled=true --fact branch_protection.required_reviews=2
Some evidence is never a claim, and is refused here (and by the server, with a 400) with its
source named: artifact_signature (devsecops attest verifies it), evidence.exported (an audit
package exported from the portal), control_failure_review.cadence_days and
platform_templates.feedback (a person's attestation), exercise.* (a recorded exercise), the
runtime *.enabled facts (a monitor's heartbeat) and openssf.* (an uploaded Scorecard result).
A value is read as JSON when it parses as JSON (true, 2, {"a":1}), otherwise as a string.

Options:
  --entity <ref>        catalog entity, e.g. component:default/payments-api
  --repository <repo>   org/repo or its URL
  --fact <name=value>   repeatable, at most 200
  --source <source>     where the facts were observed (default: devsecops-cli)
  --observed-at <time>  ISO 8601 date-time (default: now, server time)

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  ...entityOptions,
  fact: { type: 'string', multiple: true },
  source: { type: 'string' },
  'observed-at': { type: 'string' },
} as const;

/** `name=value`: value as JSON when it parses, else the string. */
export function parseFact(text: string): { fact: string; value: unknown } {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new UsageError(`--fact '${text}' must be name=value`, 'facts');
  }
  const fact = text.slice(0, at);
  if (!/^[a-z][a-z0-9_.-]{0,127}$/.test(fact)) {
    throw new UsageError(
      `Fact name '${fact}' must be lowercase letters, digits, '.', '_' or '-' (e.g. branch_protection.enabled)`,
      'facts',
    );
  }
  const own = factWithOwnSource(fact);
  if (own) {
    throw new UsageError(`Fact '${fact}' is not accepted as a claim: it is recorded from ${own.source}`, 'facts');
  }
  const raw = text.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a plain string
  }
  return { fact, value };
}

export async function factsCommand(
  argv: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseCommandArgs('facts', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${factsHelp}\n`);
    return EXIT_OK;
  }
  noPositionals('facts', positionals);
  const lookup = entityLookup('facts', values);
  const list = (values.fact ?? []).map(parseFact);
  if (list.length === 0)
    throw new UsageError('Pass at least one --fact name=value', 'facts');
  if (list.length > 200)
    throw new UsageError('At most 200 facts per call', 'facts');
  const source = values.source ?? 'devsecops-cli';
  const observedAt = timestamp('facts', 'observed-at', values['observed-at']);
  const client = await connect('facts', values, ctx);
  const response = await client.request<{ facts: ControlFact[] }>({
    method: 'POST',
    path: '/v1/facts',
    body: {
      contentType: 'application/json',
      data: JSON.stringify({
        ...lookup,
        facts: list.map(f => ({ ...f, source, observedAt })),
      }),
    },
  });
  if (values.json) {
    printJson(ctx, response.body);
    return EXIT_OK;
  }
  const facts = response.body.facts;
  ctx.out(
    `recorded ${facts.length} fact${facts.length === 1 ? '' : 's'} for ${
      facts[0]?.entityRef
    }:`,
  );
  for (const f of facts) ctx.out(`  ${f.fact} = ${JSON.stringify(f.value)}`);
  return EXIT_OK;
}
