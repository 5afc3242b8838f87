import type { SettingsReader, SystemSettings } from '../domain/system-settings';
import type { Authenticator } from './authenticator';

/**
 * The authenticator of the `auth_mode` in force: a system admin may switch
 * it at run time (while admin is the only user), and the next login follows.
 */
export class ModeAuthenticator implements Authenticator {
  constructor(
    private readonly settings: SettingsReader,
    private readonly byMode: Record<SystemSettings['authMode'], Authenticator>,
  ) {}

  async authenticate(username: string, password: string) {
    const { authMode } = await this.settings.current();
    return this.byMode[authMode].authenticate(username, password);
  }
}
