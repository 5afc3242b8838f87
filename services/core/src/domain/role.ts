/**
 * Harbor's project roles, by the ids its API and its `role` table use.
 * The numbers are part of the REST contract (`role_id`), so they never change.
 */
export const Role = {
  projectAdmin: 1,
  developer: 2,
  guest: 3,
  maintainer: 4,
  limitedGuest: 5,
} as const;

export type RoleName = keyof typeof Role;
export type RoleId = (typeof Role)[RoleName];

export const roleIds: RoleId[] = Object.values(Role);

const names = new Map<number, RoleName>(Object.entries(Role).map(([name, id]) => [id, name as RoleName]));

export function isRoleId(value: unknown): value is RoleId {
  return typeof value === 'number' && names.has(value);
}

export function roleName(id: number): RoleName | undefined {
  return names.get(id);
}
