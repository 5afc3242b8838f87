import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { waitFor } from '@harbor/testkit';
import { RegistryClient } from '../../../support/registry-client';
import type { Step, TourContext } from '../tour';
import { privateProject, publicProject } from './projects.steps';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const repo = (ctx: TourContext) => `/projects/${privateProject(ctx)}/repositories/hello`;
const artifacts = (ctx: TourContext) => `${repo(ctx)}/artifacts`;

/** Pushes `<private project>/hello:v1` (one small layer) as the developer and waits for core to record it. */
async function pushImage(ctx: TourContext): Promise<void> {
  const dev = ctx.credentials.get('developer')!;
  const client = new RegistryClient(ctx.url, dev.username, dev.password);
  const name = `${privateProject(ctx)}/hello`;
  const token = await client.token(`repository:${name}:pull,push`);
  const layer = gzipSync(Buffer.from(`contract tour ${randomBytes(8).toString('hex')}`));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      history: [{ created: new Date().toISOString(), created_by: 'contract tour: ADD layer /' }],
    }),
  );
  await client.pushBlob(name, layer, token);
  await client.pushBlob(name, config, token);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  const res = await client.putManifest(name, 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json', token);
  if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
  ctx.set('artifact.digest', sha256(manifest));
  const auth = `Basic ${Buffer.from(`${dev.username}:${dev.password}`).toString('base64')}`;
  // Core learns of the push from the registry's event, sent after the response.
  await waitFor('the pushed artifact in core', async () => (await fetch(`${ctx.url}/api/v2.0${artifacts(ctx)}/v1`, { headers: { authorization: auth } })).status === 200, {
    timeoutMs: 20_000,
    intervalMs: 200,
  }).catch(() => undefined);
}

type Artifact = { digest: string; tags?: Array<{ name: string }> | null };

/** Repositories, artifacts and tags of a pushed image, seen by each kind of caller. */
export const registrySteps: Step[] = [
  {
    name: 'a guest lists the project’s repositories (after the developer pushed hello:v1)',
    area: 'repositories',
    as: 'guest',
    method: 'GET',
    path: (ctx) => `/projects/${privateProject(ctx)}/repositories`,
    before: pushImage,
    status: 200,
    then: (res, ctx) => expect(res.json<Array<{ name: string }>>().map((r) => r.name)).toEqual([`${privateProject(ctx)}/hello`]),
  },
  { name: 'a non-member may not list the private project’s repositories', area: 'repositories', as: 'nonMember', method: 'GET', path: (ctx) => `/projects/${privateProject(ctx)}/repositories`, status: 403 },
  { name: 'anonymous may not list the private project’s repositories', area: 'repositories', as: 'anonymous', method: 'GET', path: (ctx) => `/projects/${privateProject(ctx)}/repositories`, status: 401 },
  { name: 'admin lists all repositories', area: 'repositories', as: 'admin', method: 'GET', path: '/repositories?page_size=100', status: 200 },
  { name: 'a guest gets the repository', area: 'repositories', as: 'guest', method: 'GET', path: repo, status: 200 },
  {
    name: 'a developer describes the repository',
    area: 'repositories',
    as: 'developer',
    method: 'PUT',
    path: repo,
    body: { description: 'pushed by the contract tour' },
    status: 200,
  },
  { name: 'a maintainer describes the repository', area: 'repositories', as: 'maintainer', method: 'PUT', path: repo, body: { description: 'pushed by the contract tour' }, status: 200 },
  { name: 'a guest may not describe the repository', area: 'repositories', as: 'guest', method: 'PUT', path: repo, body: { description: 'no' }, status: 403 },
  { name: 'the same repository through another project is 404', area: 'repositories', as: 'admin', method: 'GET', path: (ctx) => `/projects/${publicProject(ctx)}/repositories/hello`, status: 404 },
  {
    name: 'a guest lists artifacts with tags',
    area: 'artifacts',
    as: 'guest',
    method: 'GET',
    path: (ctx) => `${artifacts(ctx)}?with_tag=true&with_label=true&page_size=10`,
    status: 200,
    then: (res, ctx) => expect(res.json<Artifact[]>().map((a) => a.digest)).toEqual([ctx.get<string>('artifact.digest')]),
  },
  { name: 'a limited guest lists artifacts', area: 'artifacts', as: 'limitedGuest', method: 'GET', path: artifacts, status: 200 },
  { name: 'a guest gets the artifact by tag', area: 'artifacts', as: 'guest', method: 'GET', path: (ctx) => `${artifacts(ctx)}/v1?with_tag=true`, status: 200 },
  { name: 'a guest gets the artifact by digest', area: 'artifacts', as: 'guest', method: 'GET', path: (ctx) => `${artifacts(ctx)}/${ctx.get<string>('artifact.digest')}`, status: 200 },
  { name: 'the build history of the artifact', area: 'artifacts', as: 'guest', method: 'GET', path: (ctx) => `${artifacts(ctx)}/v1/additions/build_history`, status: 200 },
  { name: 'artifacts of the whole project', area: 'project-artifacts', as: 'guest', method: 'GET', path: (ctx) => `/projects/${privateProject(ctx)}/artifacts`, status: 200 },
  { name: 'a guest lists the tags', area: 'artifacts', as: 'guest', method: 'GET', path: (ctx) => `${artifacts(ctx)}/v1/tags`, status: 200 },
  { name: 'a developer tags the artifact v2', area: 'artifacts', as: 'developer', method: 'POST', path: (ctx) => `${artifacts(ctx)}/v1/tags`, body: { name: 'v2' }, status: 201 },
  { name: 'tagging v2 again is a conflict', area: 'artifacts', as: 'developer', method: 'POST', path: (ctx) => `${artifacts(ctx)}/v1/tags`, body: { name: 'v2' }, status: 409 },
  { name: 'a guest may not tag', area: 'artifacts', as: 'guest', method: 'POST', path: (ctx) => `${artifacts(ctx)}/v1/tags`, body: { name: 'v3' }, status: 403 },
  { name: 'a maintainer deletes tag v2', area: 'artifacts', as: 'maintainer', method: 'DELETE', path: (ctx) => `${artifacts(ctx)}/v1/tags/v2`, status: 200 },
  { name: 'a missing artifact is 404', area: 'artifacts', as: 'guest', method: 'GET', path: (ctx) => `${artifacts(ctx)}/nope`, status: 404 },
  { name: 'a path-looking repository name', area: 'hostile', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateProject(ctx)}/repositories/..%252F..%252Fetc`, status: [400, 404] },
  { name: 'a non-member searches and sees nothing private', area: 'search', as: 'nonMember', method: 'GET', path: (ctx) => `/search?q=${ctx.suffix}`, status: 200, then: (res, ctx) => expect(JSON.stringify(res.json())).not.toContain(privateProject(ctx)) },
  { name: 'a developer searches and finds the project and its repository', area: 'search', as: 'developer', method: 'GET', path: (ctx) => `/search?q=${ctx.suffix}`, status: 200 },
  { name: 'admin reads the statistics', area: 'statistics', as: 'admin', method: 'GET', path: '/statistics', status: 200 },
  { name: 'a plain user reads the statistics', area: 'statistics', as: 'guest', method: 'GET', path: '/statistics', status: 200 },
  { name: 'anonymous may not read the statistics', area: 'statistics', as: 'anonymous', method: 'GET', path: '/statistics', status: 401 },
  { name: 'admin reads the audit log', area: 'audit', as: 'admin', method: 'GET', path: '/audit-logs?page_size=5', status: 200 },
  { name: 'admin filters the audit log', area: 'audit', as: 'admin', method: 'GET', path: `/audit-logs?q=${encodeURIComponent('operation=create')}`, status: 200 },
  { name: 'the project admin reads the project’s log', area: 'audit', as: 'projectAdmin', method: 'GET', path: (ctx) => `/projects/${privateProject(ctx)}/logs`, status: 200 },
  { name: 'a developer may not delete the artifact', area: 'artifacts', as: 'developer', method: 'DELETE', path: (ctx) => `${artifacts(ctx)}/${ctx.get<string>('artifact.digest')}`, status: 403 },
  { name: 'a maintainer deletes the artifact', area: 'artifacts', as: 'maintainer', method: 'DELETE', path: (ctx) => `${artifacts(ctx)}/${ctx.get<string>('artifact.digest')}`, status: 200 },
  { name: 'a maintainer deletes the repository', area: 'repositories', as: 'maintainer', method: 'DELETE', path: repo, status: 200 },
];
