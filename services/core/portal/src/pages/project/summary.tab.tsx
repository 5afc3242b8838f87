import { Alert, Card, Col, Descriptions, Progress, Row, Spin, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorText } from '../../api/error-text';
import { isPublic, ProjectSummary, projectSummary, storageOf } from '../../api/project.api';
import { formatBytes } from '../../format-bytes';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import type { ProjectTabProps } from '../project/project-detail.page';

const roles: { field: keyof ProjectSummary; label: MessageKey }[] = [
  { field: 'project_admin_count', label: 'project.summary.role.projectAdmin' },
  { field: 'maintainer_count', label: 'project.summary.role.maintainer' },
  { field: 'developer_count', label: 'project.summary.role.developer' },
  { field: 'guest_count', label: 'project.summary.role.guest' },
  { field: 'limited_guest_count', label: 'project.summary.role.limitedGuest' },
];

/** The project at a glance: storage against its limit, repositories, members by role (`/projects/{id}/summary`). */
export function SummaryTab({ project }: ProjectTabProps) {
  const { t, language } = useI18n();
  const [summary, setSummary] = useState<ProjectSummary | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    projectSummary(project.project_id).then(
      (found) => current && (setSummary(found), setError(null)),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [project.project_id]);

  if (error) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (!summary) return <Spin style={{ display: 'block', margin: 48 }} />;

  const storage = storageOf(summary);
  const limited = storage !== undefined && storage.limit > 0;
  const percent = limited ? Math.min(100, Math.round((storage.used / storage.limit) * 1000) / 10) : 0;
  const memberCounts = roles.filter(({ field }) => summary[field] !== undefined);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={8}>
        <Card title={t('project.summary.storage')} style={{ height: '100%' }}>
          {storage ? (
            <div style={{ textAlign: 'center' }} data-testid="quota-chart">
              <Progress
                type="dashboard"
                percent={percent}
                status={percent >= 100 ? 'exception' : 'normal'}
                format={() => (limited ? `${percent}%` : '∞')}
                aria-label={t('project.summary.storageChart')}
              />
              <Typography.Paragraph data-testid="quota-text" style={{ marginTop: 8, marginBottom: 0 }}>
                {limited
                  ? t('project.summary.storageOf', { used: formatBytes(storage.used), limit: formatBytes(storage.limit) })
                  : t('project.summary.storageUnlimited', { used: formatBytes(storage.used) })}
              </Typography.Paragraph>
            </div>
          ) : (
            <Typography.Text type="secondary">{t('project.summary.storageHidden')}</Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card title={t('project.summary.repositories')} style={{ height: '100%' }}>
          <Statistic value={summary.repo_count} valueRender={(node) => <span data-testid="summary-repo-count">{node}</span>} />
          <Link to={`/harbor/projects/${project.project_id}/repositories`}>{t('project.summary.seeRepositories')}</Link>
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card title={t('project.summary.members')} style={{ height: '100%' }}>
          {memberCounts.length > 0 ? (
            <Descriptions column={1} size="small" data-testid="member-counts">
              {memberCounts.map(({ field, label }) => (
                <Descriptions.Item key={field} label={t(label)}>
                  {summary[field] as number}
                </Descriptions.Item>
              ))}
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">{t('project.summary.membersHidden')}</Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24}>
        <Card title={t('project.summary.about')}>
          <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('project.summary.owner')}>{project.owner_name}</Descriptions.Item>
            <Descriptions.Item label={t('project.summary.access')}>{isPublic(project) ? t('projects.public') : t('projects.private')}</Descriptions.Item>
            <Descriptions.Item label={t('project.summary.created')}>{new Date(project.creation_time).toLocaleString(language)}</Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
    </Row>
  );
}
