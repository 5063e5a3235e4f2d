import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { entityFacts } from '../scorecard/EvidenceLoader';

/** How long the index answers before a read rebuilds it (catalog changes reach reads within this). */
export const CATALOG_READ_INDEX_TTL_MS = 30_000;
/** Entities per catalog page while building the index. */
const PAGE = 1000;

const ASCII = /^\p{ASCII}*$/u;

/**
 * The index key of an entity ref: lower case as the catalog compares refs
 * (`toLocaleLowerCase('en-US')`). For ASCII, which nearly every ref is, that is exactly
 * `toLowerCase()`, which V8 does without ICU: the locale-aware call was the largest part of a
 * stored read's own CPU in the profile (bench/readProfile.ts).
 */
export function refKey(ref: string): string {
  return ASCII.test(ref) ? ref.toLowerCase() : ref.toLocaleLowerCase('en-US');
}

/** What a stored-scorecard read needs to know of a catalog entity. */
export interface IndexedEntity {
  /** The catalog's own spelling of the ref (the stored summary's key). */
  entityRef: string;
  kind: string;
  /** The owner as a full ref, as entityFacts computes it (compared with the stored scorecard's owner). */
  ownerRef?: string;
}

/**
 * Every counted catalog entity's ref, kind and owner, read in pages of projected fields (no
 * annotations, relations or descriptions) and reused for `ttlMs`. A stored-scorecard read looks
 * the entity up here instead of asking the catalog for the whole entity over HTTP on every
 * request — with random entities a per-entity cache rarely hits, so that round trip was most of
 * a read's cost. The index is built lazily by the first read after it lapsed (one build at a time;
 * reads meanwhile use the previous one, or the catalog path before the first), so an idle
 * instance does not poll the catalog. An entity
 * missing from the index (added since) is not an answer: the caller then asks the catalog.
 */
export class CatalogReadIndex {
  private index?: { builtAt: number; byRef: Map<string, IndexedEntity> };
  private building?: Promise<Map<string, IndexedEntity>>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      /** The counted kinds (devsecops.scorecard.entityKinds); only these are indexed. */
      kinds: string[];
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * The indexed entity a ref names (kind defaults to component, namespace to default), or
   * undefined when the ref is malformed or not in the index.
   */
  async lookup(rawRef: string): Promise<IndexedEntity | undefined> {
    let key: string;
    try {
      const ref = parseEntityRef(rawRef, { defaultKind: 'component', defaultNamespace: 'default' });
      key = refKey(`${ref.kind}:${ref.namespace}/${ref.name}`);
    } catch {
      return undefined; // the catalog path answers with its own message
    }
    return this.current()?.get(key);
  }

  /** Resolves once an index exists, building the first one if needed (for callers that can wait). */
  async ready(): Promise<void> {
    if (!this.index) await this.rebuild();
  }

  /**
   * The index to answer from, or undefined while the first one is built: reads then take the
   * catalog path instead of waiting (at 50,000 entities the first build took seconds and every
   * read in that time waited for it, bench:scale). A lapsed index keeps answering while the next
   * one is built.
   */
  private current(): Map<string, IndexedEntity> | undefined {
    const ttl = this.options.ttlMs ?? CATALOG_READ_INDEX_TTL_MS;
    if (this.index && this.now() - this.index.builtAt < ttl) return this.index.byRef;
    this.rebuild().catch(() => undefined); // a failed build is tried again by the next read
    return this.index?.byRef;
  }

  private rebuild(): Promise<Map<string, IndexedEntity>> {
    this.building ??= this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(): Promise<Map<string, IndexedEntity>> {
    const startedAt = this.now();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const byRef = new Map<string, IndexedEntity>();
    const fields = ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor ? { cursor, fields, limit: PAGE } : { filter: { kind: this.options.kinds }, fields, limit: PAGE },
        { credentials },
      );
      for (const entity of page.items) {
        const facts = entityFacts(entity);
        byRef.set(refKey(facts.entityRef), {
          entityRef: facts.entityRef,
          kind: facts.kind,
          ownerRef: facts.ownerRef,
        });
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    this.index = { builtAt: startedAt, byRef };
    return byRef;
  }
}
