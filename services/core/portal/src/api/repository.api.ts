import { request, requestJson } from './http';
import { fuzzyQ, listParams, pageOf, type Page, type PageQuery } from './page';

/** Harbor's `Repository` (the fields the portal reads). `name` is the full name, project first: `web/team/app`. */
export interface Repository {
  id: number;
  project_id: number;
  name: string;
  description?: string;
  artifact_count: number;
  pull_count: number;
  creation_time: string;
  update_time: string;
}

/** The name without its project: `web/team/app` → `team/app`. */
export function shortName(fullName: string): string {
  const slash = fullName.indexOf('/');
  return slash < 0 ? fullName : fullName.slice(slash + 1);
}

/**
 * An encoded path segment that stays a segment. URL parsing resolves a `.` or
 * `..` segment (even written `%2E`) away, so `artifacts/..` would address the
 * repository itself; those travel encoded once more and reach the server as a
 * name that does not exist.
 */
export function pathSegment(encoded: string): string {
  return /^\.{1,2}$/.test(encoded) ? encoded.replace(/\./g, '%252E') : encoded;
}

/**
 * The `repository_name` path segment as Harbor's API wants it: the short name
 * URL-encoded twice, so `team/app` travels as `team%252Fapp` (one encoding
 * would still read as path separators).
 */
export function repositoryPathSegment(fullName: string): string {
  return pathSegment(encodeURIComponent(encodeURIComponent(shortName(fullName))));
}

/** `/projects/{p}/repositories/{r}` for a repository name without its project (`team/app`), as the artifact pages hold it. */
export function repositoryApiPath(projectName: string, repositoryName: string): string {
  return `/api/v2.0/projects/${pathSegment(encodeURIComponent(projectName))}/repositories/${pathSegment(encodeURIComponent(encodeURIComponent(repositoryName)))}`;
}

function repositoryPath(projectName: string, fullName: string): string {
  return repositoryApiPath(projectName, shortName(fullName));
}

/** The portal's own link to a repository page (one URL-encoded segment: `team%2Fapp`). */
export function repositoryLink(projectId: number, fullName: string): string {
  return `/harbor/projects/${projectId}/repositories/${encodeURIComponent(shortName(fullName))}`;
}

export interface RepositoryQuery extends PageQuery {
  /** Fuzzy name match (`q=name=~…`); empty lists everything. */
  name?: string;
}

/** One page of a project's repositories, newest change first, as the API cuts it. */
export async function listRepositories(projectName: string, query: RepositoryQuery): Promise<Page<Repository>> {
  const params = listParams(query, { q: fuzzyQ('name', query.name), sort: '-update_time' });
  return pageOf<Repository>(await request(`/api/v2.0/projects/${encodeURIComponent(projectName)}/repositories?${params}`));
}

export function getRepository(projectName: string, fullName: string): Promise<Repository> {
  return requestJson<Repository>(repositoryPath(projectName, fullName));
}

export async function updateRepositoryDescription(projectName: string, fullName: string, description: string): Promise<void> {
  await request(repositoryPath(projectName, fullName), { method: 'PUT', json: { description } });
}

/** Deletes the repository with all its artifacts and tags. */
export async function deleteRepository(projectName: string, fullName: string): Promise<void> {
  await request(repositoryPath(projectName, fullName), { method: 'DELETE' });
}
