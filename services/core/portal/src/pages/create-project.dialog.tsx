import { Alert, App as AntApp, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { createProject, StorageUnit, storageLimitBytes, storageUnits, validProjectName } from '../api/project.api';
import { useSubmit } from '../components/use-submit';
import { useI18n } from '../i18n/i18n';

interface Props {
  open: boolean;
  /** System admins also set the storage limit (as in Harbor, others get the default). */
  sysadmin: boolean;
  onClose(): void;
  onCreated(name: string): void;
}

interface Values {
  name: string;
  public: boolean;
  unlimited: boolean;
  amount: number | null;
  unit: StorageUnit;
}

const initialValues: Values = { name: '', public: false, unlimited: true, amount: null, unit: 'GiB' };

/**
 * The name rule is checked on every keystroke; the storage limit is a number
 * and a unit, or unlimited (-1). The server's refusal (a taken name, …) is shown in its words.
 */
export function CreateProjectDialog({ open, sysadmin, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const unlimited = Form.useWatch('unlimited', form) ?? true;
  const submit = useSubmit();

  async function create() {
    const values = await form.validateFields();
    const storageLimit = !sysadmin ? undefined : values.unlimited ? -1 : (storageLimitBytes(values.amount, values.unit) ?? undefined);
    const done = await submit.run(() => createProject({ name: values.name, public: values.public, storageLimit }));
    if (done) {
      message.success(t('createProject.created', { name: values.name }));
      form.resetFields();
      onCreated(values.name);
    }
  }

  return (
    <Modal
      title={t('createProject.title')}
      open={open}
      onOk={() => void create().catch(() => undefined)}
      onCancel={() => {
        submit.reset();
        onClose();
      }}
      okText={t('createProject.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" initialValues={initialValues} requiredMark={false}>
        <Form.Item
          name="name"
          label={t('createProject.name')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('createProject.nameRequired') },
            {
              validator: (_, value: string) =>
                !value || validProjectName(value) ? Promise.resolve() : Promise.reject(new Error(t('createProject.nameRule'))),
            },
          ]}
        >
          <Input autoFocus maxLength={255} />
        </Form.Item>
        <Form.Item name="public" label={t('createProject.public')} valuePropName="checked" extra={t('createProject.publicHelp')}>
          <Switch />
        </Form.Item>
        {sysadmin ? (
          <Form.Item label={t('createProject.storageLimit')} extra={t('createProject.storageHelp')}>
            {/* Errors of the fields inside (noStyle) show under this item. */}
            <Space direction="vertical" size={8}>
              <Form.Item name="unlimited" valuePropName="checked" noStyle>
                <Checkbox>{t('createProject.unlimited')}</Checkbox>
              </Form.Item>
              <Space.Compact>
                <Form.Item
                  name="amount"
                  noStyle
                  dependencies={['unit', 'unlimited']}
                  rules={[
                    {
                      validator: (_, amount: number | null) =>
                        form.getFieldValue('unlimited') || storageLimitBytes(amount, form.getFieldValue('unit') as StorageUnit) !== null
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('createProject.storageRule'))),
                    },
                  ]}
                >
                  <InputNumber aria-label={t('createProject.storageAmount')} disabled={unlimited} min={1} precision={0} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name="unit" noStyle>
                  <Select<StorageUnit>
                    aria-label={t('createProject.storageUnit')}
                    disabled={unlimited}
                    style={{ width: 90 }}
                    options={Object.keys(storageUnits).map((unit) => ({ value: unit as StorageUnit, label: unit }))}
                  />
                </Form.Item>
              </Space.Compact>
            </Space>
          </Form.Item>
        ) : null}
        {submit.error && <Alert type="error" showIcon message={submit.error} role="alert" style={{ marginTop: 16 }} />}
      </Form>
    </Modal>
  );
}
