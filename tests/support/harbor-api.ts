/** A thin client for the few /api/v2.0 calls the end-to-end tests make. */
export class HarborApi {
  constructor(
    private readonly url: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}/api/v2.0${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async expectStatus(res: Response, status: number, what: string): Promise<void> {
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${await res.text()}`);
  }

  async createUser(username: string, password: string): Promise<void> {
    const res = await this.call('POST', '/users', {
      username,
      password,
      email: `${username}@example.test`,
      realname: username,
      comment: 'e2e',
    });
    await this.expectStatus(res, 201, `create user ${username}`);
  }

  async createProject(name: string, isPublic: boolean): Promise<void> {
    const res = await this.call('POST', '/projects', { project_name: name, metadata: { public: String(isPublic) } });
    await this.expectStatus(res, 201, `create project ${name}`);
  }

  /** Role ids as in Harbor: 1 projectAdmin, 2 developer, 3 guest, 4 maintainer, 5 limitedGuest. */
  async addMember(project: string, username: string, roleId: number): Promise<void> {
    const res = await this.call('POST', `/projects/${project}/members`, { role_id: roleId, member_user: { username } });
    await this.expectStatus(res, 201, `add ${username} to ${project}`);
  }
}
