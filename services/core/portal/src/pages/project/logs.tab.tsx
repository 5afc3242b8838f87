import { Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'react-router-dom';
import { AuditField, auditFields, AuditLog, isAuditField, listProjectLogs } from '../../api/audit-log.api';
import { ApiTable } from '../../components/api-table';
import { useUrlPage } from '../../components/use-url-page';
import type { MessageKey } from '../../i18n/en';
import { Translate, useI18n } from '../../i18n/i18n';
import type { ProjectTabProps } from '../project/project-detail.page';
import { UrlSearch } from '../../components/url-search';

const fieldLabels: Record<AuditField, MessageKey> = {
  operation: 'project.logs.operation',
  resource: 'project.logs.resource',
  resource_type: 'project.logs.resourceType',
  username: 'project.logs.username',
};

const operationLabels: Partial<Record<string, MessageKey>> = {
  create: 'project.logs.op.create',
  delete: 'project.logs.op.delete',
  pull: 'project.logs.op.pull',
  update: 'project.logs.op.update',
};
const operationColors: Partial<Record<string, string>> = { create: 'green', delete: 'red', pull: 'blue', update: 'gold' };

const typeLabels: Partial<Record<string, MessageKey>> = {
  artifact: 'project.logs.type.artifact',
  tag: 'project.logs.type.tag',
  repository: 'project.logs.type.repository',
  project: 'project.logs.type.project',
  member: 'project.logs.type.member',
  robot: 'project.logs.type.robot',
};

/** A known word in the user's language; anything else as the server wrote it. */
function word(labels: Partial<Record<string, MessageKey>>, value: string, t: Translate): string {
  const key = labels[value];
  return key ? t(key) : value;
}

/**
 * The project's audit log (`/projects/{name}/logs`), newest first, paged by
 * the API. One filter at a time, as Harbor's portal offers it: the field
 * (`by`) and the text (`q`) live in the URL.
 */
export function LogsTab({ project }: ProjectTabProps) {
  const { t, language } = useI18n();
  const [params] = useSearchParams();
  const byParam = params.get('by');
  const by: AuditField = isAuditField(byParam) ? byParam : 'resource';
  const list = useUrlPage<AuditLog>(
    ({ page, pageSize, search }) => listProjectLogs(project.name, { page, pageSize, filter: { [by]: search } }),
    { deps: [project.name, by] },
  );

  const filterBy = (next: AuditField) => list.refine({ by: next });

  const columns: ColumnsType<AuditLog> = [
    { title: t('project.logs.username'), dataIndex: 'username', key: 'username' },
    { title: t('project.logs.resource'), dataIndex: 'resource', key: 'resource', render: (resource: string) => <span style={{ wordBreak: 'break-all' }}>{resource}</span> },
    { title: t('project.logs.resourceType'), dataIndex: 'resource_type', key: 'resource_type', render: (type: string) => word(typeLabels, type, t) },
    {
      title: t('project.logs.operation'),
      dataIndex: 'operation',
      key: 'operation',
      render: (operation: string) => (
        <Tag color={operationColors[operation]} data-testid="log-operation">
          {word(operationLabels, operation, t)}
        </Tag>
      ),
    },
    { title: t('project.logs.time'), dataIndex: 'op_time', key: 'op_time', render: (time: string) => new Date(time).toLocaleString(language) },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Select<AuditField>
          aria-label={t('project.logs.filterBy')}
          data-testid="log-filter-field"
          value={by}
          onChange={filterBy}
          style={{ width: 160 }}
          options={auditFields.map((field) => ({ value: field, label: t(fieldLabels[field]) }))}
        />
        <UrlSearch list={list} label={t('project.logs.filterText')} style={{ width: 'min(280px, 80vw)' }} />
      </Space>
      <ApiTable<AuditLog>
        list={list}
        columns={columns}
        rowKey="id"
        empty={list.search ? t('project.logs.emptyFilter') : t('project.logs.empty')}
        label={t('project.tab.logs')}
      />
    </Space>
  );
}
