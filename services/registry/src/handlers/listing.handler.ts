import { nextLink, pageSize, queryParam, V2Handler } from '../http/v2-context';
import type { Listing } from '../services/listing.service';

export function listingHandlers(listing: Listing): { tags: V2Handler; catalog: V2Handler } {
  return {
    /** `GET /v2/<name>/tags/list?n=&last=` */
    tags: async ({ req, res, name }) => {
      const n = pageSize(req);
      const page = await listing.tags(name, n, queryParam(req, 'last') ?? undefined);
      if (page.next !== null) res.setHeader('Link', nextLink(`/v2/${name}/tags/list`, n, page.next));
      res.status(200).json({ name, tags: page.items });
    },
    /** `GET /v2/_catalog?n=&last=` */
    catalog: async ({ req, res }) => {
      const n = pageSize(req);
      const page = await listing.catalog(n, queryParam(req, 'last') ?? undefined);
      if (page.next !== null) res.setHeader('Link', nextLink('/v2/_catalog', n, page.next));
      res.status(200).json({ repositories: page.items });
    },
  };
}
