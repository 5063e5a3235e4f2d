import {
  Deployment,
  GateDecision,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  CommandContext,
  commitId,
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
  timestamp,
} from '../context';
import { EXIT_OK, UsageError } from '../io';
import { printDecision } from './gate';

const RESULTS = ['succeeded', 'failed', 'rolled_back'];

export const deployHelp = `Usage: devsecops deploy (--entity <ref> | --repository <org/repo>) --environment <env> --artifact-digest <digest> --deployer <who> [options]

Records a deployment that happened (POST /api/devsecops/v1/deployments). A deployment to an
environment with a release policy is judged by it and the decision is kept as evidence (printed
here; it does not change the exit status: use \`devsecops gate\` before deploying).
Recording the same deployment twice is answered "already recorded".

Options:
  --entity <ref>             catalog entity, e.g. component:default/payments-api
  --repository <repo>        org/repo or its URL
  --environment <env>        e.g. production
  --artifact-digest <digest> the deployed image digest, sha256:…
  --deployer <who>           who or what deployed (user, pipeline run)
  --approver <who>           who approved the production change: a catalog User (name or
                             user:<namespace>/<name>) other than the deployer, or the
                             production-approval control fails
  --change-ref <ref>         change ticket or pull request URL
  --commit <sha>             source commit of the artifact
  --result <result>          ${RESULTS.join(' | ')} (default: succeeded)
  --deployed-at <time>       ISO 8601 date-time (default: now, server time)
  --claimed-owner <ref>      the team the pipeline says owns the service (without it the
                             policy's deployment_owner: service_catalog_match fails)

${CONNECTION_HELP}`;

const options = {
  ...connectionOptions,
  ...entityOptions,
  environment: { type: 'string' },
  'artifact-digest': { type: 'string' },
  deployer: { type: 'string' },
  approver: { type: 'string' },
  'change-ref': { type: 'string' },
  commit: { type: 'string' },
  result: { type: 'string' },
  'deployed-at': { type: 'string' },
  'claimed-owner': { type: 'string' },
} as const;

interface DeploymentResponse {
  deployment: Deployment;
  duplicate: boolean;
  gateDecision?: GateDecision;
}

export async function deployCommand(
  argv: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseCommandArgs('deploy', argv, options);
  if (values.help) {
    ctx.io.stdout.write(`${deployHelp}\n`);
    return EXIT_OK;
  }
  noPositionals('deploy', positionals);
  const lookup = entityLookup('deploy', values);
  const environment = environmentName(
    'deploy',
    required('deploy', 'environment', values.environment),
  );
  const artifactDigest = digest(
    'deploy',
    'artifact-digest',
    required('deploy', 'artifact-digest', values['artifact-digest']),
  );
  const deployer = required('deploy', 'deployer', values.deployer);
  if (values.result !== undefined && !RESULTS.includes(values.result)) {
    throw new UsageError(
      `--result must be one of ${RESULTS.join(', ')}, got '${values.result}'`,
      'deploy',
    );
  }
  const body = {
    ...lookup,
    environment,
    artifactDigest,
    deployer,
    approver: values.approver,
    changeRef: values['change-ref'],
    sourceCommit: commitId('deploy', values.commit),
    result: values.result,
    deployedAt: timestamp('deploy', 'deployed-at', values['deployed-at']),
    claimedOwner: values['claimed-owner'],
  };
  const client = await connect('deploy', values, ctx);
  const response = await client.request<DeploymentResponse>({
    method: 'POST',
    path: '/v1/deployments',
    body: { contentType: 'application/json', data: JSON.stringify(body) },
  });
  if (values.json) {
    printJson(ctx, response.body);
    return EXIT_OK;
  }
  const { deployment: d, duplicate, gateDecision } = response.body;
  const what = `deployment ${d.id}: ${d.entityRef} ${d.artifactDigest} to ${d.environment} (${d.result}, by ${d.deployer})`;
  ctx.out(duplicate ? `already recorded: ${what}` : `recorded ${what}`);
  if (gateDecision) {
    ctx.out(`judged by the release policy of ${d.environment}:`);
    printDecision(ctx, gateDecision, '  ');
  }
  return EXIT_OK;
}
