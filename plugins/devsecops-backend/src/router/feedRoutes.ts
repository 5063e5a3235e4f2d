import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devsecopsFeedImportPermission } from '@devsecops-scorecard/plugin-devsecops-common';
import express from 'express';
import { FeedId } from '../store/FeedStore';
import { AreaContext, principalName } from './request';

/** Exploitability feeds: import (KEV, EPSS), OSV advisory matching, and their status. */
export function mountFeedRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer } = callers;

  /**
   * Who imports a feed (org-wide data that changes every entity's findings): an org-wide service
   * token, or a user the permission policy allows devsecops.feed.import.
   */
  const importer = async (req: express.Request): Promise<string> => {
    const credentials = await reader(req);
    if (credentials.principal.type === 'service') {
      const identity = await writer(req);
      if (!identity.orgWide) {
        throw new NotAllowedError(
          `The token of ${identity.name} writes evidence for listed entities only (devsecops.ciIdentities); feeds are org-wide data`,
        );
      }
      return identity.name;
    }
    const [decision] = await services.permissions.authorize(
      [{ permission: devsecopsFeedImportPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('The permission policy does not allow devsecops.feed.import');
    }
    return principalName(credentials);
  };

  const importFeed = (feed: FeedId) => async (req: express.Request, res: express.Response) => {
    const by = await importer(req);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new InputError(`The ${feed === 'kev' ? 'KEV catalog' : 'EPSS scores'} must be sent as the request body`);
    }
    res.json(await services.feeds.import(feed, req.body, by));
  };

  router.post('/v1/feeds/kev', importFeed('kev'));
  router.post('/v1/feeds/epss', importFeed('epss'));

  /** OSV advisories: matched against stored SBOM components, opening findings without a rescan. */
  router.post('/v1/feeds/osv', async (req, res) => {
    const by = await importer(req);
    const sboms = req.query.sboms ?? 'deployed';
    if (sboms !== 'deployed' && sboms !== 'all') throw new InputError('sboms must be deployed or all');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new InputError('The OSV advisory set (an advisory, an array of them or a zip) must be sent as the request body');
    }
    res.json(await services.osvMatches.import(req.body, by, sboms));
  });

  router.get('/v1/feeds', async (req, res) => {
    await reader(req);
    res.json({ items: await services.feeds.status() });
  });
}
