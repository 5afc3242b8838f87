import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { ReactNode, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useI18n } from './i18n/i18n';
import { AboutPage } from './pages/about.page';
import { NotFoundPage } from './pages/not-found.page';
import { ProjectsPage } from './pages/projects.page';
import { Shell } from './pages/shell';
import { SignInPage } from './pages/sign-in.page';
import { SessionProvider, useSession } from './session';

/** Routes: deep links are real URLs (core answers index.html for them), so a reload lands on the same page. */
export function App() {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <Routes>
            <Route path="/account/sign-in" element={<SignInPage />} />
            <Route element={<RequireUser><Shell /></RequireUser>}>
              <Route path="/harbor/projects" element={<ProjectsPage />} />
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
