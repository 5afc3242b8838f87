import type { ColumnType, Generated } from 'kysely';

/**
 * The tables, and which service writes each (one writer per table):
 *   core:     harbor_user, project, project_metadata, project_member, role, audit_log, artifact_stat,
 *             robot, robot_permission, user_group, user_group_membership, quota, system_setting
 *   registry: repository, blob, repository_blob, manifest, manifest_reference, tag, blob_upload
 * Everyone may read. Times are DATETIME(3) in UTC.
 */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface HarborUserTable {
  user_id: Generated<number>;
  username: string;
  email: string | null;
  realname: string;
  comment: string;
  /** `scrypt$N$r$p$salt$hash`, see core's password hasher. */
  password: string;
  sysadmin_flag: ColumnType<number, number | undefined, number>;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

export interface ProjectTable {
  project_id: Generated<number>;
  owner_id: number;
  name: string;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** Harbor keeps project settings as string pairs: `public` = 'true' | 'false', and so on. */
export interface ProjectMetadataTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  value: string;
}

/** entity_type 'u' (user) or 'g' (group), as in Harbor. */
export interface ProjectMemberTable {
  id: Generated<number>;
  project_id: number;
  entity_id: number;
  entity_type: 'u' | 'g';
  role: number;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

export interface RoleTable {
  role_id: number;
  role_code: string;
  name: string;
}

export interface RepositoryTable {
  repository_id: Generated<number>;
  /** Full name, `project/path/...`. */
  name: string;
  project_id: number;
  description: string;
  pull_count: ColumnType<number, number | undefined, number>;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** One row per digest across the whole store: bytes are kept once. */
export interface BlobTable {
  digest: string;
  size: number;
  media_type: string | null;
  creation_time: CreatedAt;
}

/** A repository sees a blob only through its own link. */
export interface RepositoryBlobTable {
  repository_id: number;
  digest: string;
  creation_time: CreatedAt;
}

export interface ManifestTable {
  id: Generated<number>;
  repository_id: number;
  digest: string;
  media_type: string;
  size: number;
  content: Buffer;
  subject_digest: string | null;
  artifact_type: string | null;
  creation_time: CreatedAt;
}

/** What a manifest points at: its config and layers (blobs) or child manifests. */
export interface ManifestReferenceTable {
  manifest_id: number;
  digest: string;
  kind: 'blob' | 'manifest';
}

export interface TagTable {
  id: Generated<number>;
  repository_id: number;
  name: string;
  manifest_digest: string;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** An upload in progress; its bytes live under the storage driver's upload area. */
export interface BlobUploadTable {
  uuid: string;
  repository_name: string;
  size: number;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** Harbor's audit log: who did what to which resource, and when. */
export interface AuditLogTable {
  id: Generated<number>;
  /** 0 for entries about no project; no foreign key, entries outlive their project. */
  project_id: number;
  /** create, delete, pull, … */
  operation: string;
  /** project, repository, artifact, tag, member, … */
  resource_type: string;
  resource: string;
  username: string;
  op_time: CreatedAt;
}

/** What core learns from registry events about an artifact (`repository_name` + `digest`). */
export interface ArtifactStatTable {
  repository_name: string;
  digest: string;
  push_time: Date | null;
  pull_time: Date | null;
  pull_count: ColumnType<number, number | undefined, number>;
}

/**
 * A robot account. `name` is the bare name; the API shows `robot$<name>`
 * (system) or `robot$<project>+<name>` (project). `secret` is a password hash.
 */
export interface RobotTable {
  id: Generated<number>;
  name: string;
  description: string;
  secret: string;
  /** 0 for system-level robots. */
  project_id: number;
  level: 'system' | 'project';
  /** Days; -1 = never expires. */
  duration: number;
  /** Unix seconds; -1 = never. */
  expires_at: number;
  disabled: ColumnType<number, number | undefined, number>;
  creator_type: string;
  creator_ref: number;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** One access entry of a robot: in scope (kind, namespace), `effect` on `resource`:`action`. */
export interface RobotPermissionTable {
  id: Generated<number>;
  robot_id: number;
  kind: 'system' | 'project';
  /** A project name, `*` (every project) or `/` (system). */
  namespace: string;
  resource: string;
  action: string;
  effect: 'allow' | 'deny';
}

/** A project's storage limit in bytes; -1 is unlimited. Usage is computed from the registry's tables. */
export interface QuotaTable {
  id: Generated<number>;
  project_id: number;
  hard_storage: ColumnType<number, number | undefined, number>;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** Harbor's user groups; group_type 1 = LDAP. `ldap_group_dn` is stored trimmed and lower-cased (unique). */
export interface UserGroupTable {
  id: Generated<number>;
  group_name: string;
  group_type: number;
  ldap_group_dn: string;
  creation_time: CreatedAt;
  update_time: UpdatedAt;
}

/** The LDAP group DNs (normalised as above) a user was in at their last LDAP login. */
export interface UserGroupMembershipTable {
  user_id: number;
  ldap_group_dn: string;
  update_time: UpdatedAt;
}

/** A configuration key changed through the API (Harbor's names: `auth_mode`, `ldap_url`, …); the value is JSON. */
export interface SystemSettingTable {
  name: string;
  value: string;
  update_time: UpdatedAt;
}

export interface Database {
  harbor_user: HarborUserTable;
  project: ProjectTable;
  project_metadata: ProjectMetadataTable;
  project_member: ProjectMemberTable;
  role: RoleTable;
  repository: RepositoryTable;
  blob: BlobTable;
  repository_blob: RepositoryBlobTable;
  manifest: ManifestTable;
  manifest_reference: ManifestReferenceTable;
  tag: TagTable;
  blob_upload: BlobUploadTable;
  audit_log: AuditLogTable;
  artifact_stat: ArtifactStatTable;
  robot: RobotTable;
  robot_permission: RobotPermissionTable;
  quota: QuotaTable;
  user_group: UserGroupTable;
  user_group_membership: UserGroupMembershipTable;
  system_setting: SystemSettingTable;
}
