import { Alert, Button, Card, Empty, Input, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { isPublic, listProjects, Page, Project } from '../api/project.api';
import { useI18n } from '../i18n/i18n';
import { CreateProjectDialog } from './create-project.dialog';

const pageSize = 15;

/**
 * Projects, one page at a time as the API cuts them. The page and the search
 * live in the URL, so a reload or a shared link shows the same list.
 */
export function ProjectsPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const name = params.get('name') ?? '';
  const [data, setData] = useState<Page<Project> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await listProjects({ page, pageSize, name }));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [page, name]);

  useEffect(() => {
    void load();
  }, [load]);

  function show(next: { page?: number; name?: string }) {
    const merged = new URLSearchParams();
    const nextName = next.name ?? name;
    if (nextName) merged.set('name', nextName);
    const nextPage = next.page ?? 1;
    if (nextPage > 1) merged.set('page', String(nextPage));
    setParams(merged);
  }

  const columns: ColumnsType<Project> = [
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
    { title: t('projects.repoCount'), dataIndex: 'repo_count', key: 'repo_count', align: 'right' },
    {
      title: t('projects.creationTime'),
      dataIndex: 'creation_time',
      key: 'creation_time',
      responsive: ['md'],
      render: (time: string) => new Date(time).toLocaleString(language),
    },
  ];

  return (
    <Card
      title={t('projects.title')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('projects.new')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Input.Search
          aria-label={t('projects.search')}
          placeholder={t('projects.search')}
          defaultValue={name}
          key={name}
          allowClear
          onSearch={(value) => show({ name: value.trim(), page: 1 })}
          style={{ maxWidth: 360 }}
        />
        {error ? <Alert type="error" showIcon message={errorText(error, t)} /> : null}
        <Table<Project>
          rowKey="project_id"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('projects.empty')} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('projects.total', { total }),
            onChange: (next) => show({ page: next }),
          }}
        />
      </Space>
      <CreateProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          void load();
        }}
      />
    </Card>
  );
}
