import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/i18n';

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Result status="403" title={t('common.forbidden')} extra={<Link to="/harbor/projects"><Button type="primary">{t('notFound.back')}</Button></Link>} />
  );
}
