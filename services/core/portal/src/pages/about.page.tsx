import { Alert, Card, Descriptions, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { errorText } from '../api/error-text';
import { SystemInfo, systemInfo } from '../api/systeminfo.api';
import { useI18n } from '../i18n/i18n';

export function AboutPage() {
  const { t } = useI18n();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    systemInfo().then(setInfo, setError);
  }, []);

  return (
    <Card title={t('about.title')}>
      {error ? <Alert type="error" showIcon message={errorText(error, t)} /> : null}
      {!info && !error ? <Spin /> : null}
      {info && (
        <Descriptions column={1} bordered>
          <Descriptions.Item label={t('about.version')}>
            <span data-testid="harbor-version">{info.harbor_version}</span>
          </Descriptions.Item>
          {info.external_url && <Descriptions.Item label={t('about.externalUrl')}>{info.external_url}</Descriptions.Item>}
          {info.auth_mode && <Descriptions.Item label={t('about.authMode')}>{info.auth_mode}</Descriptions.Item>}
        </Descriptions>
      )}
    </Card>
  );
}
