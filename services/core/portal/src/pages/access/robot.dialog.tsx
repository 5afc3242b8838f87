import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorText } from '../../api/error-text';
import { listProjects } from '../../api/project.api';
import { createRobot, Robot, RobotLevel, updateRobot, validRobotName } from '../../api/robot.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';
import { PermissionPicker } from './permission-picker';
import {
  accessFromSelection,
  defaultRobotSelection,
  PermissionGroup,
  projectRobotOptions,
  projectRobotPermissions,
  scopesOfRobot,
  systemRobotPermissions,
} from './robot-permissions';
import { useLookup } from './use-lookup';

/**
 * Props of the create/edit robot dialog (shared by the project robots tab and
 * the system robots page):
 * - `open`, `onClose()`;
 * - `level`: `'project'` (then `projectName` is required: the robot's one
 *   scope) or `'system'` (the dialog shows a Projects field: one or more
 *   project names, or "All projects" = `*`; each gets the same ticks);
 * - `robot`: edit this robot (name fixed; description, expiry and
 *   permissions editable); absent = create;
 * - `options`: the permission rows offered, default `projectRobotOptions`;
 * - `onSaved({ name, secret })`: after create `secret` is the one to show
 *   once (pass it to RobotSecretDialog); after an edit it is undefined.
 */
export interface RobotDialogProps {
  open: boolean;
  level: RobotLevel;
  projectName?: string;
  robot?: Robot;
  options?: PermissionGroup[];
  onClose(): void;
  onSaved(result: { name: string; secret?: string }): void;
}

interface Values {
  name: string;
  description: string;
  expiry: 'days' | 'never';
  days: number | null;
  namespaces: string[];
  permissions: string[];
}

const allProjects = '*';

export function RobotDialog({ open, level, projectName, robot, options = projectRobotOptions, onClose, onSaved }: RobotDialogProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const scopes = useMemo(() => (robot ? scopesOfRobot(robot.permissions, options) : null), [robot, options]);
  const name = Form.useWatch('name', form) ?? '';
  const expiry = Form.useWatch('expiry', form);

  useEffect(() => {
    if (!open) return;
    submit.reset();
    form.setFieldsValue({
      name: '',
      description: robot?.description ?? '',
      expiry: robot && robot.duration === -1 ? 'never' : 'days',
      days: robot && robot.duration !== -1 ? robot.duration : 30,
      namespaces: scopes?.namespaces ?? (projectName ? [projectName] : []),
      permissions: scopes?.selected ?? defaultRobotSelection,
    });
  }, [open, robot]);

  async function save() {
    const values = await form.validateFields();
    const duration = values.expiry === 'never' ? -1 : Number(values.days);
    const access = accessFromSelection(values.permissions, scopes?.kept ?? [], options);
    const permissions =
      level === 'project' ? projectRobotPermissions(projectName ?? '', access) : systemRobotPermissions(values.namespaces, access, scopes?.systemScopes ?? []);
    let result: { name: string; secret?: string } = { name: robot?.name ?? '' };
    const ok = await submit.run(async () => {
      if (robot) {
        await updateRobot(robot, { description: values.description, duration, permissions });
      } else {
        const created = await createRobot({ name: values.name, description: values.description, level, duration, permissions });
        result = { name: created.name, secret: created.secret };
      }
    });
    if (ok) onSaved(result);
  }

  const login = level === 'project' ? `robot$${projectName ?? ''}+${name}` : `robot$${name}`;
  return (
    <Modal
      open={open}
      title={robot ? t('access.robotDialog.editTitle', { name: robot.name }) : t('access.robotDialog.createTitle')}
      okText={robot ? t('common.save') : t('access.robotDialog.create')}
      cancelText={t('common.cancel')}
      onOk={() => void save().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
      width={720}
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false}>
        {robot ? null : (
          <Form.Item
            name="name"
            label={t('access.robotDialog.name')}
            validateTrigger="onChange"
            extra={name && validRobotName(name) ? t('access.robotDialog.loginName', { login }) : undefined}
            rules={[
              { required: true, message: t('access.robotDialog.nameRequired') },
              {
                validator: (_, value: string) =>
                  !value || validRobotName(value) ? Promise.resolve() : Promise.reject(new Error(t('access.robotDialog.nameRule'))),
              },
            ]}
          >
            <Input autoFocus maxLength={255} />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('access.robotDialog.description')}>
          <Input.TextArea maxLength={1024} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label={t('access.robotDialog.expiry')} required>
          <Space wrap>
            <Form.Item name="expiry" noStyle>
              <Radio.Group
                aria-label={t('access.robotDialog.expiry')}
                options={[
                  { value: 'days', label: t('access.robotDialog.expiryDays') },
                  { value: 'never', label: t('access.robotDialog.expiryNever') },
                ]}
              />
            </Form.Item>
            {expiry === 'days' ? (
              <Form.Item
                name="days"
                noStyle
                rules={[{ required: true, type: 'integer', min: 1, max: 2_900_000, message: t('access.robotDialog.daysRequired') }]}
              >
                <InputNumber aria-label={t('access.robotDialog.days')} min={1} max={2_900_000} precision={0} style={{ width: 120 }} />
              </Form.Item>
            ) : null}
          </Space>
        </Form.Item>
        {level === 'system' ? (
          <Form.Item
            name="namespaces"
            label={t('access.robotDialog.projects')}
            extra={t('access.robotDialog.projectsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('access.robotDialog.projectsRequired') }]}
          >
            <ProjectPicker />
          </Form.Item>
        ) : null}
        {scopes?.mixed ? <Alert type="info" showIcon message={t('access.robotDialog.mixed')} style={{ marginBottom: 12 }} /> : null}
        {scopes && scopes.kept.length > 0 ? (
          <Alert type="info" showIcon message={t('access.robotDialog.kept', { count: scopes.kept.length })} style={{ marginBottom: 12 }} />
        ) : null}
        <Form.Item
          name="permissions"
          label={t('access.robotDialog.permissions')}
          rules={[
            {
              validator: (_, value: string[] | undefined) =>
                (value?.length ?? 0) > 0 || (scopes?.kept.length ?? 0) > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('access.robotDialog.permissionsRequired'))),
            },
          ]}
        >
          <PermissionPicker options={options} />
        </Form.Item>
        {submit.error ? <Alert type="error" showIcon message={submit.error} role="alert" /> : null}
      </Form>
    </Modal>
  );
}

/** Projects by name as the user types, plus "All projects" (`*`). A Form control. */
function ProjectPicker({ value, onChange, id }: { value?: string[]; onChange?(value: string[]): void; id?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const lookup = useLookup(text, async (name) => (await listProjects({ page: 1, pageSize: 20, name })).items.map((p) => p.name), { askWhenEmpty: true });
  const chosen = value ?? [];
  const names = [...new Set([...chosen.filter((n) => n !== allProjects), ...lookup.hits])];
  return (
    <>
      <Select
        id={id}
        mode="multiple"
        aria-label={t('access.robotDialog.projects')}
        value={chosen}
        onChange={(next: string[]) => onChange?.(next.includes(allProjects) && !chosen.includes(allProjects) ? [allProjects] : next.filter((n) => n !== allProjects || next.length === 1))}
        showSearch={{ filterOption: false, onSearch: setText }}
        loading={lookup.loading}
        options={[{ value: allProjects, label: t('access.robots.allProjects') }, ...names.map((n) => ({ value: n, label: n }))]}
        style={{ width: '100%' }}
      />
      {lookup.error ? <Typography.Text type="danger">{errorText(lookup.error, t)}</Typography.Text> : null}
    </>
  );
}
