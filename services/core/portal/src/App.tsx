import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { ReactNode, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useI18n } from './i18n/i18n';
import { lazyPage } from './lazy-page';
import { AboutPage } from './pages/about.page';
import { ForbiddenPage } from './pages/forbidden.page';
import { NotFoundPage } from './pages/not-found.page';
import { ProjectsPage } from './pages/projects.page';
import { Shell } from './pages/shell';
import { SignInPage } from './pages/sign-in.page';
import { SessionProvider, useSession } from './session';

const SignUpPage = lazyPage(() => import('./pages/account/sign-up.page'), (m) => m.SignUpPage);
const ProjectDetailPage = lazyPage(() => import('./pages/project/project-detail.page'), (m) => m.ProjectDetailPage);
const RepositoryPage = lazyPage(() => import('./pages/artifacts/repository.page'), (m) => m.RepositoryPage);
const ArtifactPage = lazyPage(() => import('./pages/artifacts/artifact.page'), (m) => m.ArtifactPage);
const UsersPage = lazyPage(() => import('./pages/admin/users.page'), (m) => m.UsersPage);
const GroupsPage = lazyPage(() => import('./pages/admin/groups.page'), (m) => m.GroupsPage);
const SystemRobotsPage = lazyPage(() => import('./pages/admin/robots.page'), (m) => m.SystemRobotsPage);
const AuditLogsPage = lazyPage(() => import('./pages/admin/audit-logs.page'), (m) => m.AuditLogsPage);
const ConfigurationPage = lazyPage(() => import('./pages/admin/configuration.page'), (m) => m.ConfigurationPage);

/**
 * Routes: deep links are real URLs (core answers index.html for them), so a
 * reload lands on the same page. Repository names travel URL-encoded in one
 * segment (`team%2Fapp`), since they may hold slashes.
 */
export function App() {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <Routes>
            <Route path="/account/sign-in" element={<SignInPage />} />
            <Route path="/account/sign-up" element={<SignUpPage />} />
            <Route element={<RequireUser><Shell /></RequireUser>}>
              <Route path="/harbor/projects" element={<ProjectsPage />} />
              <Route path="/harbor/projects/:projectId" element={<Navigate to="summary" replace />} />
              <Route path="/harbor/projects/:projectId/repositories/:repositoryName" element={<RepositoryPage />} />
              <Route path="/harbor/projects/:projectId/repositories/:repositoryName/artifacts/:reference" element={<ArtifactPage />} />
              <Route path="/harbor/projects/:projectId/:tab" element={<ProjectDetailPage />} />
              <Route path="/harbor/users" element={<RequireAdmin><UsersPage /></RequireAdmin>} />
              <Route path="/harbor/groups" element={<RequireAdmin><GroupsPage /></RequireAdmin>} />
              <Route path="/harbor/robot-accounts" element={<RequireAdmin><SystemRobotsPage /></RequireAdmin>} />
              <Route path="/harbor/logs" element={<RequireAdmin><AuditLogsPage /></RequireAdmin>} />
              <Route path="/harbor/configs" element={<RequireAdmin><ConfigurationPage /></RequireAdmin>} />
              <Route path="/harbor/about" element={<AboutPage />} />
              <Route path="/" element={<Navigate to="/harbor/projects" replace />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Signed-out visitors go to sign-in, which brings them back to where they were. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, refresh } = useSession();
  const location = useLocation();
  const signedIn = Boolean(user);
  // Lists readable anonymously still answer 200 once a session lapses, so each page change asks who is signed in.
  useEffect(() => {
    if (signedIn) refresh().catch(() => undefined);
  }, [location.pathname]);
  if (user === undefined) return <Spin fullscreen />;
  if (user === null) {
    const back = location.pathname + location.search;
    return <Navigate to={`/account/sign-in?redirect=${encodeURIComponent(back)}`} replace />;
  }
  return <>{children}</>;
}

/** Administration pages: others see a refusal in words (the API would refuse them anyway). */
function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return user?.sysadmin_flag ? <>{children}</> : <ForbiddenPage />;
}
