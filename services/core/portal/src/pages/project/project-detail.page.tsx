import { Alert, Breadcrumb, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ComponentType, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/error-text';
import { getProject, isPublic, Project } from '../../api/project.api';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { Can } from '../../permissions/permissions';
import { useProjectPermissions } from '../../permissions/use-project-permissions';
import { MembersTab } from '../access/members.tab';
import { RobotsTab } from '../access/robots.tab';
import { ConfigurationTab } from './configuration.tab';
import { LogsTab } from './logs.tab';
import { RepositoriesTab } from './repositories.tab';
import { SummaryTab } from './summary.tab';

/** What every tab of a project receives: the project, what the user may do in it, and a way to re-read it after a change. */
export interface ProjectTabProps {
  project: Project;
  can: Can;
  reloadProject(): void;
}

const tabs: { key: string; label: MessageKey; Tab: ComponentType<ProjectTabProps> }[] = [
  { key: 'summary', label: 'project.tab.summary', Tab: SummaryTab },
  { key: 'repositories', label: 'project.tab.repositories', Tab: RepositoriesTab },
  { key: 'members', label: 'project.tab.members', Tab: MembersTab },
  { key: 'robot-account', label: 'project.tab.robots', Tab: RobotsTab },
  { key: 'logs', label: 'project.tab.logs', Tab: LogsTab },
  { key: 'configs', label: 'project.tab.configuration', Tab: ConfigurationTab },
];

/**
 * A project, one tab per concern; the tab is the last part of the URL
 * (`/harbor/projects/3/members`), so each survives a reload and can be shared.
 */
export function ProjectDetailPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const params = useParams();
  const projectId = Number(params.projectId);
  const tab = tabs.some((candidate) => candidate.key === params.tab) ? params.tab! : 'summary';
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const { can } = useProjectPermissions(Number.isInteger(projectId) ? projectId : undefined);

  useEffect(() => {
    let current = true;
    getProject(projectId).then(
      (found) => current && (setProject(found), setError(null)),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [projectId, generation]);

  if (error) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (!project) return <Spin style={{ display: 'block', margin: 48 }} />;
  const props: ProjectTabProps = { project, can, reloadProject: () => setGeneration((n) => n + 1) };
  return (
    <Space direction="vertical" style={{ width: '100%', minWidth: 0 }} size="middle">
      <Breadcrumb items={[{ title: <Link to="/harbor/projects">{t('nav.projects')}</Link> }, { title: project.name }]} />
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="project-name">
          {project.name}
        </Typography.Title>
        <Tag color={isPublic(project) ? 'green' : 'orange'} data-testid="access-badge">
          {isPublic(project) ? t('projects.public') : t('projects.private')}
        </Tag>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(`/harbor/projects/${projectId}/${key}`)}
        destroyOnHidden
        items={tabs.map(({ key, label, Tab }) => ({ key, label: t(label), children: key === tab ? <Tab {...props} /> : null }))}
      />
    </Space>
  );
}
