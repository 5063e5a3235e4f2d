import { RecentEntityLookups } from './recentEntityLookups';

describe('RecentEntityLookups', () => {
  it('reuses the catalog answer per lookup within the TTL, asks again after it, and never keeps a failure', async () => {
    let clock = 0;
    let owner = 'group:default/team-a';
    let fail = false;
    const resolve = jest.fn(async (lookup: { entityRef?: string; repository?: string }) => {
      if (fail) throw new Error('catalog unreachable');
      return { entityRef: lookup.entityRef ?? 'component:default/by-repo', ownerRef: owner } as any;
    });
    const lookups = new RecentEntityLookups({ resolve }, { ttlMs: 5_000, now: () => clock });
    expect((await lookups.resolve({ entityRef: 'component:default/a' })).ownerRef).toBe('group:default/team-a');
    owner = 'group:default/team-b';
    clock = 4_999;
    expect((await lookups.resolve({ entityRef: 'component:default/a' })).ownerRef).toBe('group:default/team-a');
    expect(resolve).toHaveBeenCalledTimes(1);
    // Another lookup (here by repository) is its own entry.
    await lookups.resolve({ repository: 'acme/a' });
    expect(resolve).toHaveBeenCalledTimes(2);
    clock = 5_000; // the TTL is over: the catalog's new owner shows
    expect((await lookups.resolve({ entityRef: 'component:default/a' })).ownerRef).toBe('group:default/team-b');
    fail = true;
    clock = 20_000;
    await expect(lookups.resolve({ entityRef: 'component:default/a' })).rejects.toThrow('unreachable');
    fail = false;
    expect((await lookups.resolve({ entityRef: 'component:default/a' })).ownerRef).toBe('group:default/team-b');
    expect(resolve).toHaveBeenCalledTimes(5);
  });
});
