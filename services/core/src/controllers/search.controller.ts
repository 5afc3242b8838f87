import type { Caller } from '../domain/caller';
import type { ProjectUsageDao, RepositoryHit } from '../dao/project-usage.dao';
import type { ProjectController, ProjectView } from './project.controller';
import { visibilityOf } from './project.controller';

/** No paging in Harbor's `/search`; a cap keeps a one-letter query from dumping the whole registry. */
export const maxSearchHits = 100;

/** `/search`: projects and repositories whose names contain the term, among those the caller may see. */
export class SearchController {
  constructor(
    private readonly projects: ProjectController,
    private readonly usage: ProjectUsageDao,
  ) {}

  async search(caller: Caller, term: string): Promise<{ projects: ProjectView[]; repositories: RepositoryHit[] }> {
    const [{ items }, repositories] = await Promise.all([
      this.projects.list(caller, { name: { value: term, fuzzy: true }, sort: [{ key: 'name', descending: false }] }, { offset: 0, limit: maxSearchHits }),
      this.usage.searchRepositories(term, visibilityOf(caller), maxSearchHits),
    ]);
    return { projects: items, repositories };
  }
}
