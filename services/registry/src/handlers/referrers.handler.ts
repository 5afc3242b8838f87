import { mediaTypes } from '@harbor/oci';
import { queryParam, V2Handler } from '../http/v2-context';
import type { Referrers } from '../services/referrers.service';
import { blobDigest } from './blob.handler';

/**
 * `GET /v2/<name>/referrers/<digest>[?artifactType=]`. Never a 404 (the spec
 * forbids it for registries that support the API): no referrers, or no such
 * repository yet, is an empty index. A malformed digest is DIGEST_INVALID.
 */
export function referrersHandler(referrers: Referrers): V2Handler {
  return async ({ req, res, name, reference }) => {
    const subject = blobDigest(reference);
    const filter = queryParam(req, 'artifactType');
    const artifactType = typeof filter === 'string' && filter !== '' ? filter : undefined;
    const index = await referrers.list(name, subject, artifactType);
    if (artifactType !== undefined) res.setHeader('OCI-Filters-Applied', 'artifactType');
    const body = Buffer.from(JSON.stringify(index));
    res.setHeader('Content-Type', mediaTypes.ociIndex);
    res.setHeader('Content-Length', body.length);
    res.status(200).end(body);
  };
}
