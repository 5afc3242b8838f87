import { Typography } from 'antd';
import { PageCard } from '../../components/page-card';
import { useI18n } from '../../i18n/i18n';
import { RobotList } from '../access';

/**
 * System robot accounts (`Level=system`): each may cover one or more
 * projects, or all of them, with the same permissions. The list, the
 * create/edit dialog and the shown-once secret are the shared robot pieces
 * of pages/access; only system administrators reach this page.
 */
export function SystemRobotsPage() {
  const { t } = useI18n();
  return (
    <PageCard title={t('nav.robots')}>
      <Typography.Paragraph type="secondary">{t('admin.robots.intro')}</Typography.Paragraph>
      <RobotList level="system" can={{ create: true, update: true, delete: true }} />
    </PageCard>
  );
}
