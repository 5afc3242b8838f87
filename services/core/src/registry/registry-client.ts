import { internalAuthorization } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { TokenSigner } from '../auth/token-signer';

export interface RegistryClientOptions {
  /** The registry's internal address (`registryUrl` in core's config). */
  baseUrl: string;
  /** Signs core's own short-lived tokens; each call gets a token for exactly one repository and the actions it needs. */
  signer: TokenSigner;
  internalSecret: string;
  /** Sent as User-Agent, so the events of core's own writes can be told apart from clients'. */
  userAgent: string;
  timeoutMs?: number;
}

/** The User-Agent prefix of core's calls to the registry. */
export const coreUserAgentPrefix = 'harbor-core/';

/**
 * Core's way of changing registry content: through the registry's own API,
 * so the registry stays the one writer of its tables. Every call names the
 * user it acts for (the token subject, hence the event's actor).
 */
export class RegistryClient {
  constructor(private readonly options: RegistryClientOptions) {}

  /** Bytes of a blob of the repository, refused when bigger than `maxBytes`. */
  async getBlob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    const res = await this.v2('GET', repository, `blobs/${digest}`, ['pull'], 'harbor-core');
    if (res.status === 404) throw new AppError('NOT_FOUND', `blob ${digest} not found in ${repository}`);
    if (res.status !== 200) await this.expect(res, 200, `get blob ${digest}`);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `blob ${digest} is larger than ${maxBytes} bytes`);
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `blob ${digest} is larger than ${maxBytes} bytes`);
    return body;
  }

  async deleteManifest(repository: string, digest: string, actor: string): Promise<void> {
    const res = await this.v2('DELETE', repository, `manifests/${digest}`, ['delete'], actor);
    if (res.status === 404) throw new AppError('NOT_FOUND', `artifact ${digest} not found in ${repository}`);
    await this.expect(res, 202, `delete manifest ${digest}`);
  }

  /** Tags a manifest: the same bytes pushed again under the tag name. */
  async putManifest(repository: string, tag: string, content: Buffer, mediaType: string, actor: string): Promise<void> {
    const res = await this.v2('PUT', repository, `manifests/${tag}`, ['pull', 'push'], actor, { body: content, contentType: mediaType });
    await this.expect(res, 201, `tag ${repository}:${tag}`);
  }

  async deleteTag(repository: string, tag: string, actor: string): Promise<void> {
    const res = await this.v2('DELETE', repository, `manifests/${tag}`, ['delete'], actor);
    if (res.status === 404) throw new AppError('NOT_FOUND', `tag ${tag} not found in ${repository}`);
    await this.expect(res, 202, `delete tag ${tag}`);
  }

  async updateDescription(repository: string, description: string): Promise<void> {
    const res = await this.internal('PUT', '/internal/repositories/description', { name: repository, description });
    if (res.status === 404) throw new AppError('NOT_FOUND', `repository ${repository} not found`);
    await this.expect(res, 200, `update description of ${repository}`);
  }

  /** Removes the repository with all its manifests and tags (the registry's internal API). */
  async deleteRepository(repository: string): Promise<void> {
    const res = await this.internal('POST', '/internal/repositories/delete', { name: repository });
    if (res.status === 404) throw new AppError('NOT_FOUND', `repository ${repository} not found`);
    await this.expect(res, 200, `delete repository ${repository}`);
  }

  private async v2(
    method: string,
    repository: string,
    path: string,
    actions: string[],
    actor: string,
    send?: { body: Buffer; contentType: string },
  ): Promise<Response> {
    const token = this.options.signer.sign(actor, [{ type: 'repository', name: repository, actions }]).token;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'user-agent': this.options.userAgent };
    if (send) headers['content-type'] = send.contentType;
    return this.call(`/v2/${repository}/${path}`, { method, headers, body: send?.body });
  }

  private internal(method: string, path: string, body: unknown): Promise<Response> {
    return this.call(path, {
      method,
      headers: {
        authorization: internalAuthorization(this.options.internalSecret),
        'content-type': 'application/json',
        'user-agent': this.options.userAgent,
      },
      body: JSON.stringify(body),
    });
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path, this.options.baseUrl), { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new AppError('SERVICE_UNAVAILABLE', 'the registry is not reachable', undefined, { cause: err });
    }
  }

  private async expect(res: Response, status: number, what: string): Promise<void> {
    if (res.status === status) {
      await res.body?.cancel();
      return;
    }
    const text = (await res.text().catch(() => '')).slice(0, 500);
    throw new AppError('INTERNAL_SERVER_ERROR', `registry refused to ${what}: ${res.status}`, undefined, { cause: new Error(text) });
  }
}
