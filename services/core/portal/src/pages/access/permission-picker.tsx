import { Button, Checkbox, Flex, Space, Typography } from 'antd';
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';
import { actionLabel, resourceLabel } from './permission-labels';
import { accessKey, optionKeys, PermissionGroup, projectRobotOptions } from './robot-permissions';

/**
 * Props of the permission picker (a Form control: `value`/`onChange`):
 * - `value`: ticked `resource:action` keys (see robot-permissions.ts for the
 *   mapping to and from a robot's `permissions` body);
 * - `onChange(keys)`: the new ticks, in the options' order;
 * - `options`: the rows offered, default `projectRobotOptions`;
 * - `disabled`.
 */
export interface PermissionPickerProps {
  value?: string[];
  onChange?(keys: string[]): void;
  options?: PermissionGroup[];
  disabled?: boolean;
  id?: string;
}

/**
 * One row per resource with a checkbox per action; each row is a labelled
 * group, so "Read" of artifacts and "Read" of tags are told apart by screen
 * readers (and tests). Rows wrap on a narrow screen.
 */
export function PermissionPicker({ value = [], onChange, options = projectRobotOptions, disabled, id }: PermissionPickerProps) {
  const { t } = useI18n();
  const base = useId();
  const ticked = new Set(value);
  const all = optionKeys(options);
  // Keys the options do not offer stay in the value untouched.
  const foreign = value.filter((key) => !all.includes(key));
  const emit = (next: Set<string>) => onChange?.([...all.filter((key) => next.has(key)), ...foreign]);

  function setRow(group: PermissionGroup, actions: string[]) {
    const next = new Set(ticked);
    group.actions.forEach((action) => next.delete(accessKey(group.resource, action)));
    actions.forEach((action) => next.add(accessKey(group.resource, action)));
    emit(next);
  }

  return (
    <div id={id} data-testid="permission-picker" style={{ minWidth: 0 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Button size="small" disabled={disabled} onClick={() => emit(new Set(all))}>
          {t('access.picker.all')}
        </Button>
        <Button size="small" disabled={disabled} onClick={() => emit(new Set())}>
          {t('access.picker.none')}
        </Button>
      </Space>
      <Flex vertical gap={6}>
        {options.map((group) => {
          const labelId = `${base}-${group.resource}`;
          const rowValue = group.actions.filter((action) => ticked.has(accessKey(group.resource, action)));
          return (
            <Flex key={group.resource} wrap gap={8} align="baseline" role="group" aria-labelledby={labelId}>
              <Typography.Text id={labelId} strong style={{ width: 150, flex: '0 0 auto' }}>
                {resourceLabel(t, group.resource)}
              </Typography.Text>
              <Checkbox.Group
                disabled={disabled}
                value={rowValue}
                onChange={(actions) => setRow(group, actions)}
                options={group.actions.map((action) => ({ value: action, label: actionLabel(t, action) }))}
                style={{ flexWrap: 'wrap', minWidth: 0 }}
              />
            </Flex>
          );
        })}
      </Flex>
    </div>
  );
}
