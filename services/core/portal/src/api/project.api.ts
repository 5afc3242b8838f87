import { request, requestJson } from './http';
import { fuzzyQ, listParams, pageOf, type Page } from './page';

/** Harbor's `ProjectMetadata`: every value a string, booleans as "true"/"false". */
export interface ProjectMetadataValues {
  public?: string;
  auto_scan?: string;
  prevent_vul?: string;
  severity?: string;
  reuse_sys_cve_allowlist?: string;
  enable_content_trust?: string;
  enable_content_trust_cosign?: string;
}

/** Harbor's `Project` (the fields the portal reads). */
export interface Project {
  project_id: number;
  name: string;
  owner_name: string;
  creation_time: string;
  update_time?: string;
  repo_count: number;
  /** The caller's most powerful role here (1 project admin, 4 maintainer, 2 developer, 3 guest, 5 limited guest), 0 for none. */
  current_user_role_id?: number;
  metadata: ProjectMetadataValues;
}

export type { Page } from './page';

/** Harbor's `sort` values the projects list offers; `-` is descending. */
export const projectSorts = ['name', '-name', '-creation_time', 'creation_time'] as const;
export type ProjectSort = (typeof projectSorts)[number];

export function isProjectSort(value: string | null): value is ProjectSort {
  return (projectSorts as readonly (string | null)[]).includes(value);
}

export interface ProjectQuery {
  page: number;
  pageSize: number;
  /** Fuzzy name match; empty lists everything. */
  name?: string;
  /** Harbor's `sort`; by name when left out. */
  sort?: ProjectSort;
}

/** One page as the API cuts it; the total comes from `X-Total-Count`. */
export async function listProjects(query: ProjectQuery): Promise<Page<Project>> {
  const params = listParams(query, {
    with_detail: 'false',
    sort: query.sort ?? 'name',
    q: fuzzyQ('name', query.name),
  });
  return pageOf<Project>(await request(`/api/v2.0/projects?${params}`));
}

export function isPublic(project: Project): boolean {
  return project.metadata.public === 'true';
}

/** Harbor's role id for a project administrator. */
export const projectAdminRole = 1;

export interface NewProject {
  name: string;
  public: boolean;
  /** Bytes, or -1 for no limit; left out, the server's default applies. */
  storageLimit?: number;
}

export async function createProject(project: NewProject): Promise<void> {
  await request('/api/v2.0/projects', {
    method: 'POST',
    json: {
      project_name: project.name,
      metadata: { public: String(project.public) },
      ...(project.storageLimit !== undefined && { storage_limit: project.storageLimit }),
    },
  });
}

/** Harbor's project name rule; the server checks it again. */
const projectNamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function validProjectName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && projectNamePattern.test(name);
}

/** One project by its id (core reads a number as an id, as Harbor does). */
export function getProject(projectId: number): Promise<Project> {
  return requestJson<Project>(`/api/v2.0/projects/${projectId}`);
}

/** Harbor's `ProjectSummary`: parts the caller may not see (members, quota) are left out by the server. */
export interface ProjectSummary {
  repo_count: number;
  project_admin_count?: number;
  maintainer_count?: number;
  developer_count?: number;
  guest_count?: number;
  limited_guest_count?: number;
  quota?: { hard: { storage: number }; used: { storage: number } };
}

export function projectSummary(projectId: number): Promise<ProjectSummary> {
  return requestJson<ProjectSummary>(`/api/v2.0/projects/${projectId}/summary`);
}

/** Storage as the summary reports it: `limit` -1 means none. Undefined when the caller may not read the quota. */
export function storageOf(summary: ProjectSummary | undefined): { used: number; limit: number } | undefined {
  if (!summary?.quota) return undefined;
  return { used: summary.quota.used.storage, limit: summary.quota.hard.storage };
}

/** Whether the project may go now and, when not, the server's reason. */
export interface Deletable {
  deletable: boolean;
  message?: string;
}

export function projectDeletable(projectId: number): Promise<Deletable> {
  return requestJson<Deletable>(`/api/v2.0/projects/${projectId}/_deletable`);
}

export async function deleteProject(projectId: number): Promise<void> {
  await request(`/api/v2.0/projects/${projectId}`, { method: 'DELETE' });
}

/** Storage units the portal offers for a limit, in bytes. */
export const storageUnits = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;
export type StorageUnit = keyof typeof storageUnits;

/** A limit typed as a number and a unit, in the bytes `storage_limit` takes; null when the number is not a positive whole number. */
export function storageLimitBytes(amount: number | null | undefined, unit: StorageUnit): number | null {
  if (amount === null || amount === undefined || !Number.isInteger(amount) || amount <= 0) return null;
  const bytes = amount * storageUnits[unit];
  return Number.isSafeInteger(bytes) ? bytes : null;
}
