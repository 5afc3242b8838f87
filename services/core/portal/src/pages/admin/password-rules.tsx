import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { PasswordRule, passwordMisses } from '../../api/user.api';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';

const rules: { rule: PasswordRule; label: MessageKey }[] = [
  { rule: 'length', label: 'admin.password.ruleLength' },
  { rule: 'upper', label: 'admin.password.ruleUpper' },
  { rule: 'lower', label: 'admin.password.ruleLower' },
  { rule: 'digit', label: 'admin.password.ruleDigit' },
];

/** Harbor's password rule in words, each part ticked as the password meets it. */
export function PasswordRules({ password }: { password: string }) {
  const { t } = useI18n();
  const misses = new Set(passwordMisses(password));
  return (
    <Space direction="vertical" size={0} data-testid="password-rules">
      {rules.map(({ rule, label }) => {
        const met = !misses.has(rule);
        return (
          <Typography.Text key={rule} type={met ? 'success' : 'secondary'} data-met={met}>
            {met ? <CheckCircleFilled aria-hidden /> : <CloseCircleOutlined aria-hidden />} {t(label)}
          </Typography.Text>
        );
      })}
    </Space>
  );
}

/** A Form.Item validator: refuses a password that misses a part of the rule, naming the first part. */
export function passwordValidator(t: (key: MessageKey) => string) {
  return (_: unknown, value: string | undefined) => {
    const first = passwordMisses(value ?? '')[0];
    if (!first) return Promise.resolve();
    return Promise.reject(new Error(t(rules.find((r) => r.rule === first)!.label)));
  };
}
