import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { scorecardConfigSchema } from './readScorecardConfig';

/**
 * Every key the plugins read must be declared in a config.d.ts, so that `backstage-cli
 * config:check --strict` rejects typos and `config:docs` shows every key. Paths are dotted; `*`
 * stands for any key of a map (index signature / z.record) and `[]` for an array's items.
 */

const PLUGINS = join(__dirname, '..', '..', '..');

/** Keys read through the Config API (readDevsecopsConfig, plugin.ts, services, modules): add a key here when you read one. */
const KEYS_READ_THROUGH_CONFIG_API = [
  'devsecops.ingest.maxReportBytes',
  'devsecops.evidence.bodyRetentionDays',
  'devsecops.secretFingerprintKey',
  'devsecops.allowGeneratedSecretFingerprintKey',
  'devsecops.exceptions.maxDurationDays',
  'devsecops.exceptions.warnDaysBeforeExpiry',
  'devsecops.schedules.dailySnapshot',
  'devsecops.schedules.exceptionLifecycle',
  'devsecops.schedules.reportBodyRetention',
  'devsecops.schedules.exploitabilityFeeds',
  'devsecops.exploitability.failOn',
  'devsecops.exploitability.epssThreshold',
  'devsecops.exploitability.appliesTo',
  'devsecops.exploitability.feeds.kevUrl',
  'devsecops.exploitability.feeds.epssUrl',
  'devsecops.exploitability.feeds.maxBytes',
  'devsecops.exploitability.feeds.fetchTimeoutSeconds',
  'devsecops.signatures.trustedRoot',
  'devsecops.signatures.identities.[].subjectAlternativeName',
  'devsecops.signatures.identities.[].issuer',
  'devsecops.signatures.keys.[].hint',
  'devsecops.signatures.keys.[].publicKeyPem',
  'devsecops.controlMap.*.*',
  'devsecops.permissions.transitiveOwnership',
  'devsecops.database.healthCheckTimeoutMs',
  'devsecops.campaigns.reminderDaysBefore',
  'devsecops.campaigns.declared.[].key',
  'devsecops.campaigns.declared.[].title',
  'devsecops.campaigns.declared.[].goal',
  'devsecops.campaigns.declared.[].scope.group',
  'devsecops.campaigns.declared.[].scope.tag',
  'devsecops.campaigns.declared.[].startDate',
  'devsecops.campaigns.declared.[].targetDate',
  'devsecops.campaigns.declared.[].ownerRef',
  'devsecops.campaigns.declared.[].reminderDaysBefore',
  'devsecops.scorecard.entityKinds',
  'devsecops.exceptions.riskOwners.critical',
  'devsecops.exceptions.riskOwners.high',
  'devsecops.exceptions.riskOwners.medium',
  'devsecops.exceptions.riskOwners.low',
  'devsecops.exceptions.riskOwners.allowOwningTeam',
  'devsecops.exceptions.riskOwners.allowRequesterTeams',
  'devsecops.exceptions.riskOwners.controls.*.critical',
  'devsecops.ciIdentities.oidc.[].subjectPrefix',
  'devsecops.ciIdentities.oidc.[].subjectFormat',
  'devsecops.ciIdentities.oidc.[].annotation',
  'devsecops.ciIdentities.oidc.[].refs',
  'devsecops.ciIdentities.oidc.[].environments',
  'devsecops.ciIdentities.oidc.[].allowPullRequests',
  'devsecops.ciIdentities.static.[].subject',
  'devsecops.ciIdentities.static.[].entities',
  'devsecops.ciIdentities.static.[].repositories',
];
const GITHUB_MODULE_KEYS = ['devsecops.github.schedule', 'devsecops.github.pavedRoadWorkflows'];
const FRONTEND_KEYS = ['devsecops.demoNotice'];

/** The dotted key paths a config.d.ts declares, following type references within the file. */
function declaredKeys(file: string): { paths: Set<string>; frontend: Set<string> } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const named = new Map<string, ts.Node>();
  source.forEachChild(node => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) named.set(node.name.text, node);
  });
  const paths = new Set<string>();
  const frontend = new Set<string>();
  const visiting = new Set<ts.Node>();

  function members(list: ts.NodeArray<ts.TypeElement>, prefix: string) {
    for (const member of list) {
      if (ts.isPropertySignature(member) && member.name && member.type) {
        const name = member.name.getText(source).replace(/^['"]|['"]$/g, '');
        const path = prefix ? `${prefix}.${name}` : name;
        paths.add(path);
        if (ts.getJSDocTags(member).some(t => t.tagName.text === 'visibility' && String(t.comment).trim() === 'frontend')) {
          frontend.add(path);
        }
        walk(member.type, path);
      } else if (ts.isIndexSignatureDeclaration(member)) {
        const path = prefix ? `${prefix}.*` : '*';
        paths.add(path);
        walk(member.type, path);
      }
    }
  }
  function walk(node: ts.Node, prefix: string): void {
    if (ts.isTypeLiteralNode(node) || ts.isInterfaceDeclaration(node)) members(node.members, prefix);
    else if (ts.isTypeAliasDeclaration(node)) walk(node.type, prefix);
    else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) node.types.forEach(t => walk(t, prefix));
    else if (ts.isParenthesizedTypeNode(node)) walk(node.type, prefix);
    else if (ts.isArrayTypeNode(node)) walk(node.elementType, `${prefix}.[]`);
    else if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      if (name === 'Array' && node.typeArguments?.length === 1) {
        walk(node.typeArguments[0], `${prefix}.[]`);
        return;
      }
      const target = named.get(name);
      if (target && !visiting.has(target)) {
        visiting.add(target);
        walk(target, prefix);
        visiting.delete(target);
      }
    }
  }
  const config = named.get('Config');
  if (!config) throw new Error(`${file} declares no interface Config`);
  walk(config, '');
  return { paths, frontend };
}

/** The dotted key paths a zod schema accepts (objects' keys, records as `*`, arrays as `[]`). */
function zodKeys(schema: unknown, prefix: string, out = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  const def = (schema as { _zod: { def: any } })._zod.def;
  if (seen.has(schema)) return out;
  seen.add(schema);
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape)) {
        out.add(at(key));
        zodKeys(value, at(key), out, seen);
      }
      break;
    case 'record':
      out.add(at('*'));
      zodKeys(def.valueType, at('*'), out, seen);
      break;
    case 'array':
      zodKeys(def.element, at('[]'), out, seen);
      break;
    case 'union':
      for (const option of def.options) zodKeys(option, prefix, out, seen);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      zodKeys(def.innerType, prefix, out, seen);
      break;
    case 'lazy':
      zodKeys(def.getter(), prefix, out, seen);
      break;
    case 'pipe':
      zodKeys(def.in, prefix, out, seen);
      break;
    default:
      break;
  }
  seen.delete(schema);
  return out;
}

const undeclared = (read: Iterable<string>, declared: Set<string>) => [...read].filter(key => !declared.has(key));

describe('config.d.ts declares every key the plugins read', () => {
  const backend = declaredKeys(join(PLUGINS, 'devsecops-backend', 'config.d.ts'));

  it('the scorecard keys (the zod schema of readScorecardConfig)', () => {
    const read = zodKeys(scorecardConfigSchema, 'devsecops');
    expect(read.size).toBeGreaterThan(40);
    expect(undeclared(read, backend.paths)).toEqual([]);
  });

  it('the keys read through the Config API', () => {
    expect(undeclared(KEYS_READ_THROUGH_CONFIG_API, backend.paths)).toEqual([]);
  });

  it("the GitHub module's keys", () => {
    const github = declaredKeys(join(PLUGINS, 'devsecops-backend-module-github', 'config.d.ts'));
    expect(undeclared(GITHUB_MODULE_KEYS, github.paths)).toEqual([]);
  });

  it("the frontend's keys, visible to the frontend", () => {
    const frontend = declaredKeys(join(PLUGINS, 'devsecops', 'config.d.ts'));
    expect(undeclared(FRONTEND_KEYS, frontend.frontend)).toEqual([]);
    // Nothing the backend reads is sent to browsers.
    expect([...backend.frontend]).toEqual([]);
  });

  it('fails for a key that is read but not declared', () => {
    const read = zodKeys(scorecardConfigSchema, 'devsecops');
    read.add('devsecops.policies.*.enviroment');
    expect(undeclared(read, backend.paths)).toEqual(['devsecops.policies.*.enviroment']);
  });
});
