import { request, requestJson } from './http';
import { listParams, Page, pageOf, PageQuery } from './page';
import { pathSegment, repositoryApiPath } from './repository.api';

/** Harbor's `Tag` (the fields the portal reads). */
export interface Tag {
  id: number;
  name: string;
  push_time: string;
}

/** Harbor's `Platform` as an index's `references` carry it. */
export interface Platform {
  os?: string;
  architecture?: string;
  variant?: string;
  'os.version'?: string;
}

/** Harbor's `Reference`: a child of an index. */
export interface Reference {
  parent_id: number;
  child_id?: number;
  child_digest: string;
  platform?: Platform;
}

/** Harbor's `Artifact` (the fields the portal reads). */
export interface Artifact {
  id: number;
  type: string;
  media_type: string;
  manifest_media_type: string;
  artifact_type?: string;
  digest: string;
  size: number;
  push_time: string;
  pull_time: string;
  tags?: Tag[] | null;
  references?: Reference[] | null;
  extra_attrs?: { architecture?: string; os?: string; author?: string; created?: string };
}

/** Harbor's `BuildHistoryEntry`. */
export interface BuildHistoryEntry {
  created: string;
  created_by: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** One layer as core's `layers` addition lists it. */
export interface Layer {
  media_type: string;
  digest: string;
  size: number;
}

/** Harbor's `Repository` (the fields the portal reads). */
function artifactPath(projectName: string, repositoryName: string, reference: string): string {
  return `${repositoryApiPath(projectName, repositoryName)}/artifacts/${pathSegment(encodeURIComponent(reference))}`;
}

/** Characters a tag may hold; anything else in a search could only break Harbor's `q` (commas, ranges, quotes). */
function tagSearch(search: string | undefined): string | undefined {
  const cleaned = (search ?? '').replace(/[^A-Za-z0-9._-]/g, '');
  return cleaned ? `tags=~${cleaned}` : undefined;
}

/** One page of a repository's artifacts, newest push first, with their tags; `search` matches part of a tag. */
export async function listArtifacts(projectName: string, repositoryName: string, query: PageQuery & { search?: string }): Promise<Page<Artifact>> {
  const params = listParams(query, { with_tag: 'true', with_label: 'false', sort: '-push_time', q: tagSearch(query.search) });
  return pageOf<Artifact>(await request(`${repositoryApiPath(projectName, repositoryName)}/artifacts?${params}`));
}

/** One artifact by digest or tag, with its tags. */
export function getArtifact(projectName: string, repositoryName: string, reference: string): Promise<Artifact> {
  return requestJson<Artifact>(`${artifactPath(projectName, repositoryName, reference)}?with_tag=true&with_label=false`);
}

/** The image config's history, step by step. */
export function buildHistory(projectName: string, repositoryName: string, reference: string): Promise<BuildHistoryEntry[]> {
  return requestJson<BuildHistoryEntry[]>(`${artifactPath(projectName, repositoryName, reference)}/additions/build_history`);
}

/** The manifest's layers in order (core's own `layers` addition; an index has none). */
export function listLayers(projectName: string, repositoryName: string, reference: string): Promise<Layer[]> {
  return requestJson<Layer[]>(`${artifactPath(projectName, repositoryName, reference)}/additions/layers`);
}

/** Harbor's retag within the repository: `name` comes to point at the artifact. */
export async function addTag(projectName: string, repositoryName: string, reference: string, name: string): Promise<void> {
  await request(`${artifactPath(projectName, repositoryName, reference)}/tags`, { method: 'POST', json: { name } });
}

export async function deleteTag(projectName: string, repositoryName: string, reference: string, name: string): Promise<void> {
  await request(`${artifactPath(projectName, repositoryName, reference)}/tags/${pathSegment(encodeURIComponent(name))}`, { method: 'DELETE' });
}

/** Deletes the artifact, and with it every tag pointing at it. */
export async function deleteArtifact(projectName: string, repositoryName: string, reference: string): Promise<void> {
  await request(artifactPath(projectName, repositoryName, reference), { method: 'DELETE' });
}

/** Harbor's tag rule; the server checks it again. */
export const tagNamePattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** `sha256:0123456789ab…` → `sha256:01234567`, as lists show digests. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 8) : digest.slice(0, colon + 9);
}

/** What a client pulls: `docker pull host/project/repo:tag` or `…@sha256:…`. */
export function pullCommand(host: string, projectName: string, repositoryName: string, ref: { tag: string } | { digest: string }): string {
  const name = `${host}/${projectName}/${repositoryName}`;
  return 'tag' in ref ? `docker pull ${name}:${ref.tag}` : `docker pull ${name}@${ref.digest}`;
}

/** An index lists other manifests; it has platforms instead of layers. */
export function isIndex(artifact: Artifact): boolean {
  return (artifact.references?.length ?? 0) > 0 || /index|manifest\.list/.test(artifact.manifest_media_type);
}

/** `linux/arm64/v8`, from what a platform names. */
export function platformText(platform: Platform | undefined): string {
  if (!platform) return '';
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}

/** Go's zero time is Harbor's "never" (a pull time of an artifact never pulled). */
export function isNever(time: string | undefined): boolean {
  return !time || time.startsWith('0001-01-01');
}
