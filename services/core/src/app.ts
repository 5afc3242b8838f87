import express, { Express, Router } from 'express';
import { AppError } from '@harbor/errors';
import { accessLog, errorRenderer, requestId } from '@harbor/http';
import type { Logger } from '@harbor/logging';
import type { ArtifactController } from './controllers/artifact.controller';
import type { AuditLogController } from './controllers/audit-log.controller';
import type { ConfigurationController } from './controllers/configuration.controller';
import type { QuotaController } from './controllers/quota.controller';
import type { ProjectMetadataController } from './controllers/project-metadata.controller';
import type { HealthController } from './controllers/health.controller';
import type { LdapController } from './controllers/ldap.controller';
import type { MemberController } from './controllers/member.controller';
import type { NotificationController } from './controllers/notification.controller';
import type { PermissionController } from './controllers/permission.controller';
import type { ProjectController } from './controllers/project.controller';
import type { RepositoryController } from './controllers/repository.controller';
import type { RobotController } from './controllers/robot.controller';
import type { SearchController } from './controllers/search.controller';
import type { StatisticsController } from './controllers/statistics.controller';
import type { SystemInfoController } from './controllers/systeminfo.controller';
import type { TokenController } from './controllers/token.controller';
import type { UserController } from './controllers/user.controller';
import type { UserGroupController } from './controllers/user-group.controller';
import { artifactRouter } from './http/artifact.router';
import { auditLogRouter } from './http/audit-log.router';
import { CallerDeps, identifyCaller } from './http/caller.middleware';
import { configurationRouter } from './http/configuration.router';
import { quotaRouter } from './http/quota.router';
import { projectMetadataRouter } from './http/project-metadata.router';
import { landingPage } from './http/landing';
import { hasPortal, portal } from './http/portal';
import { ldapRouter } from './http/ldap.router';
import { memberRouter } from './http/member.router';
import { notificationRouter } from './http/notification.router';
import { permissionRouter } from './http/permission.router';
import { projectRouter } from './http/project.router';
import { repositoryRouter } from './http/repository.router';
import { robotRouter } from './http/robot.router';
import { searchRouter } from './http/search.router';
import { sessionRouter } from './http/session.router';
import { systemRouter } from './http/system.router';
import { tokenRouter } from './http/token.router';
import { userRouter } from './http/user.router';
import { userGroupRouter } from './http/user-group.router';

export interface CoreAppDeps {
  /** Sessions, Basic logins (users and robots) and throttling: who is calling. */
  callers: CallerDeps;
  robots: RobotController;
  users: UserController;
  configurations: ConfigurationController;
  quotas: QuotaController;
  projectMetadata: ProjectMetadataController;
  projects: ProjectController;
  search: SearchController;
  statistics: StatisticsController;
  permissions: PermissionController;
  members: MemberController;
  tokens: TokenController;
  health: HealthController;
  systemInfo: SystemInfoController;
  notifications: NotificationController;
  userGroups: UserGroupController;
  ldap: LdapController;
  repositories: RepositoryController;
  artifacts: ArtifactController;
  auditLogs: AuditLogController;
  internalSecret: string;
  version: string;
  /** The built portal (prepare's `portalDirectory`); null, or not built, serves the landing page at `/`. */
  portalDirectory: string | null;
  logger: Logger;
}

/** API bodies are small JSON documents; anything bigger is refused with 413 before it is buffered. */
const apiBodyLimit = '1mb';

/** The HTTP edge of core: routes to controllers, and one renderer for every error in Harbor's envelope. */
export function createApp(deps: CoreAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId(), accessLog(deps.logger));

  app.use(tokenRouter(deps.tokens));
  app.use(notificationRouter(deps.notifications, deps.internalSecret));

  const api = Router();
  api.use(express.json({ limit: apiBodyLimit, type: ['application/json', 'application/*+json'] }));
  api.use(identifyCaller(deps.callers));
  api.use(systemRouter(deps.health, deps.systemInfo), configurationRouter(deps.configurations));
  api.use(userRouter(deps.users));
  api.use(projectRouter(deps.projects), projectMetadataRouter(deps.projectMetadata), quotaRouter(deps.quotas));
  api.use(permissionRouter(deps.permissions), searchRouter(deps.search, deps.statistics));
  api.use(memberRouter(deps.members));
  api.use(userGroupRouter(deps.userGroups), ldapRouter(deps.ldap));
  api.use(robotRouter(deps.robots));
  api.use(repositoryRouter(deps.repositories), artifactRouter(deps.artifacts), auditLogRouter(deps.auditLogs));
  api.use(notFound);
  app.use('/api/v2.0', api);

  app.use(sessionRouter(deps.callers.gate, deps.callers.sessions, deps.callers.cookies, deps.logger));
  // The portal's other `/c/` endpoints come with the portal.
  app.use('/c', notFound);
  if (deps.portalDirectory && hasPortal(deps.portalDirectory)) {
    app.use(portal(deps.portalDirectory));
  } else {
    if (deps.portalDirectory) deps.logger.warn(`no built portal in ${deps.portalDirectory} (run pnpm build): serving the landing page`);
    app.get('/', landingPage(deps.version));
  }
  app.use(notFound);
  app.use(errorRenderer('harbor', deps.logger));
  return app;
}

function notFound(): never {
  throw new AppError('NOT_FOUND', 'not found');
}
