import { accepts, parseAccept } from './accept-header';
import { mediaTypes } from './media-types';

describe('Accept parsing', () => {
  it('takes anything when the client sent no Accept, only junk, or a wildcard', () => {
    expect(accepts(parseAccept(undefined), mediaTypes.ociIndex)).toBe(true);
    expect(accepts(parseAccept('garbage'), mediaTypes.ociIndex)).toBe(true);
    expect(accepts(parseAccept('*/*'), mediaTypes.ociIndex)).toBe(true);
    expect(accepts(parseAccept(`${mediaTypes.ociManifest}, application/*;q=0.5`), mediaTypes.ociIndex)).toBe(true);
  });

  it('reads lists across several headers, ignoring parameters and case', () => {
    const accepted = parseAccept([`${mediaTypes.dockerManifest}; q=0.9`, `Application/VND.OCI.image.index.v1+json, ${mediaTypes.ociManifest}`]);
    expect(accepted.any).toBe(false);
    for (const type of [mediaTypes.dockerManifest, mediaTypes.ociIndex, mediaTypes.ociManifest]) expect(accepts(accepted, type)).toBe(true);
    expect(accepts(accepted, mediaTypes.dockerManifestList)).toBe(false);
  });

  it('treats q=0 as a refusal', () => {
    const accepted = parseAccept(`${mediaTypes.ociManifest}, ${mediaTypes.ociIndex};q=0`);
    expect(accepts(accepted, mediaTypes.ociIndex)).toBe(false);
    expect(accepts(accepted, mediaTypes.ociManifest)).toBe(true);
  });
});
