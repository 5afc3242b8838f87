import type { RobotRecord } from '../domain/robot';
import { robotLoginName } from '../domain/robot';

/** Harbor's `Robot`; the secret is never part of it. */
export function robotResp(robot: RobotRecord): Record<string, unknown> {
  return {
    id: robot.id,
    name: robotLoginName(robot),
    description: robot.description,
    level: robot.level,
    duration: robot.duration,
    editable: true,
    disable: robot.disabled,
    expires_at: robot.expiresAt,
    permissions: robot.permissions.map((scope) => ({
      kind: scope.kind,
      namespace: scope.namespace,
      access: scope.access.map((a) => ({ resource: a.resource, action: a.action, effect: a.effect })),
    })),
    creator_type: robot.creatorType,
    creator_ref: robot.creatorRef,
    creation_time: robot.creationTime.toISOString(),
    update_time: robot.updateTime.toISOString(),
  };
}

/** Harbor's `RobotCreated`: the only answer that carries the secret, with `RobotSec` after a refresh. */
export function robotCreatedResp(robot: RobotRecord, secret: string): Record<string, unknown> {
  return {
    id: robot.id,
    name: robotLoginName(robot),
    secret,
    creation_time: robot.creationTime.toISOString(),
    expires_at: robot.expiresAt,
  };
}
