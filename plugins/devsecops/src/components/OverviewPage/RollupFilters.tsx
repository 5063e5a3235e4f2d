import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { RollupQuery } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import useAsync from 'react-use/esm/useAsync';

type ScopeKey = 'group' | 'system' | 'domain';
const SCOPES: Array<[ScopeKey, string, string]> = [
  ['group', 'Group', 'Group'],
  ['system', 'System', 'System'],
  ['domain', 'Domain', 'Domain'],
];

/**
 * Group, system, domain and lifecycle filters for the org views. A roll-up covers one of group,
 * system or domain, so choosing one clears the other two; lifecycle narrows any of them.
 */
export function RollupFilters({
  value,
  onChange,
}: {
  value: RollupQuery;
  onChange: (query: RollupQuery) => void;
}) {
  const catalogApi = useApi(catalogApiRef);
  const options = useAsync(async () => {
    const [{ items }, facets] = await Promise.all([
      catalogApi.getEntities({
        filter: { kind: ['Group', 'System', 'Domain'] },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile.displayName'],
      }),
      catalogApi.getEntityFacets({ facets: ['spec.lifecycle'], filter: { kind: 'Component' } }),
    ]);
    const byKind = (kind: string) =>
      items
        .filter(e => e.kind === kind)
        .map(e => ({
          ref: stringifyEntityRef(e),
          label:
            (e.spec as { profile?: { displayName?: string } } | undefined)?.profile?.displayName ??
            e.metadata.title ??
            e.metadata.name,
        }))
        .sort((a, b) => a.label.localeCompare(b.label));
    return {
      group: byKind('Group'),
      system: byKind('System'),
      domain: byKind('Domain'),
      lifecycle: (facets.facets['spec.lifecycle'] ?? []).map(f => f.value).sort(),
    };
  }, [catalogApi]);

  // A value from the URL shows before (and even without) the catalog's options: the select never
  // holds a value it has no item for.
  const withCurrent = <T,>(list: T[], current: string | undefined, has: (item: T) => boolean, make: (v: string) => T) =>
    current && !list.some(has) ? [make(current), ...list] : list;
  const scopeOptions = (key: ScopeKey) =>
    withCurrent(
      options.value?.[key] ?? [],
      value[key],
      o => o.ref === value[key],
      ref => ({ ref, label: parseEntityRef(ref).name }),
    );
  const lifecycles = withCurrent(options.value?.lifecycle ?? [], value.lifecycle, l => l === value.lifecycle, l => l);

  const select = (key: ScopeKey, ref: string) =>
    onChange({ lifecycle: value.lifecycle, ...(ref ? { [key]: ref } : {}) });

  return (
    <Box
      role="search"
      aria-label="filters"
      sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}
    >
      {SCOPES.map(([key, label]) => (
        <TextField
          key={key}
          select
          size="small"
          label={label}
          value={value[key] ?? ''}
          onChange={e => select(key, e.target.value)}
          disabled={!options.value}
          SelectProps={{ MenuProps: { PaperProps: { sx: { maxHeight: 360 } } } }}
        >
          <MenuItem value="">All</MenuItem>
          {scopeOptions(key).map(o => (
            <MenuItem key={o.ref} value={o.ref}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      ))}
      <TextField
        select
        size="small"
        label="Lifecycle"
        value={value.lifecycle ?? ''}
        onChange={e => onChange({ ...value, lifecycle: e.target.value || undefined })}
        disabled={!options.value}
      >
        <MenuItem value="">All</MenuItem>
        {lifecycles.map(l => (
          <MenuItem key={l} value={l}>
            {l}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
