import { CloudDownloadOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Descriptions, Space, Spin, Tag as AntTag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Artifact,
  buildHistory,
  BuildHistoryEntry,
  getArtifact,
  isIndex,
  isNever,
  Layer,
  listLayers,
  platformText,
  pullCommand,
  Reference,
  shortDigest,
} from '../../api/artifact.api';
import { errorText } from '../../api/error-text';
import type { Project } from '../../api/project.api';
import { ApiTable } from '../../components/api-table';
import { CopyButton } from '../../components/copy-button';
import { PageCard } from '../../components/page-card';
import { formatBytes } from '../../format-bytes';
import { useI18n } from '../../i18n/i18n';
import { artifactLink, repositoryFromParam, repositoryLink, useProject, useRegistryHost } from './artifact-route';
import { artifactTypeText } from './artifact-text';
import { wholeList } from './whole-list';

/** One call's answer as a page needs it: what came, whether it is still coming, what went wrong. */
interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: unknown;
}

function useLoaded<T>(load: (() => Promise<T>) | null, deps: unknown[]): Loaded<T> & { reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ data: null, loading: load !== null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!load) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false, error: null }),
      (error: unknown) => current && setState({ data: null, loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation, load === null]);
  return { ...state, reload: () => setGeneration((n) => n + 1) };
}

/**
 * One artifact: its tags, digest, media types, size and times; an image's
 * layers and build history; an index's platforms, each linking to its image.
 * The reference in the URL may be a digest or a tag.
 */
export function ArtifactPage() {
  const { t } = useI18n();
  const params = useParams();
  const projectId = Number(params.projectId);
  const repositoryName = repositoryFromParam(params.repositoryName);
  const reference = params.reference ?? '';
  const { project, error: projectError } = useProject(projectId);
  const artifact = useLoaded<Artifact>(project ? () => getArtifact(project.name, repositoryName, reference) : null, [project?.name, repositoryName, reference]);

  const error = projectError ?? artifact.error;
  if (error) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (!project || !artifact.data) return <Spin style={{ display: 'block', margin: 48 }} />;
  const current = artifact.data;
  return (
    <Space direction="vertical" style={{ width: '100%', minWidth: 0 }} size="middle">
      <Breadcrumb
        items={[
          { title: <Link to="/harbor/projects">{t('nav.projects')}</Link> },
          { title: <Link to={`/harbor/projects/${projectId}/repositories`}>{project.name}</Link> },
          { title: <Link to={repositoryLink(projectId, repositoryName)} style={{ wordBreak: 'break-all' }}>{repositoryName}</Link> },
          { title: shortDigest(current.digest) },
        ]}
      />
      <Summary project={project} repositoryName={repositoryName} artifact={current} />
      {isIndex(current) ? (
        <Platforms projectId={projectId} repositoryName={repositoryName} references={current.references ?? []} />
      ) : (
        <>
          <Layers project={project} repositoryName={repositoryName} artifact={current} />
          {current.type === 'IMAGE' ? <History project={project} repositoryName={repositoryName} artifact={current} /> : null}
        </>
      )}
    </Space>
  );
}

function Summary({ project, repositoryName, artifact }: { project: Project; repositoryName: string; artifact: Artifact }) {
  const { t, language } = useI18n();
  const host = useRegistryHost();
  const time = (value: string) => (isNever(value) ? t('common.never') : new Date(value).toLocaleString(language));
  const platform = platformText({ os: artifact.extra_attrs?.os, architecture: artifact.extra_attrs?.architecture });
  const tags = artifact.tags ?? [];
  return (
    <PageCard
      title={
        <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="artifact-title">
          {t('artifacts.detail.title', { digest: shortDigest(artifact.digest) })}
        </Typography.Title>
      }
    >
      <Descriptions column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 3 }} size="small">
        <Descriptions.Item label={t('artifacts.detail.digest')}>
          <Space size={0} wrap style={{ minWidth: 0 }}>
            <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="artifact-digest">
              {artifact.digest}
            </Typography.Text>
            <CopyButton text={artifact.digest} label={t('artifacts.copyDigest', { digest: shortDigest(artifact.digest) })} />
            {host ? (
              <CopyButton
                text={pullCommand(host, project.name, repositoryName, { digest: artifact.digest })}
                label={t('artifacts.copyPullDigest')}
                icon={<CloudDownloadOutlined />}
              />
            ) : null}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('artifacts.detail.tags')}>
          <Space size={[4, 4]} wrap data-testid="artifact-tags">
            {tags.length === 0 ? <Typography.Text type="secondary">{t('artifacts.noTags')}</Typography.Text> : null}
            {tags.map((tag) => (
              <AntTag key={tag.name} style={{ marginInlineEnd: 0 }}>
                {tag.name}
                {host ? (
                  <CopyButton
                    text={pullCommand(host, project.name, repositoryName, { tag: tag.name })}
                    label={t('artifacts.copyPullTag', { tag: tag.name })}
                    icon={<CloudDownloadOutlined />}
                  />
                ) : null}
              </AntTag>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('artifacts.detail.type')}>{artifactTypeText(artifact, t)}</Descriptions.Item>
        <Descriptions.Item label={t('artifacts.detail.mediaType')}>
          <span style={{ wordBreak: 'break-all' }}>{artifact.manifest_media_type}</span>
        </Descriptions.Item>
        {!isIndex(artifact) ? (
          <Descriptions.Item label={t('artifacts.detail.configType')}>
            <span style={{ wordBreak: 'break-all' }}>{artifact.media_type}</span>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('artifacts.detail.size')}>
          <span data-testid="artifact-size">{formatBytes(artifact.size)}</span>
        </Descriptions.Item>
        {platform ? <Descriptions.Item label={t('artifacts.detail.platform')}>{platform}</Descriptions.Item> : null}
        <Descriptions.Item label={t('artifacts.detail.pushTime')}>{time(artifact.push_time)}</Descriptions.Item>
        <Descriptions.Item label={t('artifacts.detail.pullTime')}>{time(artifact.pull_time)}</Descriptions.Item>
      </Descriptions>
    </PageCard>
  );
}

function Layers({ project, repositoryName, artifact }: { project: Project; repositoryName: string; artifact: Artifact }) {
  const { t } = useI18n();
  const layers = useLoaded<Layer[]>(() => listLayers(project.name, repositoryName, artifact.digest), [project.name, repositoryName, artifact.digest]);
  const rows = layers.data?.map((layer, index) => ({ ...layer, position: index + 1 })) ?? null;
  const total = (layers.data ?? []).reduce((sum, layer) => sum + layer.size, 0);
  const columns: ColumnsType<Layer & { position: number }> = [
    { title: t('artifacts.layers.position'), dataIndex: 'position', key: 'position', align: 'right' },
    {
      title: t('artifacts.layers.digest'),
      key: 'digest',
      render: (_, layer) => (
        <Space size={0}>
          <Typography.Text code>{shortDigest(layer.digest)}</Typography.Text>
          <CopyButton text={layer.digest} label={t('artifacts.copyDigest', { digest: shortDigest(layer.digest) })} />
        </Space>
      ),
    },
    { title: t('artifacts.layers.mediaType'), dataIndex: 'media_type', key: 'media_type' },
    { title: t('artifacts.layers.size'), key: 'size', align: 'right', render: (_, layer) => <span data-testid="layer-size">{formatBytes(layer.size)}</span> },
  ];
  return (
    <PageCard
      title={t('artifacts.layers')}
      extra={layers.data ? <Typography.Text type="secondary">{t('artifacts.layers.summary', { count: layers.data.length, size: formatBytes(total) })}</Typography.Text> : null}
    >
      <ApiTable
        list={wholeList(rows, layers.loading, layers.error, layers.reload)}
        columns={columns}
        rowKey="position"
        empty={t('artifacts.layers.empty')}
        label={t('artifacts.layers')}
      />
    </PageCard>
  );
}

function History({ project, repositoryName, artifact }: { project: Project; repositoryName: string; artifact: Artifact }) {
  const { t, language } = useI18n();
  const history = useLoaded<BuildHistoryEntry[]>(() => buildHistory(project.name, repositoryName, artifact.digest), [project.name, repositoryName, artifact.digest]);
  const rows = history.data?.map((entry, index) => ({ ...entry, position: index + 1 })) ?? null;
  const columns: ColumnsType<BuildHistoryEntry & { position: number }> = [
    {
      title: t('artifacts.history.created'),
      key: 'created',
      render: (_, entry) => (entry.created ? new Date(entry.created).toLocaleString(language) : '-'),
    },
    {
      title: t('artifacts.history.createdBy'),
      key: 'created_by',
      render: (_, entry) => (
        <Space size={4} wrap>
          <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="history-created-by">
            {entry.created_by}
          </Typography.Text>
          {entry.empty_layer ? <AntTag>{t('artifacts.history.emptyLayer')}</AntTag> : null}
        </Space>
      ),
    },
  ];
  return (
    <PageCard title={t('artifacts.history')}>
      <ApiTable
        list={wholeList(rows, history.loading, history.error, history.reload)}
        columns={columns}
        rowKey="position"
        empty={t('artifacts.history.empty')}
        label={t('artifacts.history')}
      />
    </PageCard>
  );
}

function Platforms({ projectId, repositoryName, references }: { projectId: number; repositoryName: string; references: Reference[] }) {
  const { t } = useI18n();
  const columns: ColumnsType<Reference> = [
    {
      title: t('artifacts.platforms.platform'),
      key: 'platform',
      render: (_, reference) => (
        <Link to={artifactLink(projectId, repositoryName, reference.child_digest)} data-testid="platform-link">
          {platformText(reference.platform) || t('artifacts.platforms.unknown')}
        </Link>
      ),
    },
    {
      title: t('artifacts.platforms.digest'),
      key: 'digest',
      render: (_, reference) => (
        <Space size={0}>
          <Typography.Text code>{shortDigest(reference.child_digest)}</Typography.Text>
          <CopyButton text={reference.child_digest} label={t('artifacts.copyDigest', { digest: shortDigest(reference.child_digest) })} />
        </Space>
      ),
    },
  ];
  return (
    <PageCard title={t('artifacts.platforms')}>
      <ApiTable
        list={wholeList(references, false, null, () => undefined)}
        columns={columns}
        rowKey="child_digest"
        empty={t('artifacts.platforms.empty')}
        label={t('artifacts.platforms')}
      />
    </PageCard>
  );
}
