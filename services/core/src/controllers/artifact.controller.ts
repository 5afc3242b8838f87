import { AppError } from '@harbor/errors';
import type { ArtifactDao, ArtifactFilter, ManifestRecord, TagRecord } from '../dao/artifact.dao';
import type { ArtifactStatDao } from '../dao/artifact-stat.dao';
import type { RepositoryRecord } from '../dao/repository.dao';
import type { Page } from '../dao/user.dao';
import { artifactTypeOf, ArtifactType, isIndexMediaType } from '../domain/artifact-type';
import type { Caller } from '../domain/caller';
import { buildHistoryOf, BuildHistoryEntry, imageExtraAttrs } from '../domain/image-config';
import { ManifestContent, readManifest } from '../domain/manifest-content';
import type { ProjectAction } from '../domain/permission';
import { ArtifactReference, isTagName } from '../domain/repository-path';
import type { ImageConfigs } from '../registry/image-configs';
import type { RegistryClient } from '../registry/registry-client';
import type { AuditLog } from './audit-log';
import type { RepositoryController } from './repository.controller';

/** Harbor's matrix for artifacts and tags, mapped onto the project actions core knows. */
export const artifactPermissions = {
  read: 'repository:pull',
  delete: 'artifact:delete',
  createTag: 'tag:create',
  deleteTag: 'tag:delete',
} as const satisfies Record<string, ProjectAction>;

export interface ArtifactOptions {
  withTag: boolean;
  withAccessory: boolean;
}

export interface ReferenceView {
  parentId: number;
  childId: number | null;
  childDigest: string;
  platform?: Record<string, unknown>;
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface AccessoryView {
  id: number;
  subjectId: number;
  subjectDigest: string;
  repositoryName: string;
  digest: string;
  size: number;
  type: string;
  creationTime: Date;
}

/** One layer of a manifest as the `layers` addition answers it (a descriptor in Harbor's snake case). */
export interface LayerView {
  media_type: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  urls?: string[];
}

/** An artifact as the API shows it, everything the presenter needs. */
export interface ArtifactView {
  id: number;
  type: ArtifactType;
  mediaType: string;
  manifestMediaType: string;
  artifactType: string | null;
  digest: string;
  size: number;
  pushTime: Date;
  pullTime: Date | null;
  projectId: number;
  repositoryId: number;
  repositoryName: string;
  tags: TagRecord[] | null;
  references: ReferenceView[];
  extraAttrs: Record<string, unknown>;
  annotations: Record<string, string>;
  accessories: AccessoryView[] | null;
}

/** How many configs are read from the registry at once when a page of artifacts is shown. */
const configConcurrency = 6;

/** Artifacts and tags. Reads come from the registry's tables; writes go through the registry's API. */
export class ArtifactController {
  constructor(
    private readonly repositories: RepositoryController,
    private readonly artifacts: ArtifactDao,
    private readonly stats: ArtifactStatDao,
    private readonly configs: ImageConfigs,
    private readonly registry: RegistryClient,
    private readonly audit: AuditLog,
  ) {}

  async list(caller: Caller, projectName: string, repositoryName: string, filter: ArtifactFilter, page: Page, options: ArtifactOptions) {
    const { repository } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.read);
    const { total, items } = await this.artifacts.list(repository.repositoryId, filter, page);
    return { total, items: await this.views(repository, items, options) };
  }

  async get(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference, options: ArtifactOptions): Promise<ArtifactView> {
    const { repository } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.read);
    const manifest = await this.find(repository, reference);
    return (await this.views(repository, [manifest], options))[0]!;
  }

  /** Deletes the artifact a digest or tag names (all its tags go with it), with its accessories. */
  async delete(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference): Promise<void> {
    const { repository, username } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.delete);
    const manifest = await this.find(repository, reference);
    const parents = await this.artifacts.parentsOf(repository.repositoryId, manifest.digest);
    if (parents.length > 0) {
      throw new AppError('PRECONDITION', `the artifact ${manifest.digest} is referenced by ${parents.length} index(es): delete those first`);
    }
    for (const accessory of await this.artifacts.accessoriesOf(repository.repositoryId, [manifest.digest])) {
      await this.registry.deleteManifest(repository.name, accessory.digest, username);
    }
    await this.registry.deleteManifest(repository.name, manifest.digest, username);
    await this.stats.forget(repository.name, manifest.digest);
    await this.audit.record({ projectId: repository.projectId, operation: 'delete', resourceType: 'artifact', resource: `${repository.name}@${manifest.digest}`, username });
    await this.deleteOrphanedChildren(repository, manifest, username);
  }

  /**
   * As Harbor does, an index takes with it the children nothing else holds:
   * no tag, no other index listing them, no accessories. Best effort: the
   * index is gone already, a child that cannot go stays as an untagged artifact.
   */
  private async deleteOrphanedChildren(repository: RepositoryRecord, index: ManifestRecord, username: string): Promise<void> {
    const children = readManifest(index.mediaType, index.content).manifests.map((d) => d.digest);
    if (children.length === 0) return;
    const tagged = new Set((await this.artifacts.tagsOf(repository.repositoryId, children)).map((t) => t.digest));
    const withAccessories = new Set((await this.artifacts.accessoriesOf(repository.repositoryId, children)).map((a) => a.subjectDigest));
    for (const child of await this.artifacts.findByDigests(repository.repositoryId, children)) {
      if (tagged.has(child.digest) || withAccessories.has(child.digest)) continue;
      if ((await this.artifacts.parentsOf(repository.repositoryId, child.digest)).length > 0) continue;
      try {
        await this.registry.deleteManifest(repository.name, child.digest, username);
        await this.stats.forget(repository.name, child.digest);
      } catch {
        // Left for a later delete; the index itself is gone, which is what was asked.
      }
    }
  }

  async listTags(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference, name: { value: string; fuzzy: boolean } | undefined, page: Page) {
    const { repository } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.read);
    const manifest = await this.find(repository, reference);
    const { total, items } = await this.artifacts.listTags(repository.repositoryId, manifest.digest, name, page);
    return { total, items: items.map((tag) => ({ tag, artifactId: manifest.id })) };
  }

  /** Harbor's retag within a repository: the artifact's manifest pushed again under the new name. */
  async createTag(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference, tagName: string): Promise<void> {
    if (!isTagName(tagName)) throw new AppError('BAD_REQUEST', 'invalid tag name: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}');
    const { repository, username } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.createTag);
    const manifest = await this.find(repository, reference);
    const existing = await this.artifacts.findTag(repository.repositoryId, tagName);
    if (existing) throw new AppError('CONFLICT', `the tag ${tagName} already exists in ${repository.name}`);
    await this.registry.putManifest(repository.name, tagName, manifest.content, manifest.mediaType, username);
    await this.audit.record({ projectId: repository.projectId, operation: 'create', resourceType: 'tag', resource: `${repository.name}:${tagName}`, username });
  }

  async deleteTag(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference, tagName: string): Promise<void> {
    const { repository, username } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.deleteTag);
    const manifest = await this.find(repository, reference);
    if (!isTagName(tagName)) throw new AppError('NOT_FOUND', 'tag not found: not a valid tag name');
    const tag = await this.artifacts.findTag(repository.repositoryId, tagName);
    if (!tag || tag.digest !== manifest.digest) throw new AppError('NOT_FOUND', `tag ${tagName} not found on ${manifest.digest}`);
    await this.registry.deleteTag(repository.name, tagName, username);
    await this.audit.record({ projectId: repository.projectId, operation: 'delete', resourceType: 'tag', resource: `${repository.name}:${tagName}`, username });
  }

  /** The image config's `history`; only images have one. */
  async buildHistory(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference): Promise<BuildHistoryEntry[]> {
    const { repository } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.read);
    const manifest = await this.find(repository, reference);
    const content = readManifest(manifest.mediaType, manifest.content);
    if (artifactTypeOf(content) !== 'IMAGE' || !content.config) {
      throw new AppError('NOT_FOUND', `the artifact ${manifest.digest} has no build history (it is not an image)`);
    }
    return buildHistoryOf(await this.configs.require(repository.name, content.config.digest));
  }

  /** The manifest's layers in order, as its descriptors give them; an index has none of its own. */
  async layers(caller: Caller, projectName: string, repositoryName: string, reference: ArtifactReference): Promise<LayerView[]> {
    const { repository } = await this.repositories.resolve(caller, projectName, repositoryName, artifactPermissions.read);
    const manifest = await this.find(repository, reference);
    if (isIndexMediaType(manifest.mediaType)) {
      throw new AppError('NOT_FOUND', `the artifact ${manifest.digest} is an index: its layers are in the manifests it lists`);
    }
    return readManifest(manifest.mediaType, manifest.content).layers.map((layer) => {
      const view: LayerView = { media_type: layer.mediaType, digest: layer.digest, size: layer.size };
      if (layer.annotations && Object.keys(layer.annotations).length > 0) view.annotations = layer.annotations;
      if (layer.urls) view.urls = layer.urls;
      return view;
    });
  }

  private async find(repository: RepositoryRecord, reference: ArtifactReference): Promise<ManifestRecord> {
    const manifest =
      reference.kind === 'digest'
        ? await this.artifacts.findByDigest(repository.repositoryId, reference.digest)
        : await this.artifacts.findByTag(repository.repositoryId, reference.tag);
    if (!manifest) {
      throw new AppError('NOT_FOUND', `artifact ${reference.kind === 'digest' ? reference.digest : reference.tag} not found in ${repository.name}`);
    }
    return manifest;
  }

  private async views(repository: RepositoryRecord, manifests: ManifestRecord[], options: ArtifactOptions): Promise<ArtifactView[]> {
    const id = repository.repositoryId;
    const contents = manifests.map((m) => readManifest(m.mediaType, m.content));
    const childDigests = [...new Set(contents.flatMap((c) => c.manifests.map((d) => d.digest)))];
    const digests = manifests.map((m) => m.digest);
    const [children, tags, stats, accessories] = await Promise.all([
      this.artifacts.findByDigests(id, childDigests),
      options.withTag ? this.artifacts.tagsOf(id, digests) : Promise.resolve([]),
      this.stats.statsOf(repository.name, digests),
      options.withAccessory ? this.artifacts.accessoriesOf(id, digests) : Promise.resolve([]),
    ]);
    const childByDigest = new Map(children.map((c) => [c.digest, c]));
    const types = contents.map((c) => artifactTypeOf(c));
    const extras = await mapLimited(manifests, configConcurrency, async (_m, i) => this.extraAttrs(repository.name, types[i]!, contents[i]!));

    return manifests.map((manifest, i) => {
      const content = contents[i]!;
      const stat = stats.get(manifest.digest);
      const isIndex = isIndexMediaType(manifest.mediaType);
      const size = isIndex
        ? manifest.size +
          content.manifests.reduce((sum, d) => {
            const child = childByDigest.get(d.digest);
            return sum + (child ? imageSize(child.size, readManifest(child.mediaType, child.content)) : d.size);
          }, 0)
        : imageSize(manifest.size, content);
      return {
        id: manifest.id,
        type: types[i]!,
        mediaType: content.configMediaType ?? manifest.mediaType,
        manifestMediaType: manifest.mediaType,
        artifactType: content.artifactType ?? content.configMediaType,
        digest: manifest.digest,
        size,
        pushTime: stat?.pushTime ?? manifest.creationTime,
        pullTime: stat?.pullTime ?? null,
        projectId: repository.projectId,
        repositoryId: id,
        repositoryName: repository.name,
        tags: options.withTag ? tags.filter((t) => t.digest === manifest.digest) : null,
        references: content.manifests.map((d) => ({
          parentId: manifest.id,
          childId: childByDigest.get(d.digest)?.id ?? null,
          childDigest: d.digest,
          platform: d.platform,
          annotations: d.annotations,
          urls: d.urls,
        })),
        extraAttrs: extras[i]!,
        annotations: content.annotations,
        accessories: options.withAccessory
          ? accessories
              .filter((a) => a.subjectDigest === manifest.digest)
              .map((a) => {
                const accessoryContent = readManifest(a.mediaType, a.content);
                return {
                  id: a.id,
                  subjectId: manifest.id,
                  subjectDigest: manifest.digest,
                  repositoryName: repository.name,
                  digest: a.digest,
                  size: imageSize(a.size, accessoryContent),
                  type: accessoryType(accessoryContent),
                  creationTime: a.creationTime,
                };
              })
          : null,
      };
    });
  }

  private async extraAttrs(repositoryName: string, type: ArtifactType, content: ManifestContent): Promise<Record<string, unknown>> {
    if (!content.config || (type !== 'IMAGE' && type !== 'CHART')) return {};
    const config = await this.configs.get(repositoryName, content.config.digest);
    return type === 'IMAGE' ? imageExtraAttrs(config) : (config ?? {});
  }
}

/** Manifest, config and layers: what pulling the artifact costs. */
function imageSize(manifestSize: number, content: ManifestContent): number {
  return manifestSize + (content.config?.size ?? 0) + content.layers.reduce((sum, l) => sum + l.size, 0);
}

/** Harbor's accessory types, told by artifact type. */
function accessoryType(content: ManifestContent): string {
  const type = content.artifactType ?? content.configMediaType ?? '';
  if (type === 'application/vnd.dev.cosign.artifact.sig.v1+json') return 'signature.cosign';
  if (type === 'application/vnd.cncf.notary.signature') return 'signature.notation';
  if (type.includes('sbom') || type.includes('spdx') || type.includes('cyclonedx')) return 'harbor.sbom';
  return 'subject.accessory';
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
