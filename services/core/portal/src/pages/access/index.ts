/**
 * The robot account pieces shared by the project robots tab and the system
 * robots page (/harbor/robot-accounts). Props are documented on each:
 * - RobotList({ level, project?, can: {create, update, delete}, options? }): the whole list with every action;
 * - RobotDialog({ open, level, projectName?, robot?, options?, onClose, onSaved({name, secret?}) }): create/edit;
 * - RobotSecretDialog({ name, secret: string | null, onClose }): the secret, shown once, with copy buttons;
 * - PermissionPicker({ value?: string[], onChange?, options?, disabled? }): resource/action checkboxes (a Form control);
 * - robot-permissions.ts: the ticks ↔ `permissions` body mapping (projectRobotPermissions, systemRobotPermissions, scopesOfRobot…).
 */
export { PermissionPicker } from './permission-picker';
export type { PermissionPickerProps } from './permission-picker';
export { RobotDialog } from './robot.dialog';
export type { RobotDialogProps } from './robot.dialog';
export { RobotList } from './robot-list';
export type { RobotListProps } from './robot-list';
export { RobotSecretDialog } from './robot-secret.dialog';
export type { RobotSecretDialogProps } from './robot-secret.dialog';
export * from './robot-permissions';
