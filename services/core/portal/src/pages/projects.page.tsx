import { Alert, App as AntApp, Button, Modal, Select, Space, Spin, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorText, serverWords } from '../api/error-text';
import {
  deleteProject,
  isProjectSort,
  isPublic,
  listProjects,
  Project,
  projectAdminRole,
  projectDeletable,
  projectSorts,
  ProjectSort,
  projectSummary,
  storageOf,
} from '../api/project.api';
import { mayCreateProjects, SystemInfo, systemInfo } from '../api/systeminfo.api';
import { ApiTable } from '../components/api-table';
import { PageCard } from '../components/page-card';
import { useSubmit } from '../components/use-submit';
import { useUrlPage } from '../components/use-url-page';
import { formatBytes } from '../format-bytes';
import type { MessageKey } from '../i18n/en';
import { Translate, useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { CreateProjectDialog } from './create-project.dialog';
import { UrlSearch } from '../components/url-search';

/** A listed project with its storage, when the caller may read the project's quota. */
interface ProjectRow extends Project {
  storage?: { used: number; limit: number };
}

const sortLabels: Record<ProjectSort, MessageKey> = {
  name: 'projects.sort.nameAsc',
  '-name': 'projects.sort.nameDesc',
  '-creation_time': 'projects.sort.newest',
  creation_time: 'projects.sort.oldest',
};

/** Storage in words: "1.5 MiB of 10.0 GiB", or "1.5 MiB (no limit)". */
function storageText(storage: { used: number; limit: number }, t: Translate): string {
  const used = formatBytes(storage.used);
  return storage.limit < 0 ? t('projects.storageUnlimited', { used }) : t('projects.storageOf', { used, limit: formatBytes(storage.limit) });
}

/**
 * Projects, one page at a time as the API cuts it, with each row's storage
 * from its summary. The page, the search (`q`) and the sort live in the URL,
 * so a reload or a shared link shows the same list.
 */
export function ProjectsPage() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const [params] = useSearchParams();
  const sort: ProjectSort = isProjectSort(params.get('sort')) ? (params.get('sort') as ProjectSort) : 'name';
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const sysadmin = Boolean(user?.sysadmin_flag);

  useEffect(() => {
    systemInfo().then(setInfo, () => setInfo(null));
  }, []);

  const list = useUrlPage<ProjectRow>(
    async ({ page, pageSize, search }) => {
      const found = await listProjects({ page, pageSize, name: search, sort });
      // One summary per visible row (at most a page); a row whose quota is hidden just shows no storage.
      const summaries = await Promise.all(found.items.map((project) => projectSummary(project.project_id).catch(() => undefined)));
      return { total: found.total, items: found.items.map((project, i) => ({ ...project, storage: storageOf(summaries[i]) })) };
    },
    { deps: [sort] },
  );

  const sortBy = (next: ProjectSort) => list.refine({ sort: next === 'name' ? undefined : next });

  const mayCreate = mayCreateProjects(info, sysadmin);
  const mayDelete = (project: Project) => sysadmin || project.current_user_role_id === projectAdminRole;

  const columns: ColumnsType<ProjectRow> = [
    {
      title: t('projects.name'),
      dataIndex: 'name',
      key: 'name',
      render: (projectName: string, project) => <Link to={`/harbor/projects/${project.project_id}/summary`}>{projectName}</Link>,
    },
    {
      title: t('projects.access'),
      key: 'access',
      render: (_, project) =>
        isPublic(project) ? (
          <Tag color="green" data-testid="access-badge">{t('projects.public')}</Tag>
        ) : (
          <Tag color="orange" data-testid="access-badge">{t('projects.private')}</Tag>
        ),
    },
    {
      title: t('projects.repoCount'),
      dataIndex: 'repo_count',
      key: 'repo_count',
      align: 'right',
      render: (count: number) => <span data-testid="repo-count">{count}</span>,
    },
    {
      title: t('projects.storage'),
      key: 'storage',
      render: (_, project) => <span data-testid="storage-used">{project.storage ? storageText(project.storage, t) : '-'}</span>,
    },
    {
      title: t('projects.creationTime'),
      dataIndex: 'creation_time',
      key: 'creation_time',
      render: (time: string) => new Date(time).toLocaleString(language),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, project) =>
        mayDelete(project) ? (
          <Button size="small" danger aria-label={t('projects.deleteLabel', { name: project.name })} onClick={() => setDeleting(project)}>
            {t('common.delete')}
          </Button>
        ) : null,
    },
  ];

  const empty = list.search
    ? t('projects.emptySearch', { search: list.search })
    : mayCreate
      ? t('projects.empty')
      : t('projects.emptyNoCreate');

  return (
    <PageCard
      title={t('projects.title')}
      extra={
        mayCreate ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('projects.new')}
          </Button>
        ) : null
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap>
          <UrlSearch list={list} label={t('projects.search')} style={{ width: 'min(320px, 80vw)' }} />
          <Select<ProjectSort>
            aria-label={t('projects.sort')}
            data-testid="project-sort"
            value={sort}
            onChange={sortBy}
            style={{ width: 180 }}
            options={projectSorts.map((value) => ({ value, label: t(sortLabels[value]) }))}
          />
        </Space>
        <ApiTable<ProjectRow> list={list} columns={columns} rowKey="project_id" empty={empty} label={t('projects.title')} />
      </Space>
      <CreateProjectDialog
        open={creating}
        sysadmin={sysadmin}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          list.reload();
        }}
      />
      <DeleteProjectDialog
        project={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null);
          list.reload();
        }}
      />
    </PageCard>
  );
}

/**
 * Asks the server first whether the project may go (`_deletable`): a project
 * that still holds repositories is refused in the server's words, with what
 * to do about it; otherwise the confirmation names the project.
 */
function DeleteProjectDialog({ project, onClose, onDeleted }: { project: Project | null; onClose(): void; onDeleted(): void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const submit = useSubmit();
  const [check, setCheck] = useState<{ deletable: boolean; message?: string } | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);

  useEffect(() => {
    setCheck(null);
    setCheckError(null);
    submit.reset();
    if (!project) return;
    let current = true;
    projectDeletable(project.project_id).then(
      (answer) => current && setCheck(answer),
      (err: unknown) => current && setCheckError(err),
    );
    return () => {
      current = false;
    };
  }, [project?.project_id]);

  if (!project) return null;
  const refused = check !== null && !check.deletable;
  const reason = serverWords(check?.message, t);

  async function confirm() {
    if (!project) return;
    const done = await submit.run(() => deleteProject(project.project_id));
    if (done) {
      message.success(t('projects.deleted', { name: project.name }));
      onDeleted();
    }
  }

  return (
    <Modal
      open
      title={t('projects.deleteTitle', { name: project.name })}
      onCancel={onClose}
      onOk={() => void confirm()}
      okText={t('common.delete')}
      cancelText={refused ? t('projects.close') : t('common.cancel')}
      okButtonProps={{ danger: true, disabled: check?.deletable !== true, style: refused ? { display: 'none' } : undefined }}
      confirmLoading={submit.busy}
    >
      {check === null && !checkError ? <Spin /> : null}
      {checkError ? <Alert type="error" showIcon message={errorText(checkError, t)} /> : null}
      {refused ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="delete-refused"
          message={t('projects.deleteRefused', { name: project.name })}
          description={
            <>
              {reason ? <Typography.Paragraph style={{ marginBottom: 4 }}>{reason}</Typography.Paragraph> : null}
              <Typography.Text>{t('projects.deleteRefusedHint')}</Typography.Text>
            </>
          }
        />
      ) : null}
      {check?.deletable ? <Typography.Paragraph>{t('projects.deleteWarning', { name: project.name })}</Typography.Paragraph> : null}
      {submit.error ? <Alert type="error" showIcon role="alert" message={submit.error} /> : null}
    </Modal>
  );
}
