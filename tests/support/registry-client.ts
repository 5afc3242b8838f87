import { createHash } from 'node:crypto';

/**
 * Just enough of the OCI distribution API to push and read what the client
 * binaries cannot (artifacts, referrers), through the proxy, with a token
 * from the suite's own token service.
 */
export class RegistryClient {
  constructor(
    private readonly url: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** A bearer token for `scopes` (e.g. `repository:library/x:pull,push`), as `docker login` would get it. */
  async token(...scopes: string[]): Promise<string> {
    const query = new URLSearchParams({ service: 'harbor-registry' });
    for (const scope of scopes) query.append('scope', scope);
    const res = await fetch(`${this.url}/service/token?${query.toString()}`, {
      headers: { authorization: `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}` },
    });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  async request(method: string, path: string, token: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
      body: init.body,
    });
  }

  /** Pushes bytes as a blob in one request; answers the digest. */
  async pushBlob(name: string, bytes: Buffer, token: string): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const res = await this.request('POST', `/v2/${name}/blobs/uploads/?digest=${digest}`, token, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    if (res.status !== 201) throw new Error(`blob push: ${res.status} ${await res.text()}`);
    return digest;
  }

  /** PUTs a manifest; answers the response so callers can check its headers. */
  async putManifest(name: string, reference: string, bytes: Buffer, mediaType: string, token: string): Promise<Response> {
    return this.request('PUT', `/v2/${name}/manifests/${reference}`, token, { body: bytes, headers: { 'content-type': mediaType } });
  }
}
