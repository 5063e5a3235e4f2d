import { TableColumn } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { StageGateCell } from './StageGateCell';

/**
 * A catalog table column with each entity's maturity stage and production release gate, for
 * `CatalogIndexPage`'s `columns` (legacy `@backstage/plugin-catalog` or its `/alpha` page):
 * `columns={ctx => [...CatalogTable.defaultColumnsFunc(ctx), devsecopsStageGateColumn()]}`.
 * @public
 */
export function devsecopsStageGateColumn<T extends { entity: Entity }>(): TableColumn<T> {
  return {
    title: 'Stage · gate',
    field: 'devsecops',
    sorting: false,
    width: 'auto',
    render: row => <StageGateCell entity={row.entity} />,
  };
}
