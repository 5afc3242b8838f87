import { buildHistoryOf, imageExtraAttrs, parseConfig } from './image-config';

describe('image config', () => {
  it('turns the config history into build history entries, in order', () => {
    const config = parseConfig(
      Buffer.from(
        JSON.stringify({
          history: [
            { created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:abc in /', author: 'me' },
            { created: '2024-01-02T00:00:00Z', created_by: '/bin/sh -c #(nop) CMD ["sh"]', empty_layer: true, comment: 'c' },
          ],
        }),
      ),
    );
    expect(buildHistoryOf(config)).toEqual([
      { created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:abc in /', author: 'me' },
      { created: '2024-01-02T00:00:00Z', created_by: '/bin/sh -c #(nop) CMD ["sh"]', empty_layer: true, comment: 'c' },
    ]);
  });

  it('has no history for configs without one, and skips entries that are not objects or have odd fields', () => {
    expect(buildHistoryOf(null)).toEqual([]);
    expect(buildHistoryOf({})).toEqual([]);
    expect(buildHistoryOf({ history: 'nope' })).toEqual([]);
    expect(buildHistoryOf({ history: [null, 3, { created: 5, created_by: ['x'], empty_layer: 'yes' }] })).toEqual([{ created: '', created_by: '' }]);
  });

  it('does not parse what is not a JSON object', () => {
    expect(parseConfig(Buffer.from('not json'))).toBeNull();
    expect(parseConfig(Buffer.from('[]'))).toBeNull();
  });

  it('takes architecture, os, config, author and created as extra attributes and nothing else', () => {
    const attrs = imageExtraAttrs({ architecture: 'arm64', os: 'linux', config: { Cmd: ['x'] }, author: 'a', created: 't', rootfs: {}, history: [] });
    expect(attrs).toEqual({ architecture: 'arm64', os: 'linux', config: { Cmd: ['x'] }, author: 'a', created: 't' });
    expect(imageExtraAttrs(null)).toEqual({});
  });
});
