import type { Migration } from 'kysely';
import * as identity from './0001-identity';
import * as registry from './0002-registry';
import * as robots from './0003-robots';
import * as userGroups from './0004-user-groups';
import * as projectExtras from './0005-project-extras';
import * as auditArtifactStats from './0006-audit-artifact-stats';
import * as systemSettings from './0007-system-settings';
import * as publishBlob from './0008-publish-blob';

/**
 * Every migration, in order. Listed here rather than found on disk so the same
 * list works from sources (tests) and from the build.
 */
export const migrations: Record<string, Migration> = {
  '0001-identity': identity,
  '0002-registry': registry,
  '0003-robots': robots,
  '0004-user-groups': userGroups,
  '0005-project-extras': projectExtras,
  '0006-audit-artifact-stats': auditArtifactStats,
  '0007-system-settings': systemSettings,
  '0008-publish-blob': publishBlob,
};
