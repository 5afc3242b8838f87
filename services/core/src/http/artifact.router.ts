import { Request, Router } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import type { ArtifactController, ArtifactOptions } from '../controllers/artifact.controller';
import type { ArtifactFilter } from '../dao/artifact.dao';
import { isDigestValue, parseArtifactReference } from '../domain/repository-path';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseQueryFilter, parseSort } from './query-filter';
import { artifactResp, tagResp } from './registry.presenters';
import { repositoryParam } from './repository.router';
import { booleanQuery, parseBody, queryParam } from './request-input';

const tagCreate = z.object({ name: z.string().max(128) });
const base = '/projects/:project_name/repositories/:repository_name/artifacts';

/**
 * `with_scan_overview`, `with_sbom_overview`, `with_signature`,
 * `with_immutable_status` and `with_label` are accepted and have nothing to
 * add: there are no scanners, labels or immutability rules here.
 */
function artifactOptions(req: Request): ArtifactOptions {
  for (const name of ['with_label', 'with_scan_overview', 'with_sbom_overview', 'with_signature', 'with_immutable_status', 'with_inherited_accessory']) {
    booleanQuery(req, name);
  }
  return { withTag: booleanQuery(req, 'with_tag') ?? true, withAccessory: booleanQuery(req, 'with_accessory') ?? false };
}

/** Harbor's artifact `q`: `digest`, `media_type`, `tags` (`tags=*` any tag, `tags=nil` untagged, `tags=~v` fuzzy). */
function artifactFilter(req: Request): ArtifactFilter {
  const filter: ArtifactFilter = { sort: parseSort(queryParam(req, 'sort'), ['push_time', 'digest'] as const) };
  for (const term of parseQueryFilter(queryParam(req, 'q'), ['digest', 'media_type', 'tags'])) {
    if (term.key === 'digest') {
      if (!isDigestValue(term.value)) throw new AppError('BAD_REQUEST', 'q: digest must be a sha256 or sha512 digest');
      filter.digest = term.value;
    } else if (term.key === 'media_type') filter.mediaType = term.value;
    else if (!term.fuzzy && term.value === '*') filter.tagged = true;
    else if (!term.fuzzy && term.value === 'nil') filter.tagged = false;
    else filter.tag = { value: term.value, fuzzy: term.fuzzy };
  }
  return filter;
}

const project = (req: Request) => String(req.params.project_name);
const reference = (req: Request) => parseArtifactReference(String(req.params.reference));

/**
 * Harbor's deletes declare no 400: a repository name or reference that
 * cannot exist names nothing, which is a 404.
 */
function nothingThere<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AppError && err.code === 'BAD_REQUEST') throw new AppError('NOT_FOUND', err.message);
    throw err;
  }
}

/** `/projects/{project_name}/repositories/{repository_name}/artifacts…` of Harbor's API. */
export function artifactRouter(artifacts: ArtifactController): Router {
  const router = Router();

  router
    .route(base)
    .get(async (req, res) => {
      const page = parsePage(req);
      const filter = artifactFilter(req);
      const options = artifactOptions(req);
      const { total, items } = await artifacts.list(callerOf(res), project(req), repositoryParam(req), filter, page, options);
      setListHeaders(req, res, total, page);
      res.json(items.map((a) => artifactResp(a, project(req))));
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/:reference`)
    .get(async (req, res) => {
      const view = await artifacts.get(callerOf(res), project(req), repositoryParam(req), reference(req), artifactOptions(req));
      res.json(artifactResp(view, project(req)));
    })
    .delete(async (req, res) => {
      await artifacts.delete(callerOf(res), project(req), nothingThere(() => repositoryParam(req)), nothingThere(() => reference(req)));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/:reference/tags`)
    .get(async (req, res) => {
      const page = parsePage(req);
      booleanQuery(req, 'with_immutable_status');
      let name: { value: string; fuzzy: boolean } | undefined;
      for (const term of parseQueryFilter(queryParam(req, 'q'), ['name'])) name = { value: term.value, fuzzy: term.fuzzy };
      const { total, items } = await artifacts.listTags(callerOf(res), project(req), repositoryParam(req), reference(req), name, page);
      setListHeaders(req, res, total, page);
      res.json(items.map(({ tag, artifactId }) => tagResp(tag, artifactId)));
    })
    .post(async (req, res) => {
      const body = parseBody(tagCreate, req);
      await artifacts.createTag(callerOf(res), project(req), repositoryParam(req), reference(req), body.name);
      res.status(201).location(`${req.baseUrl}${req.path}/${encodeURIComponent(body.name)}`).end();
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/:reference/tags/:tag_name`)
    .delete(async (req, res) => {
      const name = nothingThere(() => repositoryParam(req));
      await artifacts.deleteTag(callerOf(res), project(req), name, nothingThere(() => reference(req)), String(req.params.tag_name));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  /**
   * `build_history` as Harbor serves it. `layers` is this suite's own
   * addition (Harbor's enum has none like it; its portal shows no layers):
   * the manifest's layer descriptors, so the portal can list them without a
   * registry token, which a browser session cannot get.
   */
  router
    .route(`${base}/:reference/additions/:addition`)
    .get(async (req, res) => {
      const addition = String(req.params.addition);
      if (addition === 'build_history') {
        res.json(await artifacts.buildHistory(callerOf(res), project(req), repositoryParam(req), reference(req)));
      } else if (addition === 'layers') {
        res.json(await artifacts.layers(callerOf(res), project(req), repositoryParam(req), reference(req)));
      } else {
        throw new AppError('NOT_FOUND', `addition ${addition.slice(0, 64)} not found`);
      }
    })
    .all(methodNotAllowed);

  return router;
}
