import { Alert, AutoComplete, Form, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/error-text';
import { addMember, roleIds, RoleName, roleOrder } from '../../api/member.api';
import { searchGroups, searchUsers } from '../../api/user-search.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';
import { useLookup } from './use-lookup';

interface Props {
  open: boolean;
  /** `user`: a registered user by name; `group`: a registered LDAP group. */
  kind: 'user' | 'group';
  project: { id: number; name: string };
  onClose(): void;
  onAdded(name: string, role: RoleName): void;
}

interface Values {
  username: string;
  groupId: number;
  role: RoleName;
}

/** Adds a user (found as the name is typed) or an LDAP group with a role; a refusal (already a member, …) is shown in the server's words. */
export function AddMemberDialog({ open, kind, project, onClose, onAdded }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const [text, setText] = useState('');
  const users = useLookup(text, async (name) => (await searchUsers(name)).items, { enabled: open && kind === 'user' });
  const groups = useLookup(text, async (name) => (await searchGroups(name)).items, { enabled: open && kind === 'group', askWhenEmpty: true });
  const lookupError = kind === 'user' ? users.error : groups.error;

  useEffect(() => {
    if (!open) return;
    submit.reset();
    setText('');
    form.resetFields();
  }, [open, kind]);

  async function save() {
    const values = await form.validateFields();
    const group = groups.hits.find((g) => g.id === values.groupId);
    const name = kind === 'user' ? values.username.trim() : (group?.group_name ?? String(values.groupId));
    const ok = await submit.run(() =>
      addMember(project.id, kind === 'user' ? { roleId: roleIds[values.role], user: { username: name } } : { roleId: roleIds[values.role], group: { id: values.groupId } }),
    );
    if (ok) onAdded(name, values.role);
  }

  return (
    <Modal
      open={open}
      title={kind === 'user' ? t('access.members.addUserTitle', { project: project.name }) : t('access.members.addGroupTitle', { project: project.name })}
      okText={t('access.members.add')}
      cancelText={t('common.cancel')}
      onOk={() => void save().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={{ role: 'developer' }}>
        {kind === 'user' ? (
          <Form.Item
            name="username"
            label={t('access.members.username')}
            extra={t('access.members.usernameHelp')}
            rules={[{ required: true, whitespace: true, message: t('access.members.usernameRequired') }]}
          >
            <AutoComplete
              autoFocus
              options={users.hits.map((user) => ({ value: user.username, label: user.username }))}
              onSearch={setText}
              notFoundContent={text.trim() && !users.loading ? t('access.members.noUserFound') : null}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="groupId"
            label={t('access.members.group')}
            extra={t('access.members.groupHelp')}
            rules={[{ required: true, message: t('access.members.groupRequired') }]}
          >
            <Select
              autoFocus
              showSearch={{ filterOption: false, onSearch: setText }}
              loading={groups.loading}
              options={groups.hits.map((group) => ({ value: group.id, label: group.group_name }))}
              notFoundContent={groups.loading ? null : t('access.members.noGroupFound')}
            />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('access.members.role')} rules={[{ required: true, message: t('access.members.roleRequired') }]}>
          <Select options={roleOrder.map((role) => ({ value: role, label: t(`access.role.${role}`) }))} />
        </Form.Item>
        {lookupError ? <Typography.Text type="danger">{errorText(lookupError, t)}</Typography.Text> : null}
        {submit.error ? <Alert type="error" showIcon message={submit.error} role="alert" /> : null}
      </Form>
    </Modal>
  );
}
