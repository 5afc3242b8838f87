import { App as AntApp, Button, Flex, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorText } from '../../api/error-text';
import { deleteRobot, listRobots, refreshRobotSecret, Robot, RobotLevel, RobotPermission, setRobotDisabled } from '../../api/robot.api';
import { ApiTable } from '../../components/api-table';
import { useUrlPage } from '../../components/use-url-page';
import { useI18n } from '../../i18n/i18n';
import { actionLabel, resourceLabel } from './permission-labels';
import { PermissionGroup, projectRobotOptions } from './robot-permissions';
import { RobotDialog } from './robot.dialog';
import { RobotSecretDialog } from './robot-secret.dialog';
import { UrlSearch } from '../../components/url-search';

/**
 * Props of the robot list (the project robots tab, and the system robots page):
 * - `level`: `'project'` lists `Level=project,ProjectID=<project.id>`;
 *   `'system'` lists `Level=system` and shows each robot's projects;
 * - `project`: `{ id, name }`, required for level `'project'`;
 * - `can`: `{ create, update, delete }`: which actions to offer (the server
 *   checks again); update covers edit, refresh secret, enable/disable;
 * - `options`: permission rows for the dialog, default `projectRobotOptions`.
 */
export interface RobotListProps {
  level: RobotLevel;
  project?: { id: number; name: string };
  can: { create: boolean; update: boolean; delete: boolean };
  options?: PermissionGroup[];
}

/**
 * Robot accounts paged by the API, searched by name (both in the URL), with
 * create, edit, refresh secret (shown once), enable/disable and delete; each
 * destructive step asks first, naming the robot.
 */
export function RobotList({ level, project, can, options = projectRobotOptions }: RobotListProps) {
  const { t, language } = useI18n();
  const { message, modal } = AntApp.useApp();
  const list = useUrlPage((query) => listRobots({ ...query, level, projectId: project?.id, name: query.search }), { deps: [level, project?.id] });
  const [editing, setEditingState] = useState<Robot | 'new' | null>(null);
  // A fresh dialog per opening: a reused antd Modal keeps its OK button's loading icon
  // half-way through its leave motion once hidden, and the button then reads "loading Save".
  const [opening, setOpening] = useState(0);
  const setEditing = (next: Robot | 'new' | null) => {
    if (next !== null) setOpening((n) => n + 1);
    setEditingState(next);
  };
  const [shown, setShown] = useState<{ name: string; secret: string } | null>(null);

  function confirmThen(title: string, content: string, okText: string, danger: boolean, action: () => Promise<void>, done: string) {
    modal.confirm({
      title,
      content,
      okText,
      okButtonProps: { danger },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await action();
          message.success(done);
        } catch (err) {
          message.error(errorText(err, t));
        }
        list.reload();
      },
    });
  }

  const refresh = (robot: Robot) =>
    modal.confirm({
      title: t('access.robots.refreshConfirm', { name: robot.name }),
      content: t('access.robots.refreshHelp'),
      okText: t('access.robots.refreshSecret'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          setShown({ name: robot.name, secret: await refreshRobotSecret(robot.id) });
        } catch (err) {
          message.error(errorText(err, t));
        }
      },
    });

  const toggle = (robot: Robot) =>
    robot.disable
      ? void setRobotDisabled(robot, false).then(
          () => (message.success(t('access.robots.enabledDone', { name: robot.name })), list.reload()),
          (err: unknown) => message.error(errorText(err, t)),
        )
      : confirmThen(
          t('access.robots.disableConfirm', { name: robot.name }),
          t('access.robots.disableHelp'),
          t('access.robots.disable'),
          false,
          () => setRobotDisabled(robot, true),
          t('access.robots.disabledDone', { name: robot.name }),
        );

  const remove = (robot: Robot) =>
    confirmThen(
      t('common.confirmDelete', { name: robot.name }),
      t('access.robots.deleteHelp'),
      t('common.delete'),
      true,
      () => deleteRobot(robot.id),
      t('access.robots.deleted', { name: robot.name }),
    );

  const when = (seconds: number) => new Date(seconds * 1000).toLocaleString(language);
  const columns: ColumnsType<Robot> = [
    {
      title: t('access.robots.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{name}</Typography.Text>,
    },
    {
      title: t('access.robots.status'),
      key: 'status',
      render: (_, robot) =>
        robot.disable ? (
          <Tag color="default" data-testid="robot-status">{t('access.robots.disabled')}</Tag>
        ) : (
          <Tag color="green" data-testid="robot-status">{t('access.robots.enabled')}</Tag>
        ),
    },
    ...(level === 'system'
      ? [
          {
            title: t('access.robots.projects'),
            key: 'projects',
            render: (_: unknown, robot: Robot) => <Space wrap size={4}>{projectsOf(robot).map((n) => <Tag key={n}>{n === '*' ? t('access.robots.allProjects') : n}</Tag>)}</Space>,
          },
        ]
      : []),
    {
      title: t('access.robots.permissions'),
      key: 'permissions',
      render: (_, robot) => t('access.robots.permissionCount', { count: countOf(robot.permissions) }),
    },
    {
      title: t('access.robots.expires'),
      key: 'expires',
      render: (_, robot) =>
        robot.expires_at === -1 ? (
          t('common.never')
        ) : robot.expires_at * 1000 < Date.now() ? (
          <Tag color="red">{t('access.robots.expired')}</Tag>
        ) : (
          when(robot.expires_at)
        ),
    },
    { title: t('access.robots.description'), dataIndex: 'description', key: 'description', responsive: ['md'] },
    {
      title: t('access.robots.created'),
      dataIndex: 'creation_time',
      key: 'created',
      responsive: ['lg'],
      render: (time: string) => new Date(time).toLocaleString(language),
    },
  ];
  if (can.update || can.delete) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, robot) => (
        <Space wrap size={4} role="group" aria-label={t('access.robots.actionsFor', { name: robot.name })}>
          {can.update ? (
            <>
              <Button size="small" onClick={() => setEditing(robot)}>
                {t('access.robots.edit')}
              </Button>
              <Button size="small" onClick={() => refresh(robot)}>
                {t('access.robots.refreshSecret')}
              </Button>
              <Button size="small" onClick={() => toggle(robot)}>
                {robot.disable ? t('access.robots.enable') : t('access.robots.disable')}
              </Button>
            </>
          ) : null}
          {can.delete ? (
            <Button size="small" danger onClick={() => remove(robot)}>
              {t('common.delete')}
            </Button>
          ) : null}
        </Space>
      ),
    });
  }

  return (
    <Flex vertical gap={12} style={{ minWidth: 0 }}>
      <Flex wrap gap={8} justify="space-between">
        <UrlSearch list={list} label={t('access.robots.search')} style={{ maxWidth: 320 }} />
        {can.create ? (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('access.robots.new')}
          </Button>
        ) : null}
      </Flex>
      <ApiTable<Robot>
        list={list}
        columns={columns}
        rowKey="id"
        label={t('access.robots.label')}
        empty={can.create ? t('access.robots.empty') : t('access.robots.emptyReadOnly')}
        expandable={{ expandedRowRender: (robot) => <PermissionSummary robot={robot} level={level} /> }}
      />
      <RobotDialog
        key={opening}
        open={editing !== null}
        level={level}
        projectName={project?.name}
        robot={editing === 'new' || editing === null ? undefined : editing}
        options={options}
        onClose={() => setEditing(null)}
        onSaved={({ name, secret }) => {
          setEditing(null);
          if (secret) setShown({ name, secret });
          else message.success(t('access.robots.saved', { name }));
          list.reload();
        }}
      />
      <RobotSecretDialog name={shown?.name ?? ''} secret={shown?.secret ?? null} onClose={() => setShown(null)} />
    </Flex>
  );
}

function projectsOf(robot: Robot): string[] {
  return robot.permissions.filter((scope) => scope.kind === 'project').map((scope) => scope.namespace);
}

function countOf(permissions: RobotPermission[]): number {
  return permissions.reduce((sum, scope) => sum + scope.access.length, 0);
}

/** A robot's permissions in words: per scope, each resource with its actions (denials marked). */
function PermissionSummary({ robot, level }: { robot: Robot; level: RobotLevel }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={8} data-testid="robot-permission-summary">
      {robot.permissions.map((scope) => {
        const byResource = new Map<string, { action: string; deny: boolean }[]>();
        for (const entry of scope.access) {
          const actions = byResource.get(entry.resource) ?? [];
          actions.push({ action: entry.action, deny: entry.effect === 'deny' });
          byResource.set(entry.resource, actions);
        }
        return (
          <Flex vertical gap={4} key={`${scope.kind}:${scope.namespace}`}>
            {level === 'system' ? (
              <Typography.Text strong>{scope.namespace === '*' ? t('access.robots.allProjects') : scope.namespace}</Typography.Text>
            ) : null}
            {[...byResource].map(([resource, actions]) => (
              <Flex wrap gap={4} key={resource} align="baseline">
                <Typography.Text type="secondary" style={{ minWidth: 140 }}>
                  {resource === '*' ? '*' : resourceLabel(t, resource)}
                </Typography.Text>
                {actions.map(({ action, deny }) => (
                  <Tag key={`${action}:${deny}`} color={deny ? 'red' : 'blue'}>
                    {action === '*' ? '*' : actionLabel(t, action)}
                    {deny ? ` (${t('access.robots.deny')})` : ''}
                  </Tag>
                ))}
              </Flex>
            ))}
          </Flex>
        );
      })}
    </Flex>
  );
}
