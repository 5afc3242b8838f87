import { requestJson } from '../api/http';

/** One of Harbor's policies as `/users/current/permissions?relative=true` lists it: `repository` + `push`. */
export interface Permission {
  resource: string;
  action: string;
}

/** Asks whether the held policies allow `action` on `resource`. `.` stands for the scope itself (the project). */
export type Can = (resource: string, action: string) => boolean;

/** A `can` over a permission list; an unknown or still-loading list allows nothing. */
export function canFrom(permissions: readonly Permission[] | null | undefined): Can {
  const held = new Set((permissions ?? []).map((p) => `${p.resource}:${p.action}`));
  return (resource, action) => held.has(`${resource}:${action}`);
}

/** The caller's policies in one project, relative to it (`repository`, `member`, `.` for the project). */
export function projectPermissions(projectId: number): Promise<Permission[]> {
  return requestJson<Permission[]>(`/api/v2.0/users/current/permissions?scope=${encodeURIComponent(`/project/${projectId}`)}&relative=true`);
}
