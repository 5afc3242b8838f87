import { request, requestJson } from './http';
import type { Page } from './page';

/** Harbor's `Project` (the fields the portal reads). */
export interface Project {
  project_id: number;
  name: string;
  owner_name: string;
  creation_time: string;
  repo_count: number;
  metadata: { public?: string };
}

export type { Page } from './page';

export interface ProjectQuery {
  page: number;
  pageSize: number;
  /** Fuzzy name match; empty lists everything. */
  name?: string;
}

/** One page as the API cuts it; the total comes from `X-Total-Count`. */
export async function listProjects(query: ProjectQuery): Promise<Page<Project>> {
  const params = new URLSearchParams({ page: String(query.page), page_size: String(query.pageSize), with_detail: 'false', sort: 'name' });
  if (query.name) params.set('q', `name=~${query.name}`);
  const res = await request(`/api/v2.0/projects?${params.toString()}`);
  const items = (await res.json()) as Project[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}

export function isPublic(project: Project): boolean {
  return project.metadata.public === 'true';
}

export interface NewProject {
  name: string;
  public: boolean;
}

export async function createProject(project: NewProject): Promise<void> {
  await request('/api/v2.0/projects', {
    method: 'POST',
    json: { project_name: project.name, metadata: { public: String(project.public) } },
  });
}

/** Harbor's project name rule; the server checks it again. */
export const projectNamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function validProjectName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && projectNamePattern.test(name);
}

/** One project by its id (core reads a number as an id, as Harbor does). */
export function getProject(projectId: number): Promise<Project> {
  return requestJson<Project>(`/api/v2.0/projects/${projectId}`);
}
