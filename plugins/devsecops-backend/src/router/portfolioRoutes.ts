import { InputError } from '@backstage/errors';
import { narrowEntities } from '../permissions/readScope';
import { parsePackageQuery } from '../portfolio/packageQuery';
import { paging } from '../validation/query';
import { AreaContext } from './request';

/** Portfolio search: which entities' stored SBOMs contain a package. */
export function mountPortfolioRoutes({ router, services, callers }: AreaContext) {
  router.get('/v1/components', async (req, res) => {
    const scope = await services.readScopes.of(await callers.reader(req));
    const q = req.query;
    const named = [q.package, q.purl, q.name].filter(v => v !== undefined);
    if (named.length !== 1) {
      throw new InputError('Name the package once: package=<name or purl>[@<range>], or purl= or name= (with version=)');
    }
    if (q.package && q.version) throw new InputError('version goes with purl= or name=; with package= write package=<name>@<range>');
    if (q.purl !== undefined && !q.purl.startsWith('pkg:')) throw new InputError('purl must start with pkg:');
    if (q.name !== undefined && q.name.startsWith('pkg:')) throw new InputError('name is a package name; send a purl as purl=');
    const text = q.package ?? `${q.purl ?? q.name}${q.version ? `@${q.version}` : ''}`;
    res.json(
      await services.stores.components.search({
        package: parsePackageQuery(text),
        entityRefs: narrowEntities(scope, undefined),
        ...paging(q),
      }),
    );
  });
}
