import type { Authenticator } from './authenticator';
import type { LoginThrottle } from './login-throttle';
import type { RobotAuthenticator } from './robot-authenticator';
import { Caller, robotCaller, userCaller } from '../domain/caller';
import { robotPrefix } from '../domain/robot';

/**
 * The one door for a username and password, wherever they arrive: portal
 * login, Basic auth on the API, the token service. Robots (`robot$…`) are
 * checked against their secrets, everyone else by the configured
 * authenticator; failures feed the throttle, which may refuse (429) before
 * any password is checked.
 */
export class LoginGate {
  constructor(
    private readonly users: Authenticator,
    private readonly robots: RobotAuthenticator,
    private readonly throttle: LoginThrottle,
  ) {}

  /** The caller these credentials prove, or null when they do not match. Throws TOO_MANY_REQUEST while throttled. */
  async login(username: string, password: string, source: string): Promise<Caller | null> {
    await this.throttle.check(username, source);
    let caller: Caller | null = null;
    if (username.startsWith(robotPrefix)) {
      const robot = await this.robots.authenticate(username, password);
      if (robot) caller = robotCaller(robot);
    } else {
      const user = await this.users.authenticate(username, password);
      if (user) caller = userCaller(user);
    }
    if (caller) await this.throttle.succeeded(username);
    else await this.throttle.failed(username, source);
    return caller;
  }
}
