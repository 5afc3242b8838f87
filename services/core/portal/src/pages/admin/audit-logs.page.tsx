import { Button, Form, Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { AuditFilter, auditFilterKeys, AuditLog, auditOperations, listAuditLogs } from '../../api/system-audit.api';
import { ApiTable } from '../../components/api-table';
import { PageCard } from '../../components/page-card';
import { useUrlPage } from '../../components/use-url-page';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';

const operationLabels: Record<(typeof auditOperations)[number], MessageKey> = {
  create: 'admin.audit.opCreate',
  update: 'admin.audit.opUpdate',
  delete: 'admin.audit.opDelete',
  push: 'admin.audit.opPush',
  pull: 'admin.audit.opPull',
};

/**
 * The system-wide audit log, newest first, paged by the API. The filters
 * (username and resource by part, the operation exactly) live in the URL
 * with the page, so a reload or a shared link shows the same entries.
 */
export function AuditLogsPage() {
  const { t, language } = useI18n();
  const [params] = useSearchParams();
  const filter: AuditFilter = Object.fromEntries(auditFilterKeys.map((key) => [key, params.get(key) ?? '']));
  const list = useUrlPage<AuditLog>((query) => listAuditLogs({ ...query, ...filter }), { deps: [filter.username, filter.operation, filter.resource] });
  const [form] = Form.useForm<AuditFilter>();

  useEffect(() => {
    form.setFieldsValue({ ...filter, operation: filter.operation || undefined });
  }, [filter.username, filter.operation, filter.resource]);

  const apply = (values: AuditFilter) => list.refine(Object.fromEntries(auditFilterKeys.map((key) => [key, values[key]?.trim()])));

  const operationText = (operation: string) => (operation in operationLabels ? t(operationLabels[operation as keyof typeof operationLabels]) : operation);

  const columns: ColumnsType<AuditLog> = [
    { title: t('admin.audit.username'), dataIndex: 'username', key: 'username' },
    { title: t('admin.audit.resource'), dataIndex: 'resource', key: 'resource', render: (resource: string) => <span style={{ wordBreak: 'break-all' }}>{resource}</span> },
    { title: t('admin.audit.resourceType'), dataIndex: 'resource_type', key: 'resource_type', responsive: ['sm'] },
    {
      title: t('admin.audit.operation'),
      dataIndex: 'operation',
      key: 'operation',
      render: (operation: string) => <Tag data-testid="audit-operation">{operationText(operation)}</Tag>,
    },
    {
      title: t('admin.audit.time'),
      dataIndex: 'op_time',
      key: 'op_time',
      render: (time: string) => new Date(time).toLocaleString(language),
    },
  ];

  return (
    <PageCard title={t('nav.auditLogs')}>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Form<AuditFilter> form={form} name="audit-filter" layout="inline" onFinish={apply} style={{ rowGap: 8 }} aria-label={t('admin.audit.filters')}>
          <Form.Item name="username" label={t('admin.audit.username')}>
            <Input allowClear autoComplete="off" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="operation" label={t('admin.audit.operation')}>
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('admin.audit.anyOperation')}
              options={auditOperations.map((value) => ({ value, label: t(operationLabels[value]) }))}
            />
          </Form.Item>
          <Form.Item name="resource" label={t('admin.audit.resource')}>
            <Input allowClear autoComplete="off" style={{ width: 180 }} />
          </Form.Item>
          <Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit">
                {t('admin.audit.apply')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                {t('admin.audit.clear')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <ApiTable<AuditLog>
          list={list}
          columns={columns}
          rowKey="id"
          label={t('nav.auditLogs')}
          empty={auditFilterKeys.some((key) => filter[key]) ? t('admin.audit.noMatch') : t('admin.audit.empty')}
        />
      </Space>
    </PageCard>
  );
}
