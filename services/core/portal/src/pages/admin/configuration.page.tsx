import { Alert, App as AntApp, Button, Divider, Form, Input, InputNumber, Select, Space, Spin, Switch, Typography } from 'antd';
import { ReactNode, useCallback, useEffect, useState } from 'react';
import { ConfigurationsResponse, getConfigurations, updateConfigurations } from '../../api/configuration.api';
import { errorText, serverWords } from '../../api/error-text';
import { LdapPingResult, pingLdap } from '../../api/ldap.api';
import { PageCard } from '../../components/page-card';
import { useSubmit } from '../../components/use-submit';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { changedConfigurations, ConfigForm, formOf, ldapConfOf, lockedKeys, searchPasswordSet } from './configuration-form';

const authModes: { value: string; label: MessageKey }[] = [
  { value: 'db_auth', label: 'admin.config.authDb' },
  { value: 'ldap_auth', label: 'admin.config.authLdap' },
];
const scopes: { value: number; label: MessageKey }[] = [
  { value: 0, label: 'admin.config.scopeBase' },
  { value: 1, label: 'admin.config.scopeOne' },
  { value: 2, label: 'admin.config.scopeSubtree' },
];

/**
 * System configuration: authentication (database or LDAP, with the LDAP
 * settings and a connection test using the form's values before they are
 * saved), self-registration, who may create projects, and token lifetimes.
 * Save sends only what changed; the LDAP search password is write-only.
 */
export function ConfigurationPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ConfigForm>();
  const [loaded, setLoaded] = useState<{ response: ConfigurationsResponse; initial: ConfigForm } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dirty, setDirty] = useState(false);
  const [pingResult, setPingResult] = useState<LdapPingResult | null>(null);
  const pinging = useSubmit();
  // A failed test: the call's error in words, or the server's reason where the reader can read it.
  const pingDetail = pinging.error ?? serverWords(pingResult?.message, t);
  const save = useSubmit();
  const authMode = Form.useWatch('auth_mode', form);

  const load = useCallback(async () => {
    try {
      const response = await getConfigurations();
      const initial = formOf(response);
      setLoaded({ response, initial });
      form.setFieldsValue(initial);
      setDirty(false);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [form]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadError) return <Alert type="error" showIcon message={errorText(loadError, t)} />;
  if (!loaded) return <Spin style={{ display: 'block', margin: 48 }} />;
  const locked = lockedKeys(loaded.response);

  async function onSave() {
    if (!loaded) return;
    await form.validateFields();
    const changes = changedConfigurations(loaded.initial, form.getFieldsValue(true) as ConfigForm);
    if (Object.keys(changes).length === 0) {
      message.info(t('admin.config.nothingChanged'));
      return;
    }
    if (await save.run(() => updateConfigurations(changes))) {
      message.success(t('admin.config.saved'));
      await load();
    }
  }

  async function onTest() {
    setPingResult(null);
    await pinging.run(async () => setPingResult(await pingLdap(ldapConfOf(form.getFieldsValue(true) as ConfigForm))));
  }

  const item = (name: keyof ConfigForm, label: MessageKey, control: ReactNode, extra?: MessageKey, valuePropName?: string) => (
    <Form.Item name={name} label={t(label)} extra={extra ? t(extra) : undefined} valuePropName={valuePropName}>
      {control}
    </Form.Item>
  );
  const text = (name: keyof ConfigForm, label: MessageKey, extra?: MessageKey) =>
    item(name, label, <Input autoComplete="off" disabled={locked.has(name)} />, extra);
  const number = (name: keyof ConfigForm, label: MessageKey, min: number, max: number, extra?: MessageKey) =>
    item(name, label, <InputNumber min={min} max={max} precision={0} disabled={locked.has(name)} style={{ width: '100%', maxWidth: 200 }} />, extra);
  const scope = (name: keyof ConfigForm, label: MessageKey) =>
    item(name, label, <Select disabled={locked.has(name)} options={scopes.map((s) => ({ value: s.value, label: t(s.label) }))} style={{ maxWidth: 240 }} />);
  const modes = authModes.some((m) => m.value === loaded.initial.auth_mode) ? authModes : [...authModes, { value: loaded.initial.auth_mode, label: null }];

  return (
    <PageCard title={t('nav.configuration')}>
      <Form<ConfigForm>
        form={form}
        name="configuration"
        layout="vertical"
        requiredMark={false}
        initialValues={loaded.initial}
        onValuesChange={() => setDirty(Object.keys(changedConfigurations(loaded.initial, form.getFieldsValue(true) as ConfigForm)).length > 0)}
        style={{ maxWidth: 640 }}
      >
        <Typography.Title level={5}>{t('admin.config.authentication')}</Typography.Title>
        {item(
          'auth_mode',
          'admin.config.authMode',
          <Select
            disabled={locked.has('auth_mode')}
            options={modes.map((m) => ({ value: m.value, label: m.label ? t(m.label) : m.value }))}
            style={{ maxWidth: 240 }}
          />,
          locked.has('auth_mode') ? 'admin.config.authModeLocked' : 'admin.config.authModeHelp',
        )}
        {item('self_registration', 'admin.config.selfRegistration', <Switch disabled={locked.has('self_registration')} />, 'admin.config.selfRegistrationHelp', 'checked')}

        {/* Shown in both modes: LDAP user groups use the directory in database mode too. */}
        <section aria-label={t('admin.config.ldap')}>
          <Divider />
          <Typography.Title level={5}>{t('admin.config.ldap')}</Typography.Title>
          {authMode !== 'ldap_auth' && <Alert type="info" showIcon message={t('admin.config.ldapInDbMode')} style={{ marginBottom: 16 }} />}
          {text('ldap_url', 'admin.config.ldapUrl', 'admin.config.ldapUrlHelp')}
          {text('ldap_search_dn', 'admin.config.ldapSearchDn', 'admin.config.ldapSearchDnHelp')}
          {item(
            'ldap_search_password',
            'admin.config.ldapSearchPassword',
            <Input.Password
              autoComplete="new-password"
              disabled={locked.has('ldap_search_password')}
              placeholder={t(searchPasswordSet(loaded.response) ? 'admin.config.passwordKept' : 'admin.config.passwordNotSet')}
            />,
            'admin.config.ldapSearchPasswordHelp',
          )}
          {text('ldap_base_dn', 'admin.config.ldapBaseDn')}
          {text('ldap_filter', 'admin.config.ldapFilter', 'admin.config.ldapFilterHelp')}
          {text('ldap_uid', 'admin.config.ldapUid', 'admin.config.ldapUidHelp')}
          {scope('ldap_scope', 'admin.config.ldapScope')}
          {number('ldap_timeout', 'admin.config.ldapTimeout', 1, 3600)}
          {item('ldap_verify_cert', 'admin.config.ldapVerifyCert', <Switch disabled={locked.has('ldap_verify_cert')} />, 'admin.config.ldapVerifyCertHelp', 'checked')}
          <Space wrap style={{ marginBottom: 16 }}>
            <Button onClick={() => void onTest()} loading={pinging.busy} data-testid="ldap-test">
              {t('admin.config.ldapTest')}
            </Button>
          </Space>
          {(pingResult || pinging.error) && (
            <div data-testid="ldap-ping-result" style={{ marginBottom: 16 }}>
              {pingResult?.success ? (
                <Alert type="success" showIcon message={t('admin.config.ldapTestOk')} />
              ) : (
                <Alert
                  type="error"
                  showIcon
                  role="alert"
                  message={t('admin.config.ldapTestFailed')}
                  description={pingDetail && <span style={{ wordBreak: 'break-word' }}>{pingDetail}</span>}
                />
              )}
            </div>
          )}
          <Typography.Title level={5}>{t('admin.config.ldapGroups')}</Typography.Title>
          {text('ldap_group_base_dn', 'admin.config.groupBaseDn')}
          {text('ldap_group_search_filter', 'admin.config.groupFilter')}
          {text('ldap_group_attribute_name', 'admin.config.groupNameAttribute', 'admin.config.groupNameAttributeHelp')}
          {text('ldap_group_admin_dn', 'admin.config.groupAdminDn', 'admin.config.groupAdminDnHelp')}
          {text('ldap_group_membership_attribute', 'admin.config.groupMembership', 'admin.config.groupMembershipHelp')}
          {scope('ldap_group_search_scope', 'admin.config.groupScope')}
        </section>

        <Divider />
        <Typography.Title level={5}>{t('admin.config.system')}</Typography.Title>
        {item(
          'project_creation_restriction',
          'admin.config.projectCreation',
          <Select
            disabled={locked.has('project_creation_restriction')}
            options={[
              { value: 'everyone', label: t('admin.config.projectCreationEveryone') },
              { value: 'adminonly', label: t('admin.config.projectCreationAdmin') },
            ]}
            style={{ maxWidth: 240 }}
          />,
        )}
        {number('token_expiration', 'admin.config.tokenExpiration', 1, 525_600, 'admin.config.tokenExpirationHelp')}
        {number('robot_token_duration', 'admin.config.robotTokenDuration', 1, 36_500, 'admin.config.robotTokenDurationHelp')}

        {save.error && <Alert type="error" showIcon role="alert" message={save.error} style={{ marginBottom: 16 }} data-testid="config-error" />}
        <Space wrap>
          <Button type="primary" onClick={() => void onSave().catch(() => undefined)} loading={save.busy} disabled={!dirty}>
            {t('common.save')}
          </Button>
          <Button
            disabled={!dirty}
            onClick={() => {
              form.setFieldsValue(loaded.initial);
              setDirty(false);
              save.reset();
              setPingResult(null);
              pinging.reset();
            }}
          >
            {t('admin.config.discard')}
          </Button>
        </Space>
      </Form>
    </PageCard>
  );
}
