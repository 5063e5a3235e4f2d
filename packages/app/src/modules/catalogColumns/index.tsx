import {
  coreExtensionData,
  createExtensionInput,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { CatalogTable } from '@backstage/plugin-catalog';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { devsecopsStageGateColumn } from '@devsecops-scorecard/plugin-devsecops/alpha';

/**
 * The catalog page with the devsecops "Stage · gate" column after the default columns. The new
 * frontend system's catalog page takes no columns from extensions, so this module replaces
 * `page:catalog` with the same page (same path config, same filters input) given the columns.
 */
const catalogPageWithStageColumn = PageBlueprint.makeWithOverrides({
  inputs: {
    filters: createExtensionInput([coreExtensionData.reactElement]),
  },
  factory(originalFactory, { inputs }) {
    return originalFactory({
      path: '/catalog',
      routeRef: catalogPlugin.routes.catalogIndex,
      title: 'Catalog',
      loader: async () => {
        const { CatalogIndexPage } = await import('@backstage/plugin-catalog/alpha');
        const filters = inputs.filters.map(f => f.get(coreExtensionData.reactElement));
        return (
          <CatalogIndexPage
            filters={<>{filters}</>}
            columns={context => [...CatalogTable.defaultColumnsFunc(context), devsecopsStageGateColumn()]}
          />
        );
      },
    });
  },
});

export const catalogColumnsModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogPageWithStageColumn],
});
