import { AppError } from '@harbor/errors';
import { IssuedToken, parseScopes } from '@harbor/auth';
import type { Logger } from '@harbor/logging';
import type { LoginGate } from '../auth/login-gate';
import type { TokenSigner } from '../auth/token-signer';
import { anonymous, Caller, isSysadmin } from '../domain/caller';
import { robotLoginName } from '../domain/robot';
import { grantAccess, projectsNamedIn } from '../domain/registry-access';
import type { SettingsReader } from '../domain/system-settings';
import type { ProjectAccess } from './project-access';

export interface TokenRequest {
  credentials: { username: string; password: string } | null;
  service: string | undefined;
  scopes: string[];
  /** The client's address, for login throttling. */
  source: string;
}

/** More scopes than any real client sends in one request; beyond that it is abuse. */
const maxScopes = 100;

/**
 * The Docker token service: who is asking (Basic credentials or nobody),
 * what they asked for (scopes), and a signed token granting exactly the
 * part of that they may do.
 */
export class TokenController {
  constructor(
    private readonly gate: LoginGate,
    private readonly access: ProjectAccess,
    private readonly signer: TokenSigner,
    private readonly logger: Logger,
    /** token_expiration, which a system admin may change at run time. */
    private readonly settings: SettingsReader,
  ) {}

  async issue(request: TokenRequest): Promise<IssuedToken> {
    if (request.service !== this.signer.audience) {
      throw new AppError('BAD_REQUEST', `unknown service ${JSON.stringify(request.service ?? '')}: expected ${this.signer.audience}`);
    }
    if (request.scopes.length > maxScopes) throw new AppError('BAD_REQUEST', 'too many scopes');
    const caller = await this.callerOf(request.credentials, request.source);
    const requested = parseScopes(request.scopes);
    const actionsByProject = await this.access.actionsByProjectName(caller, projectsNamedIn(requested));
    const granted = grantAccess(requested, { sysadmin: isSysadmin(caller), actionsByProject });
    const subject = caller.kind === 'user' ? caller.user.username : caller.kind === 'robot' ? robotLoginName(caller.robot) : '';
    this.logger.debug(`token for ${subject || 'anonymous'}: ${granted.map((g) => `${g.type}:${g.name}:${g.actions.join(',')}`).join(' ') || 'no scope'}`);
    return this.signer.sign(subject, granted, (await this.settings.current()).tokenExpirationMinutes);
  }

  private async callerOf(credentials: TokenRequest['credentials'], source: string): Promise<Caller> {
    if (!credentials) return anonymous;
    const caller = await this.gate.login(credentials.username, credentials.password, source);
    if (!caller) throw new AppError('UNAUTHORIZED', 'authentication failed: wrong username or password');
    return caller;
  }
}
