import { Alert, App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { createUserGroup, GroupType, groupTypes, renameUserGroup, UserGroup } from '../../api/user-group.api';
import { useSubmit } from '../../components/use-submit';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';

export const groupTypeLabels: Record<GroupType, MessageKey> = {
  1: 'admin.groups.typeLdap',
  2: 'admin.groups.typeHttp',
  3: 'admin.groups.typeOidc',
};

interface NewGroupValues {
  group_type: GroupType;
  group_name: string;
  ldap_group_dn: string;
}

/** A new user group: its type and, for an LDAP group, the DN the directory knows it by. */
export function CreateGroupDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewGroupValues>();
  const type = Form.useWatch('group_type', form) ?? 1;
  const submit = useSubmit();

  async function save() {
    const values = await form.validateFields();
    const done = await submit.run(() => createUserGroup(values));
    if (!done) return;
    message.success(t('admin.groups.created', { name: values.group_name || values.ldap_group_dn }));
    form.resetFields();
    onCreated();
  }

  return (
    <Modal
      title={t('admin.groups.newTitle')}
      open={open}
      onOk={() => void save().catch(() => undefined)}
      onCancel={() => {
        submit.reset();
        onClose();
      }}
      okText={t('admin.groups.create')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form<NewGroupValues> form={form} name="new-group" layout="vertical" requiredMark={false} initialValues={{ group_type: 1, group_name: '', ldap_group_dn: '' }}>
        <Form.Item name="group_type" label={t('admin.groups.type')}>
          <Select<GroupType> options={groupTypes.map((value) => ({ value, label: t(groupTypeLabels[value]) }))} />
        </Form.Item>
        {type === 1 && (
          <Form.Item
            name="ldap_group_dn"
            label={t('admin.groups.dn')}
            extra={t('admin.groups.dnHelp')}
            rules={[{ required: true, whitespace: true, message: t('admin.groups.dnRequired') }]}
          >
            <Input autoFocus autoComplete="off" maxLength={512} />
          </Form.Item>
        )}
        <Form.Item
          name="group_name"
          label={t('admin.groups.name')}
          extra={type === 1 ? t('admin.groups.nameHelpLdap') : undefined}
          rules={type === 1 ? [] : [{ required: true, whitespace: true, message: t('admin.groups.nameRequired') }]}
        >
          <Input autoComplete="off" maxLength={255} />
        </Form.Item>
        {submit.error && <Alert type="error" showIcon message={submit.error} role="alert" />}
      </Form>
    </Modal>
  );
}

/** Renames a group; its type and DN stay what they are. */
export function EditGroupDialog({ group, onClose, onSaved }: { group: UserGroup | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ group_name: string }>();
  const submit = useSubmit();

  useEffect(() => {
    if (group) form.setFieldsValue({ group_name: group.group_name });
  }, [group, form]);

  async function save() {
    if (!group) return;
    const values = await form.validateFields();
    const done = await submit.run(() => renameUserGroup(group.id, values.group_name));
    if (!done) return;
    message.success(t('admin.groups.renamed', { name: values.group_name.trim() }));
    onSaved();
  }

  return (
    <Modal
      title={t('admin.groups.editTitle')}
      open={group !== null}
      onOk={() => void save().catch(() => undefined)}
      onCancel={() => {
        submit.reset();
        onClose();
      }}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="edit-group" layout="vertical" requiredMark={false}>
        <Form.Item name="group_name" label={t('admin.groups.name')} rules={[{ required: true, whitespace: true, message: t('admin.groups.nameRequired') }]}>
          <Input autoFocus autoComplete="off" maxLength={255} />
        </Form.Item>
        {group?.ldap_group_dn ? <Alert type="info" message={t('admin.groups.dnFixed', { dn: group.ldap_group_dn })} /> : null}
        {submit.error && <Alert type="error" showIcon message={submit.error} role="alert" style={{ marginTop: 12 }} />}
      </Form>
    </Modal>
  );
}
