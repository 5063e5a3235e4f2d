import { GateDecision } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  CommandContext,
  connect,
  connectionOptions,
  CONNECTION_HELP,
  digest,
  entityLookup,
  entityOptions,
  environmentName,
  noPositionals,
  parseCommandArgs,
  printJson,
  required,
} from '../context';
import { EXIT_DENY, EXIT_OK } from '../io';

export const gateHelp = `Usage: devsecops gate (--entity <ref> | --repository <org/repo>) --artifact-digest <digest> --environment <env> [options]

Asks the release gate whether this artifact may be deployed to this environment
(POST /api/devsecops/v1/gate/decisions). The decision is stored as evidence.
Prints every requirement of the policy with ✓ or ✗ and its reason.

Exit status: 0 allow, 1 deny, 2 usage, transport or server error.

Options:
  --entity <ref>             catalog entity, e.g. component:default/payments-api
  --repository <repo>        org/repo or its URL
  --artifact-digest <digest> the image digest to release, sha256:…
  --environment <env>        e.g. production
  --claimed-owner <ref>      the team the pipeline says owns the service (checked against the
                             catalog; without it deployment_owner: service_catalog_match fails)

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  ...entityOptions,
  'artifact-digest': { type: 'string' },
  environment: { type: 'string' },
  'claimed-owner': { type: 'string' },
} as const;

export async function gateCommand(
  argv: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseCommandArgs('gate', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${gateHelp}\n`);
    return EXIT_OK;
  }
  noPositionals('gate', positionals);
  const lookup = entityLookup('gate', values);
  const artifactDigest = digest(
    'gate',
    'artifact-digest',
    required('gate', 'artifact-digest', values['artifact-digest']),
  );
  const environment = environmentName(
    'gate',
    required('gate', 'environment', values.environment),
  );
  const client = await connect('gate', values, ctx);
  const { body: decision } = await client.request<GateDecision>({
    method: 'POST',
    path: '/v1/gate/decisions',
    body: {
      contentType: 'application/json',
      data: JSON.stringify({
        ...lookup,
        artifactDigest,
        environment,
        claimedOwner: values['claimed-owner'],
      }),
    },
  });
  const allowed = decision.decision === 'allow';
  if (values.json) {
    printJson(ctx, decision);
  } else {
    printDecision(ctx, decision);
  }
  return allowed ? EXIT_OK : EXIT_DENY;
}

export function printDecision(
  ctx: CommandContext,
  decision: GateDecision,
  indent = '',
) {
  ctx.out(
    `${indent}${decision.decision === 'allow' ? 'ALLOW' : 'DENY'}: ${
      decision.entityRef
    } ${decision.artifactDigest} to ${decision.environment} (policy ${
      decision.policy
    }, decision ${decision.id})`,
  );
  for (const r of decision.requirements) {
    ctx.out(`${indent}  ${r.passed ? '✓' : '✗'} ${r.requirement}: ${r.reason}`);
  }
}
