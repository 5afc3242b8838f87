import type { RepositoryDao } from '../dao/repository.dao';
import type { TagDao } from '../dao/tag.dao';
import type { Repositories } from './repositories.service';

export interface Page {
  items: string[];
  /** The `last` of the next page, when there may be one. */
  next: string | null;
}

/** Answers for a request without `n`; a registry may return fewer and point at the rest. */
export const maxPageSize = 10_000;

/** Tag lists and the catalog, both sorted and paged by `n` and `last`. */
export class Listing {
  constructor(
    private readonly repositories: Repositories,
    private readonly repositoryDao: RepositoryDao,
    private readonly tagDao: TagDao,
  ) {}

  /** One query for the repository and the page; the project is looked at only when the repository is missing. */
  async tags(name: string, n: number | null, last: string | undefined): Promise<Page> {
    if ((n ?? maxPageSize) === 0) await this.repositories.require(name);
    return page(n, async (limit) => {
      const names = await this.tagDao.listByRepositoryName(name, last, limit);
      if (names !== undefined) return names;
      // NAME_UNKNOWN, with the project's or the repository's message; a repository pushed meanwhile is listed.
      const repository = await this.repositories.require(name);
      return this.tagDao.list(repository.repositoryId, last, limit);
    });
  }

  async catalog(n: number | null, last: string | undefined): Promise<Page> {
    return page(n, (limit) => this.repositoryDao.listNames(last, limit));
  }
}

async function page(n: number | null, fetch: (limit: number) => Promise<string[]>): Promise<Page> {
  const size = Math.min(n ?? maxPageSize, maxPageSize);
  if (size === 0) return { items: [], next: null };
  // One extra row tells whether a next page exists without a count query.
  const rows = await fetch(size + 1);
  const items = rows.slice(0, size);
  return { items, next: rows.length > size ? items[items.length - 1]! : null };
}
