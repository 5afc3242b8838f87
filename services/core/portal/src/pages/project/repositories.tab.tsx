import { EditOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Input, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorText } from '../../api/error-text';
import { deleteRepository, listRepositories, Repository, repositoryLink, updateRepositoryDescription } from '../../api/repository.api';
import { registryHost, systemInfo, SystemInfo } from '../../api/systeminfo.api';
import { ApiTable } from '../../components/api-table';
import { CopyButton } from '../../components/copy-button';
import { useSubmit } from '../../components/use-submit';
import { useUrlPage } from '../../components/use-url-page';
import { useI18n } from '../../i18n/i18n';
import type { ProjectTabProps } from '../project/project-detail.page';
import { UrlSearch } from '../../components/url-search';

/**
 * The project's repositories as the API pages them, searched by name (`q` in
 * the URL). Descriptions are edited in place and repositories deleted by those
 * the project's permissions allow; an empty project shows how to push to it.
 */
export function RepositoriesTab({ project, can, reloadProject }: ProjectTabProps) {
  const { t, language } = useI18n();
  const { modal, message } = AntApp.useApp();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const list = useUrlPage<Repository>(({ page, pageSize, search }) => listRepositories(project.name, { page, pageSize, name: search }), {
    deps: [project.name],
  });

  useEffect(() => {
    systemInfo().then(setInfo, () => setInfo(null));
  }, []);

  function confirmDelete(repository: Repository) {
    modal.confirm({
      title: t('common.confirmDelete', { name: repository.name }),
      content: t('project.repos.deleteWarning', { name: repository.name }),
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await deleteRepository(project.name, repository.name);
          message.success(t('project.repos.deleted', { name: repository.name }));
          list.reload();
          reloadProject();
        } catch (err) {
          message.error(errorText(err, t));
        }
      },
    });
  }

  const mayEdit = can('repository', 'update');
  const mayDelete = can('repository', 'delete');
  const columns: ColumnsType<Repository> = [
    {
      title: t('project.repos.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string) => <Link to={repositoryLink(project.project_id, name)}>{name}</Link>,
    },
    {
      title: t('project.repos.description'),
      key: 'description',
      render: (_, repository) => (
        <DescriptionCell
          repository={repository}
          editable={mayEdit}
          save={async (description) => {
            await updateRepositoryDescription(project.name, repository.name, description);
            list.reload();
          }}
        />
      ),
    },
    { title: t('project.repos.artifacts'), dataIndex: 'artifact_count', key: 'artifact_count', align: 'right' },
    { title: t('project.repos.pulls'), dataIndex: 'pull_count', key: 'pull_count', align: 'right' },
    {
      title: t('project.repos.updated'),
      dataIndex: 'update_time',
      key: 'update_time',
      render: (time: string) => new Date(time).toLocaleString(language),
    },
    ...(mayDelete
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, repository: Repository) => (
              <Button size="small" danger aria-label={t('project.repos.deleteLabel', { name: repository.name })} onClick={() => confirmDelete(repository)}>
                {t('common.delete')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const pushCommand = `docker push ${registryHost(info)}/${project.name}/REPOSITORY:TAG`;
  const empty = list.search ? (
    t('project.repos.emptySearch', { search: list.search })
  ) : (
    <Space direction="vertical" size={4} data-testid="push-hint" style={{ maxWidth: '100%' }}>
      <span>{can('repository', 'push') ? t('project.repos.empty') : t('project.repos.emptyReadOnly')}</span>
      {can('repository', 'push') ? (
        <Space wrap size={4} style={{ justifyContent: 'center' }}>
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {pushCommand}
          </Typography.Text>
          <CopyButton text={pushCommand} label={t('project.repos.copyPush')} testId="copy-push-command" />
        </Space>
      ) : null}
    </Space>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <UrlSearch list={list} label={t('project.repos.search')} style={{ width: 'min(320px, 100%)' }} />
      <ApiTable<Repository> list={list} columns={columns} rowKey="id" empty={empty} label={t('project.tab.repositories')} />
    </Space>
  );
}

/** A repository's description, changed in place: a labelled text area, Save or Esc. */
function DescriptionCell({ repository, editable, save }: { repository: Repository; editable: boolean; save(description: string): Promise<void> }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const submit = useSubmit();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(repository.description ?? '');
  const description = repository.description ?? '';

  async function commit() {
    const done = await submit.run(() => save(draft.trim()));
    if (done) {
      message.success(t('project.repos.descriptionSaved'));
      setEditing(false);
    }
  }

  if (editing) {
    return (
      <Space direction="vertical" size={4} style={{ minWidth: 220 }}>
        <Input.TextArea
          aria-label={t('project.repos.descriptionOf', { name: repository.name })}
          value={draft}
          autoFocus
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={10_000}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setEditing(false);
          }}
        />
        <Space>
          <Button size="small" type="primary" loading={submit.busy} onClick={() => void commit()}>
            {t('common.save')}
          </Button>
          <Button size="small" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </Button>
        </Space>
        {submit.error ? <Alert type="error" showIcon role="alert" message={submit.error} /> : null}
      </Space>
    );
  }
  return (
    <Space size={4} align="start">
      <Typography.Text
        type={description ? undefined : 'secondary'}
        data-testid="repository-description"
        style={{ maxWidth: 280, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
      >
        {description || t('project.repos.noDescription')}
      </Typography.Text>
      {editable ? (
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          aria-label={t('project.repos.editDescription', { name: repository.name })}
          onClick={() => {
            setDraft(description);
            submit.reset();
            setEditing(true);
          }}
        />
      ) : null}
    </Space>
  );
}
