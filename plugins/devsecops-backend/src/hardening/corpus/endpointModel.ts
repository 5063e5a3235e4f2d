/*
 * How the corpus describes an endpoint: its request, body fields and query parameters, and how a
 * hostile but well-formed value becomes a refused request; with the parts several endpoints share.
 */
import { Auth, Patch } from './model';
import { Expect, Path } from './helpers';
import { DIGEST } from './hostileValues';

// Field kinds ----------------------------------------------------------------------------------------

export type Kind =
  | { kind: 'text'; min: number; max: number }
  | { kind: 'pattern'; max: number }
  | { kind: 'enum'; values: string[] }
  | { kind: 'observed'; name: string }
  | { kind: 'expiry' }
  | { kind: 'day'; name: string; future: boolean }
  | { kind: 'entity' }
  | { kind: 'repository' }
  | { kind: 'digest'; name: string }
  | { kind: 'commit' }
  | { kind: 'owner'; name: string; malformed: string }
  | { kind: 'riskOwner' }
  | { kind: 'control' }
  | { kind: 'fingerprint' }
  | { kind: 'boolean' }
  | { kind: 'any'; name: string }
  | { kind: 'array'; min: number; max: number; item: unknown }
  /** A ticket's link (ticketFields.ts). */
  | { kind: 'ticketUrl' }
  /** A string the schema bounds and the service checks: hostile values get `message`. */
  | { kind: 'checked'; max: number; message: string };

export interface Field {
  path: Path;
  required?: boolean;
  type: Kind;
  /** How a hostile but well-formed value is made a refused request (else: the endpoint's default). */
  refuse?: { patch: Patch[]; expect: Expect };
}

export interface QueryParam {
  name: string;
  type:
    | 'entity'
    | 'repository'
    | 'limit'
    | 'offset'
    | 'control'
    | 'controls'
    | 'artifact'
    | 'environment'
    | 'severity'
    | 'status'
    | 'exceptionStatus'
    | 'orderBy'
    | 'order'
    | 'sboms'
    | 'text'
    | 'owner'
    | 'riskOwner'
    | 'days'
    | 'withinDays'
    | 'open'
    | 'scope'
    | 'scenario'
    | 'uuid'
    | 'entitiesLimit'
    | 'entitiesCursor'
    | 'group'
    | 'system'
    | 'domain'
    | 'org'
    | 'instant'
    | 'seq'
    | 'format'
    | 'commit'
    | 'scannedAt'
    | 'lifecycle'
    | 'riskRating'
    | 'evlimit'
    | 'minServices'
    | 'vulnerabilityId'
    | 'package'
    | 'subjectKind'
    | 'digestGroup';
  max?: number;
}

export interface Endpoint {
  file: string;
  endpoint: string;
  method: 'GET' | 'POST';
  /** Path with `{ctxId}` placeholders for ids the test creates. */
  path: string;
  auth: Auth;
  /** The base query: valid values of some parameters. */
  query: Array<[string, string]>;
  params: QueryParam[];
  /** The path id: a mutation of it; `notFound` names the message of a well-formed unknown id. */
  pathId?: { placeholder: string; notFound: (id: string) => string; param: string; numeric?: boolean };
  json?: { base: Record<string, unknown>; fields: Field[] };
  raw?: 'report' | 'attestation' | 'kev' | 'epss' | 'osv';
  /** Who may not call it (403). */
  forbidden?: Auth[];
  /** How a hostile but well-formed value becomes a refused request. */
  refuse: { patch?: Patch[]; query?: Array<[string, string]>; path?: string; expect: Expect };
}

export const trivyImage = {
  SchemaVersion: 2,
  ArtifactName: 'registry.example.com/payments-api:1.2.3',
  ArtifactType: 'container_image',
  Metadata: { RepoDigests: [`registry.example.com/payments-api@${DIGEST}`] },
  Results: [
    {
      Target: 'payments-api (alpine 3.19)',
      Class: 'os-pkgs',
      Type: 'alpine',
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2026-7777',
          PkgName: 'openssl',
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: 'CRITICAL',
          Title: 'openssl',
        },
      ],
    },
  ],
};
export const BUNDLE = 'attestations/sigstore-js-bundleV03-dsse.sigstore.json';

export const entityParams: QueryParam[] = [
  { name: 'entity', type: 'entity' },
  { name: 'repository', type: 'repository' },
];
export const pagingParams: QueryParam[] = [
  { name: 'limit', type: 'limit' },
  { name: 'offset', type: 'offset' },
];
export const GHOST_QUERY: Array<[string, string]> = [['entity', 'ghost']];
export const GHOST_PATCH: Patch[] = [{ path: ['entityRef'], value: 'ghost' }];
