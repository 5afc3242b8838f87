import { CloseOutlined, CloudDownloadOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Breadcrumb, Button, Space, Spin, Tag as AntTag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Artifact,
  deleteArtifact,
  deleteTag,
  isIndex,
  isNever,
  listArtifacts,
  pullCommand,
  shortDigest,
} from '../../api/artifact.api';
import { errorText } from '../../api/error-text';
import type { Project } from '../../api/project.api';
import { ApiTable } from '../../components/api-table';
import { CopyButton } from '../../components/copy-button';
import { PageCard } from '../../components/page-card';
import { useUrlPage } from '../../components/use-url-page';
import { formatBytes } from '../../format-bytes';
import { useI18n } from '../../i18n/i18n';
import type { Can } from '../../permissions/permissions';
import { useProjectPermissions } from '../../permissions/use-project-permissions';
import { AddTagDialog } from './add-tag.dialog';
import { artifactLink, repositoryFromParam, useProject, useRegistryHost } from './artifact-route';
import { artifactTypeText } from './artifact-text';
import { ConfirmDialog } from './confirm.dialog';
import { UrlSearch } from '../../components/url-search';

/**
 * A repository's artifacts, one page at a time as the API cuts them (page
 * and tag search in the URL): digest, tags with their pull commands, type,
 * size and times; adding and removing tags and deleting artifacts for those
 * allowed to.
 */
export function RepositoryPage() {
  const { t } = useI18n();
  const params = useParams();
  const projectId = Number(params.projectId);
  const repositoryName = repositoryFromParam(params.repositoryName);
  const { project, error } = useProject(projectId);
  const { can } = useProjectPermissions(Number.isInteger(projectId) ? projectId : undefined);

  if (error) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (!project) return <Spin style={{ display: 'block', margin: 48 }} />;
  return (
    <Space direction="vertical" style={{ width: '100%', minWidth: 0 }} size="middle">
      <Breadcrumb
        items={[
          { title: <Link to="/harbor/projects">{t('nav.projects')}</Link> },
          { title: <Link to={`/harbor/projects/${projectId}/repositories`}>{project.name}</Link> },
          { title: <span style={{ wordBreak: 'break-all' }}>{repositoryName}</span> },
        ]}
      />
      <ArtifactList project={project} repositoryName={repositoryName} can={can} />
    </Space>
  );
}

type Pending =
  | { kind: 'removeTag'; artifact: Artifact; tag: string }
  | { kind: 'delete'; artifact: Artifact }
  | null;

function ArtifactList({ project, repositoryName, can }: { project: Project; repositoryName: string; can: Can }) {
  const { t, language } = useI18n();
  const { message } = AntApp.useApp();
  const host = useRegistryHost();
  const fullName = `${project.name}/${repositoryName}`;
  const list = useUrlPage<Artifact>((query) => listArtifacts(project.name, repositoryName, query), { deps: [project.name, repositoryName] });
  const [tagging, setTagging] = useState<Artifact | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const time = (value: string) => (isNever(value) ? t('common.never') : new Date(value).toLocaleString(language));

  const columns: ColumnsType<Artifact> = [
    {
      title: t('artifacts.col.digest'),
      key: 'digest',
      render: (_, artifact) => (
        <Space size={0} wrap={false}>
          <Link to={artifactLink(project.project_id, repositoryName, artifact.digest)} data-testid="artifact-link">
            <Typography.Text code>{shortDigest(artifact.digest)}</Typography.Text>
          </Link>
          <CopyButton text={artifact.digest} label={t('artifacts.copyDigest', { digest: shortDigest(artifact.digest) })} testId="copy-digest" />
          {host ? (
            <CopyButton
              text={pullCommand(host, project.name, repositoryName, { digest: artifact.digest })}
              label={t('artifacts.copyPullDigest')}
              testId="pull-digest"
              icon={<CloudDownloadOutlined />}
            />
          ) : null}
        </Space>
      ),
    },
    {
      title: t('artifacts.col.tags'),
      key: 'tags',
      render: (_, artifact) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 360 }}>
          {(artifact.tags ?? []).length === 0 ? <Typography.Text type="secondary">{t('artifacts.noTags')}</Typography.Text> : null}
          {(artifact.tags ?? []).map((tag) => (
            <AntTag key={tag.name} data-testid="tag" data-tag={tag.name} style={{ marginInlineEnd: 0 }}>
              <Space size={0}>
                <span>{tag.name}</span>
                {host ? (
                  <CopyButton
                    text={pullCommand(host, project.name, repositoryName, { tag: tag.name })}
                    label={t('artifacts.copyPullTag', { tag: tag.name })}
                    testId={`pull-tag-${tag.name}`}
                    icon={<CloudDownloadOutlined />}
                  />
                ) : null}
                {can('tag', 'delete') ? (
                  <Tooltip title={t('artifacts.removeTag', { tag: tag.name })}>
                    <Button
                      size="small"
                      type="text"
                      icon={<CloseOutlined />}
                      aria-label={t('artifacts.removeTag', { tag: tag.name })}
                      onClick={() => setPending({ kind: 'removeTag', artifact, tag: tag.name })}
                    />
                  </Tooltip>
                ) : null}
              </Space>
            </AntTag>
          ))}
          {can('tag', 'create') ? (
            <Tooltip title={t('artifacts.addTagTo', { digest: shortDigest(artifact.digest) })}>
              <Button
                size="small"
                icon={<PlusOutlined />}
                aria-label={t('artifacts.addTagTo', { digest: shortDigest(artifact.digest) })}
                onClick={() => setTagging(artifact)}
              >
                {t('artifacts.addTag')}
              </Button>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    { title: t('artifacts.col.type'), key: 'type', render: (_, artifact) => artifactTypeText(artifact, t) },
    { title: t('artifacts.col.size'), key: 'size', align: 'right', render: (_, artifact) => <span data-testid="artifact-size">{formatBytes(artifact.size)}</span> },
    { title: t('artifacts.col.pushTime'), key: 'push_time', render: (_, artifact) => time(artifact.push_time) },
    { title: t('artifacts.col.pullTime'), key: 'pull_time', render: (_, artifact) => time(artifact.pull_time) },
  ];
  if (can('artifact', 'delete')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, artifact) => (
        <Button
          danger
          size="small"
          icon={<DeleteOutlined />}
          aria-label={t('artifacts.delete', { digest: shortDigest(artifact.digest) })}
          onClick={() => setPending({ kind: 'delete', artifact })}
        >
          {t('common.delete')}
        </Button>
      ),
    });
  }

  const empty = list.search
    ? t('artifacts.emptySearch', { search: list.search })
    : can('repository', 'push')
      ? t('artifacts.empty', { command: `docker push ${host ?? window.location.host}/${fullName}:<tag>` })
      : t('artifacts.emptyNoPermission');

  function deleteBody(artifact: Artifact): string {
    const tags = (artifact.tags ?? []).map((tag) => tag.name);
    const body = tags.length
      ? t('artifacts.delete.body', { digest: artifact.digest, tags: tags.join(', ') })
      : t('artifacts.delete.bodyUntagged', { digest: artifact.digest });
    return isIndex(artifact) ? `${body} ${t('artifacts.delete.index')}` : body;
  }

  return (
    <PageCard
      title={
        <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
          <Typography.Text type="secondary">{t('artifacts.repository')}</Typography.Text>
          <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="repository-name">
            {fullName}
          </Typography.Title>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <UrlSearch list={list} label={t('artifacts.search')} style={{ width: 240, maxWidth: '100%' }} />
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>
      <ApiTable<Artifact> list={list} columns={columns} rowKey="digest" empty={<span data-testid="empty-artifacts">{empty}</span>} label={t('artifacts.listLabel', { name: fullName })} />
      <AddTagDialog
        target={tagging ? { projectName: project.name, repositoryName, digest: tagging.digest } : null}
        onClose={() => setTagging(null)}
        onAdded={(tag) => {
          setTagging(null);
          message.success(t('artifacts.addTag.done', { tag }));
          list.reload();
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'removeTag'}
        title={pending?.kind === 'removeTag' ? t('artifacts.removeTag.title', { tag: pending.tag }) : ''}
        body={pending?.kind === 'removeTag' ? t('artifacts.removeTag.body', { tag: pending.tag, digest: shortDigest(pending.artifact.digest) }) : ''}
        okText={t('artifacts.removeTag.submit')}
        action={async () => {
          if (pending?.kind === 'removeTag') await deleteTag(project.name, repositoryName, pending.artifact.digest, pending.tag);
        }}
        onClose={() => setPending(null)}
        onDone={() => {
          if (pending?.kind === 'removeTag') message.success(t('artifacts.removeTag.done', { tag: pending.tag }));
          setPending(null);
          list.reload();
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'delete'}
        title={t('artifacts.delete.title')}
        body={pending?.kind === 'delete' ? deleteBody(pending.artifact) : ''}
        okText={t('artifacts.delete.submit')}
        action={async () => {
          if (pending?.kind === 'delete') await deleteArtifact(project.name, repositoryName, pending.artifact.digest);
        }}
        onClose={() => setPending(null)}
        onDone={() => {
          if (pending?.kind === 'delete') message.success(t('artifacts.delete.done', { digest: shortDigest(pending.artifact.digest) }));
          setPending(null);
          list.reload();
        }}
      />
    </PageCard>
  );
}
