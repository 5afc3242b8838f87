import { AppError } from '@harbor/errors';
import type { Caller } from '../domain/caller';
import type { UserDao } from '../dao/user.dao';
import { jsonObjectBody } from '../domain/json-body';
import { ConfigurationValue, configurationItems, configurationProblem, settingsProblem, withValues } from '../domain/system-settings';
import { requireSysadmin } from './guards';
import type { AuditLog } from './audit-log';
import type { SystemSettingsStore } from './system-settings';

/** One item of Harbor's `ConfigurationsResponse`. */
export interface ConfigurationEntry {
  value: ConfigurationValue;
  editable: boolean;
}

/**
 * `GET|PUT /configurations`: the run-time settings, for system admins only.
 * Secrets (the LDAP search password) are accepted and never shown.
 */
export class ConfigurationController {
  constructor(
    private readonly settings: SystemSettingsStore,
    private readonly users: UserDao,
    private readonly audit?: AuditLog,
  ) {}

  async get(caller: Caller): Promise<Record<string, ConfigurationEntry>> {
    requireSysadmin(caller);
    const [settings, authModeEditable] = await Promise.all([this.settings.current(), this.authModeCanChange()]);
    const entries: Record<string, ConfigurationEntry> = {};
    for (const [name, item] of Object.entries(configurationItems)) {
      if (item.secret) continue;
      entries[name] = { value: item.read(settings), editable: name === 'auth_mode' ? authModeEditable : true };
    }
    return entries;
  }

  /**
   * Changes the keys given (a partial `Configurations`), all or none: every
   * key and value is checked before anything is stored. Null means "not sent",
   * as Harbor's fields are nullable.
   */
  async update(caller: Caller, body: unknown): Promise<void> {
    const admin = requireSysadmin(caller);
    const values: Record<string, ConfigurationValue> = {};
    for (const [name, value] of Object.entries(jsonObjectBody(body))) {
      if (value === null) continue;
      const problem = configurationProblem(name, value);
      if (problem) throw new AppError('BAD_REQUEST', problem);
      values[name] = value as ConfigurationValue;
    }
    if (Object.keys(values).length === 0) return;
    const current = await this.settings.current();
    const next = withValues(current, values);
    const problem = settingsProblem(next);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    // As Harbor: once users other than admin exist, they belong to one authentication source.
    if (next.authMode !== current.authMode && !(await this.authModeCanChange())) {
      throw new AppError('BAD_REQUEST', 'the auth mode cannot be changed: users other than admin already exist');
    }
    await this.settings.save(values);
    await this.audit?.record({ projectId: 0, operation: 'update', resourceType: 'configuration', resource: Object.keys(values).sort().join(','), username: admin.username });
  }

  /** Only admin exists (Harbor's rule for changing auth_mode). */
  private async authModeCanChange(): Promise<boolean> {
    const { total } = await this.users.list({}, [], { offset: 0, limit: 1 });
    return total <= 1;
  }
}
