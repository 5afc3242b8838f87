import type { Logger } from '@harbor/logging';
import { SecretBox } from '../auth/secret-box';
import type { SystemSettingDao } from '../dao/system-setting.dao';
import { SystemSettings } from '../domain/system-settings';
import { SystemSettingsStore } from './system-settings';

/**
 * The settings cache's own rules, with the table played by a map (the real
 * table is exercised by __tests__/configurations.test.ts): one read per TTL
 * however many callers, a save is seen at once, a read racing a save never
 * brings old values back, a database hiccup keeps the last settings, and
 * stored rows that no longer fit are skipped (logged once).
 */
describe('SystemSettingsStore', () => {
  const base: SystemSettings = {
    authMode: 'db_auth',
    ldap: {
      url: '', searchDn: '', searchPassword: 'from-cfg', baseDn: '', filter: '', uid: 'uid', scope: 'sub', timeoutSeconds: 5, verifyCertificate: true,
      group: { baseDn: '', filter: '(objectClass=groupOfNames)', nameAttribute: 'cn', scope: 'sub', adminDn: '', membershipAttribute: 'memberof' },
    },
    selfRegistration: false,
    projectCreationRestriction: 'everyone',
    tokenExpirationMinutes: 30,
    robotTokenDurationDays: 30,
  };

  class TableStandIn {
    rows = new Map<string, string>();
    reads = 0;
    failing = false;
    gate: Promise<void> | undefined;
    async all(): Promise<Map<string, string>> {
      this.reads++;
      const snapshot = new Map(this.rows);
      if (this.gate) await this.gate;
      if (this.failing) throw new Error('connection lost');
      return snapshot;
    }
    async put(values: Map<string, string>): Promise<void> {
      for (const [k, v] of values) this.rows.set(k, v);
    }
  }

  let table: TableStandIn;
  let clock: number;
  let warnings: string[];
  const box = new SecretBox(() => 'ab'.repeat(32));
  const storeOf = () =>
    new SystemSettingsStore(table as unknown as SystemSettingDao, base, box, { warning: (m: string) => warnings.push(m) } as unknown as Logger, {
      ttlMs: 5000,
      now: () => clock,
    });

  beforeEach(() => {
    table = new TableStandIn();
    clock = 1_000_000;
    warnings = [];
  });

  it('starts from harbor.cfg and reads the table once per TTL, however many callers ask at once', async () => {
    const store = storeOf();
    const all = await Promise.all([store.current(), store.current(), store.current()]);
    expect(all.every((s) => s.selfRegistration === false)).toBe(true);
    expect(table.reads).toBe(1);
    clock += 4999;
    await store.current();
    expect(table.reads).toBe(1);
    table.rows.set('self_registration', 'true');
    clock += 2;
    expect((await store.current()).selfRegistration).toBe(true);
    expect(table.reads).toBe(2);
  });

  it('sees its own save at once, secrets sealed in the table and open in the settings', async () => {
    const store = storeOf();
    await store.current();
    await store.save({ token_expiration: 7, ldap_search_password: 'pw-123' });
    expect(table.rows.get('token_expiration')).toBe('7');
    expect(table.rows.get('ldap_search_password')).not.toContain('pw-123');
    const now = await store.current();
    expect(now.tokenExpirationMinutes).toBe(7);
    expect(now.ldap.searchPassword).toBe('pw-123');
  });

  it('does not let a read that started before a save put the old values back', async () => {
    const store = storeOf();
    let open!: () => void;
    table.gate = new Promise<void>((r) => (open = r));
    const early = store.current();
    await Promise.resolve();
    table.gate = undefined;
    await store.save({ self_registration: true });
    // Asked while the old read is still out: a fresh read, not the old one's answer.
    const later = store.current();
    open();
    expect((await early).selfRegistration).toBe(false);
    expect((await later).selfRegistration).toBe(true);
    expect((await store.current()).selfRegistration).toBe(true);
    expect(table.reads).toBe(2);
  });

  it('keeps the last settings while the table cannot be read, and fails only with none yet', async () => {
    table.failing = true;
    await expect(storeOf().current()).rejects.toThrow('connection lost');

    table.failing = false;
    table.rows.set('self_registration', 'true');
    const store = storeOf();
    await store.current();
    table.failing = true;
    clock += 10_000;
    expect((await store.current()).selfRegistration).toBe(true);
    expect(warnings.join('\n')).toContain('keeping the last settings');
  });

  it('skips stored rows that no longer fit (unknown key, wrong type, out of range, broken JSON, a secret from another key), once logged', async () => {
    table.rows.set('no_such_setting', 'true');
    table.rows.set('self_registration', '"yes"');
    table.rows.set('token_expiration', '0');
    table.rows.set('ldap_uid', '{');
    table.rows.set('ldap_search_password', JSON.stringify(new SecretBox(() => 'other key').seal('x')));
    table.rows.set('ldap_timeout', '9');
    const store = storeOf();
    const settings = await store.current();
    expect(settings.ldap.timeoutSeconds).toBe(9);
    expect(settings.selfRegistration).toBe(false);
    expect(settings.tokenExpirationMinutes).toBe(30);
    expect(settings.ldap.uid).toBe('uid');
    expect(settings.ldap.searchPassword).toBe('from-cfg');
    expect(warnings).toHaveLength(5);
    clock += 10_000;
    await store.current();
    expect(warnings).toHaveLength(5);
  });
});
