import { Alert, App as AntApp, Button, Card, Form, Select, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { policiesOf, ProjectPolicies, saveProjectPolicies, severities, Severity } from '../../api/project-metadata.api';
import { useSubmit } from '../../components/use-submit';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import type { ProjectTabProps } from '../project/project-detail.page';

const severityLabels: Record<Severity, MessageKey> = {
  critical: 'project.config.severity.critical',
  high: 'project.config.severity.high',
  medium: 'project.config.severity.medium',
  low: 'project.config.severity.low',
  none: 'project.config.severity.none',
};

/**
 * The project's public flag and the metadata policies Harbor's API carries,
 * saved with `PUT /projects/{id}`. Those who may not update the project see
 * them read-only.
 */
export function ConfigurationTab({ project, can, reloadProject }: ProjectTabProps) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ProjectPolicies>();
  const preventVul = Form.useWatch('preventVul', form) ?? false;
  const submit = useSubmit();
  const editable = can('.', 'update');
  const saved = JSON.stringify(project.metadata);

  useEffect(() => {
    form.setFieldsValue(policiesOf(project.metadata));
  }, [saved]);

  async function save() {
    const values = form.getFieldsValue(true) as ProjectPolicies;
    const done = await submit.run(() => saveProjectPolicies(project.project_id, values));
    if (done) {
      message.success(t('project.config.saved'));
      reloadProject();
    }
  }

  return (
    <Form<ProjectPolicies> form={form} layout="vertical" initialValues={policiesOf(project.metadata)} disabled={!editable} style={{ maxWidth: 720 }}>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {!editable ? <Alert type="info" showIcon message={t('project.config.readOnly')} data-testid="config-read-only" /> : null}
        <Card title={t('project.config.access')} size="small">
          <Form.Item name="public" label={t('project.config.public')} valuePropName="checked" extra={t('project.config.publicHelp')} style={{ marginBottom: 0 }}>
            <Switch data-testid="config-public" />
          </Form.Item>
        </Card>
        <Card title={t('project.config.policies')} size="small">
          <Alert type="warning" showIcon message={t('project.config.notEnforced')} style={{ marginBottom: 16 }} />
          <Form.Item name="enableContentTrust" label={t('project.config.contentTrust')} valuePropName="checked" extra={t('project.config.contentTrustHelp')}>
            <Switch />
          </Form.Item>
          <Form.Item name="preventVul" label={t('project.config.preventVul')} valuePropName="checked" extra={t('project.config.preventVulHelp')}>
            <Switch />
          </Form.Item>
          <Form.Item name="severity" label={t('project.config.severity')}>
            <Select<Severity>
              disabled={!editable || !preventVul}
              style={{ width: 'min(240px, 100%)' }}
              options={severities.map((value) => ({ value, label: t(severityLabels[value]) }))}
            />
          </Form.Item>
          <Form.Item name="autoScan" label={t('project.config.autoScan')} valuePropName="checked" extra={t('project.config.autoScanHelp')}>
            <Switch />
          </Form.Item>
          <Form.Item
            name="reuseSysCveAllowlist"
            label={t('project.config.reuseAllowlist')}
            valuePropName="checked"
            extra={t('project.config.reuseAllowlistHelp')}
            style={{ marginBottom: 0 }}
          >
            <Switch />
          </Form.Item>
        </Card>
        {submit.error ? <Alert type="error" showIcon role="alert" message={submit.error} /> : null}
        {editable ? (
          <Button type="primary" loading={submit.busy} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        ) : null}
      </Space>
    </Form>
  );
}
