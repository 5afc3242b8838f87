/**
 * The upload hand-over contract between proxy and registry: which requests
 * ask for it, what the registry may offer and the proxy accepts (never a path
 * outside the storage root, never a count that is not a byte count), and the
 * report lines the proxy sends back, read from a body that may arrive in any
 * pieces and must stop at its final line.
 */
import { Readable } from 'node:stream';
import {
  announcedUploadLength,
  asksForUploadOffload,
  formatUploadReport,
  isUploadOffloadHeader,
  parseUploadOffer,
  parseUploadReport,
  readUploadReports,
  stripUploadOffloadHeaders,
  UploadHandOverError,
  uploadOfferHeaders,
  UploadReport,
  uploadReportMaxLineBytes,
} from './upload-offload';

const file = 'uploads/0b1c2d3e-0000-4000-8000-000000000001/data';
const sha256 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const sha512 = `sha512:${'fedcba9876543210'.repeat(8)}`;

/** Every report `readUploadReports` yields from these pieces, or the error it ends with. */
async function readAll(pieces: Iterable<Buffer | string> | AsyncIterable<Buffer | string>): Promise<UploadReport[]> {
  const reports: UploadReport[] = [];
  for await (const report of readUploadReports(pieces as AsyncIterable<Buffer | string>)) reports.push(report);
  return reports;
}

/** A body handed out one byte per chunk, as a slow or hostile peer may send it. */
function byteByByte(text: string): Buffer[] {
  return [...Buffer.from(text, 'latin1')].map((byte) => Buffer.from([byte]));
}

describe('upload hand-over headers', () => {
  it('recognises and strips the whole header family in any case', () => {
    expect(isUploadOffloadHeader('X-Harbor-Upload-Offload')).toBe(true);
    expect(isUploadOffloadHeader('X-HARBOR-UPLOAD-FILE')).toBe(true);
    expect(isUploadOffloadHeader('x-harbor-upload-something-new')).toBe(true);
    expect(isUploadOffloadHeader('x-harbor-uploads')).toBe(false);
    expect(isUploadOffloadHeader('x-harbor-blob-file')).toBe(false);
    const headers: Record<string, unknown> = {
      'X-Harbor-Upload-Offload': '1',
      'x-HARBOR-upload-file': '../../etc/passwd',
      'x-harbor-upload-length': ['1', '2'],
      'X-Harbor-Upload-Mode': 'file',
      'content-length': '5',
      'content-range': '0-4',
      'x-harbor-uploads': 'not of the family',
    };
    stripUploadOffloadHeaders(headers);
    expect(headers).toEqual({ 'content-length': '5', 'content-range': '0-4', 'x-harbor-uploads': 'not of the family' });
  });

  it('asks for a hand-over only with exactly one value, the internal secret', () => {
    const secret = 'a-secret-of-32-hex-digits-00ff99';
    expect(asksForUploadOffload({ 'x-harbor-upload-offload': secret }, secret)).toBe(true);
    for (const value of ['1', 'true', '', ` ${secret}`, `${secret} `, secret.toUpperCase(), secret.slice(1), `${secret}0`]) {
      expect(asksForUploadOffload({ 'x-harbor-upload-offload': value }, secret)).toBe(false);
    }
    expect(asksForUploadOffload({ 'x-harbor-upload-offload': [secret] }, secret)).toBe(false);
    expect(asksForUploadOffload({ 'x-harbor-upload-offload': [secret, secret] }, secret)).toBe(false);
    expect(asksForUploadOffload({}, secret)).toBe(false);
    // No secret configured: nothing matches, an empty header included.
    expect(asksForUploadOffload({ 'x-harbor-upload-offload': '' }, '')).toBe(false);
  });

  it('reads the announced length: none, a byte count, or invalid', () => {
    expect(announcedUploadLength({})).toBeNull();
    expect(announcedUploadLength({ 'x-harbor-upload-length': '0' })).toBe(0);
    expect(announcedUploadLength({ 'x-harbor-upload-length': '268435456' })).toBe(268_435_456);
    expect(announcedUploadLength({ 'x-harbor-upload-length': '999999999999999' })).toBe(999_999_999_999_999);
    for (const bad of ['', '-1', '1.5', '+1', ' 1', '1 ', '0x10', '1e3', 'NaN', '9999999999999999', '٣']) {
      expect(announcedUploadLength({ 'x-harbor-upload-length': bad })).toBe('invalid');
    }
    expect(announcedUploadLength({ 'x-harbor-upload-length': ['5', '5'] })).toBe('invalid');
  });
});

describe('upload hand-over offer', () => {
  it.each([
    ['file mode with a limit', { mode: 'file' as const, file, offset: 1_048_576, limit: 4_194_304, hash: null }],
    ['file mode without a limit', { mode: 'file' as const, file, offset: 0, limit: null, hash: null }],
    ['file mode at a large offset and a zero limit', { mode: 'file' as const, file, offset: 2 ** 40, limit: 0, hash: null }],
    ['file mode at the largest count', { mode: 'file' as const, file, offset: 999_999_999_999_999, limit: 999_999_999_999_999, hash: null }],
    ['file mode asking for sha256', { mode: 'file' as const, file, offset: 0, limit: null, hash: 'sha256' as const }],
    ['file mode asking for sha512', { mode: 'file' as const, file, offset: 3, limit: 9, hash: 'sha512' as const }],
    ['body mode', { mode: 'body' as const }],
  ])('reads back %s exactly as offered', (_what, offer) => {
    const headers = uploadOfferHeaders(offer);
    expect(Object.keys(headers).every(isUploadOffloadHeader)).toBe(true);
    expect(parseUploadOffer(headers)).toEqual(offer);
  });

  it('writes the offer as the documented headers', () => {
    expect(uploadOfferHeaders({ mode: 'file', file, offset: 7, limit: 9, hash: 'sha256' })).toEqual({
      'x-harbor-upload-mode': 'file',
      'x-harbor-upload-file': file,
      'x-harbor-upload-offset': '7',
      'x-harbor-upload-limit': '9',
      'x-harbor-upload-hash': 'sha256',
    });
    const plain = uploadOfferHeaders({ mode: 'file', file, offset: 7, limit: null, hash: null });
    expect(plain).not.toHaveProperty('x-harbor-upload-limit');
    expect(plain).not.toHaveProperty('x-harbor-upload-hash');
    expect(uploadOfferHeaders({ mode: 'body' })).toEqual({ 'x-harbor-upload-mode': 'body' });
  });

  it('takes a 1xx answer without X-Harbor-Upload-Mode as no offer', () => {
    expect(parseUploadOffer({ link: '</style.css>; rel=preload' })).toBeNull();
    expect(parseUploadOffer({ 'x-harbor-upload-file': file, 'x-harbor-upload-offset': '0' })).toBeNull();
  });

  it.each([
    ['a parent segment', '..'],
    ['a leading parent segment', '../../etc/passwd'],
    ['a parent segment inside', 'uploads/../../etc/passwd'],
    ['a dot segment', 'uploads/./data'],
    ['a lone dot', '.'],
    ['an absolute path', '/abs'],
    ['an absolute path to a file', '/etc/passwd'],
    ['an empty segment', 'a//b'],
    ['a trailing slash', 'uploads/'],
    ['a percent escape', 'uploads/%2e%2e/data'],
    ['an escaped dot', '%2e'],
    ['a space', 'uploads/a b/data'],
    ['a backslash', 'uploads\\..\\data'],
    ['a newline at the end', `${file}\n`],
    ['a NUL byte', 'uploads/a\0/data'],
    ['a non-ASCII letter', 'uploads/dätä'],
    ['nothing', ''],
  ])('refuses a file with %s, offered or received', (_what, bad) => {
    expect(() => uploadOfferHeaders({ mode: 'file', file: bad, offset: 0, limit: null, hash: null })).toThrow(UploadHandOverError);
    expect(() => parseUploadOffer({ 'x-harbor-upload-mode': 'file', 'x-harbor-upload-file': bad, 'x-harbor-upload-offset': '0' })).toThrow(
      UploadHandOverError,
    );
  });

  it.each([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['an unsafe integer', 2 ** 53],
    ['a count past fifteen digits', 1e15],
  ])('refuses to offer an offset or limit that is %s', (_what, bad) => {
    expect(() => uploadOfferHeaders({ mode: 'file', file, offset: bad, limit: null, hash: null })).toThrow(UploadHandOverError);
    expect(() => uploadOfferHeaders({ mode: 'file', file, offset: 0, limit: bad, hash: null })).toThrow(UploadHandOverError);
  });

  it.each(['-1', '1.5', '+1', '', ' 1', '1 ', '0x10', '1e3', 'Infinity', '9999999999999999', '99999999999999999999'])(
    'refuses a received offset or limit of %j',
    (bad) => {
      const offer = { 'x-harbor-upload-mode': 'file', 'x-harbor-upload-file': file };
      expect(() => parseUploadOffer({ ...offer, 'x-harbor-upload-offset': bad })).toThrow(UploadHandOverError);
      expect(() => parseUploadOffer({ ...offer, 'x-harbor-upload-offset': '0', 'x-harbor-upload-limit': bad })).toThrow(UploadHandOverError);
    },
  );

  it.each([
    ['no file', { 'x-harbor-upload-offset': '0' }],
    ['no offset', { 'x-harbor-upload-file': file }],
    ['a repeated file', { 'x-harbor-upload-file': [file, file], 'x-harbor-upload-offset': '0' }],
    ['a repeated offset', { 'x-harbor-upload-file': file, 'x-harbor-upload-offset': ['0', '0'] }],
    ['a repeated limit', { 'x-harbor-upload-file': file, 'x-harbor-upload-offset': '0', 'x-harbor-upload-limit': ['1', '1'] }],
  ])('refuses a file offer with %s', (_what, rest) => {
    expect(() => parseUploadOffer({ 'x-harbor-upload-mode': 'file', ...rest })).toThrow(UploadHandOverError);
  });

  it.each([[['sha256', 'sha256']], ['SHA256'], ['md5'], ['blake3'], [''], ['__proto__']])(
    'takes a file offer asking for the hash %j as asking for none (a hint, not a condition)',
    (hash) => {
      const offer = parseUploadOffer({ 'x-harbor-upload-mode': 'file', 'x-harbor-upload-file': file, 'x-harbor-upload-offset': '0', 'x-harbor-upload-hash': hash });
      expect(offer).toEqual({ mode: 'file', file, offset: 0, limit: null, hash: null });
    },
  );

  it.each([['FILE'], ['Body'], ['stream'], [''], [['file', 'file']], [['body']]])('refuses the unknown mode %j', (mode) => {
    expect(() => parseUploadOffer({ 'x-harbor-upload-mode': mode, 'x-harbor-upload-file': file, 'x-harbor-upload-offset': '0' })).toThrow(
      UploadHandOverError,
    );
  });

  it('names an unknown mode in a bounded message', () => {
    expect(() => parseUploadOffer({ 'x-harbor-upload-mode': 'x'.repeat(100_000) })).toThrow(/^unknown upload hand-over mode: "x{40}"$/);
  });
});

describe('upload hand-over reports', () => {
  it.each<UploadReport>([
    { kind: 'progress', written: 4_194_304 },
    { kind: 'end', written: 0 },
    { kind: 'end', written: 268_435_456 },
    { kind: 'abort', written: 12_345 },
    { kind: 'over', written: 999_999_999_999_999 },
    { kind: 'fail', written: 77, code: 'ENOSPC' },
    { kind: 'fail', written: 0, code: 'ERR_STREAM_PREMATURE_CLOSE' },
    { kind: 'end', written: 268_435_456, digest: sha256 },
    { kind: 'abort', written: 999_999_999_999_999, digest: sha512 },
    { kind: 'over', written: 0, digest: sha256 },
    { kind: 'vouching', written: 0 },
  ])('reads back %j from its line', (report) => {
    const line = formatUploadReport(report);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(parseUploadReport(line.slice(0, -1))).toEqual(report);
  });

  it('writes the documented lines', () => {
    expect(formatUploadReport({ kind: 'progress', written: 5 })).toBe('progress 5\n');
    expect(formatUploadReport({ kind: 'fail', written: 5, code: 'EIO' })).toBe('fail 5 EIO\n');
    // A code on another kind is not part of its line.
    expect(formatUploadReport({ kind: 'end', written: 5, code: 'ENOSPC' })).toBe('end 5\n');
  });

  it.each([
    ['none', undefined],
    ['an empty one', ''],
    ['one with a space', 'ENO SPC'],
    ['one with a newline', 'EIO\nend 999'],
    ['one with a hyphen', 'E-IO'],
    ['one past 40 characters', 'E'.repeat(41)],
  ])('sends EIO for a fail with %s as code', (_what, code) => {
    const line = formatUploadReport({ kind: 'fail', written: 3, code });
    expect(line).toBe('fail 3 EIO\n');
  });

  it('keeps the longest lines within the reader\'s limit', () => {
    const longest = formatUploadReport({ kind: 'fail', written: 999_999_999_999_999, code: 'E'.repeat(40) });
    expect(longest.length - 1).toBeLessThanOrEqual(uploadReportMaxLineBytes);
    expect(parseUploadReport(longest.slice(0, -1)).code).toBe('E'.repeat(40));
    const vouching = formatUploadReport({ kind: 'abort', written: 999_999_999_999_999, digest: sha512 });
    expect(vouching.length - 1).toBeLessThanOrEqual(uploadReportMaxLineBytes);
    expect(parseUploadReport(vouching.slice(0, -1)).digest).toBe(sha512);
  });

  it('leaves the digest off progress lines, and refuses to write one that is not a digest', () => {
    expect(formatUploadReport({ kind: 'progress', written: 5, digest: sha256 })).toBe('progress 5\n');
    expect(formatUploadReport({ kind: 'fail', written: 5, code: 'EIO', digest: sha256 })).toBe('fail 5 EIO\n');
    for (const digest of ['', 'sha256:', `sha256:${'A'.repeat(64)}`, `md5:${'a'.repeat(32)}`, `sha256:${'a'.repeat(64)}\nend 9`]) {
      expect(() => formatUploadReport({ kind: 'end', written: 5, digest })).toThrow(UploadHandOverError);
    }
  });

  it.each([
    ['a progress line', `progress 1 ${sha256}`],
    ['a vouching line', `vouching 0 ${sha256}`],
    ['a fail line in place of its code', `fail 1 ${sha256} EIO`],
    ['uppercase hex', `end 1 sha256:${'A'.repeat(64)}`],
    ['a short sha256', `end 1 sha256:${'a'.repeat(63)}`],
    ['a sha512 of sha256 length', `end 1 sha512:${'a'.repeat(64)}`],
    ['a sha256 of sha512 length', `end 1 sha256:${'a'.repeat(128)}`],
    ['an unknown algorithm', `end 1 md5:${'a'.repeat(32)}`],
    ['no algorithm', `end 1 ${'a'.repeat(64)}`],
    ['a fourth field', `end 1 ${sha256} x`],
    ['an empty digest', 'end 1 '],
    ['a prototype name', `end 1 __proto__:${'a'.repeat(64)}`],
  ])('refuses a digest on %s', (_what, line) => {
    expect(() => parseUploadReport(line)).toThrow(UploadHandOverError);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses to report %p bytes written', (written) => {
    expect(() => formatUploadReport({ kind: 'progress', written })).toThrow(UploadHandOverError);
  });

  it.each([
    '',
    'end',
    'end ',
    ' end 1',
    'end 1 ',
    'end  1',
    'end 1\r',
    'end\t1',
    'END 1',
    'start 1',
    '__proto__ 1',
    'end -1',
    'end +1',
    'end 1.5',
    'end 0x1',
    'end 1e3',
    'end 9999999999999999',
    'progress 1 2',
    'fail 1',
    'fail 1 ',
    'fail 1 E-IO',
    'fail 1 EIO extra',
    `fail 1 ${'E'.repeat(41)}`,
  ])('refuses the malformed line %j', (line) => {
    expect(() => parseUploadReport(line)).toThrow(UploadHandOverError);
  });

  it('names a malformed line in a bounded message', () => {
    expect(() => parseUploadReport('x'.repeat(100_000))).toThrow(new RegExp(`^not an upload report line: "x{${uploadReportMaxLineBytes}}"$`));
  });
});

describe('reading the report body', () => {
  const body = 'progress 4194304\nprogress 8388608\nprogress 8388608\nend 9000000\n';
  const expected: UploadReport[] = [
    { kind: 'progress', written: 4_194_304 },
    { kind: 'progress', written: 8_388_608 },
    { kind: 'progress', written: 8_388_608 },
    { kind: 'end', written: 9_000_000 },
  ];

  it('reads reports sent whole', async () => {
    expect(await readAll([body])).toEqual(expected);
  });

  it('reads reports sent one byte at a time', async () => {
    expect(await readAll(byteByByte(body))).toEqual(expected);
  });

  it('reads reports split at every place, as strings or buffers', async () => {
    for (let at = 1; at < body.length; at++) {
      expect(await readAll([body.slice(0, at), Buffer.from(body.slice(at))])).toEqual(expected);
    }
  });

  it('reads reports from a stream of a request body', async () => {
    const stream = Readable.from([Buffer.from('progress 1\npro'), Buffer.from('gress 2\nfail 2 ENO'), Buffer.from('SPC\n')]);
    expect(await readAll(stream)).toEqual([
      { kind: 'progress', written: 1 },
      { kind: 'progress', written: 2 },
      { kind: 'fail', written: 2, code: 'ENOSPC' },
    ]);
  });

  it.each(['end', 'abort', 'over'])('takes %s as final', async (kind) => {
    expect(await readAll([`progress 1\n${kind} 2\n`])).toEqual([
      { kind: 'progress', written: 1 },
      { kind, written: 2 },
    ]);
  });

  it('reads a vouching line first, at 0, as a line that is not final', async () => {
    expect(await readAll([`vouching 0\nprogress 4194304\nend 5000000 ${sha256}\n`])).toEqual([
      { kind: 'vouching', written: 0 },
      { kind: 'progress', written: 4_194_304 },
      { kind: 'end', written: 5_000_000, digest: sha256 },
    ]);
  });

  it.each([
    ['after progress', 'progress 0\nvouching 0\nend 1\n'],
    ['twice', 'vouching 0\nvouching 0\nend 1\n'],
    ['at a count', 'vouching 7\nend 7\n'],
  ])('refuses a vouching line %s', async (_what, body) => {
    await expect(readAll([body])).rejects.toThrow(UploadHandOverError);
  });

  it('stops after the final report without reading further', async () => {
    let pulled = 0;
    async function* peer(): AsyncGenerator<string> {
      pulled++;
      yield 'progress 3\nab';
      pulled++;
      yield 'ort 5\n';
      // Whatever a peer sends after its final report is not read.
      pulled++;
      throw new Error('read past the final report');
    }
    expect(await readAll(peer())).toEqual([
      { kind: 'progress', written: 3 },
      { kind: 'abort', written: 5 },
    ]);
    expect(pulled).toBe(2);
  });

  it('ignores what follows the final report in the same piece', async () => {
    expect(await readAll(['end 5\nnot a report at all\n'])).toEqual([{ kind: 'end', written: 5 }]);
  });

  it('ends the source when it stops early, so a stream is not left half-read', async () => {
    const stream = Readable.from(['over 9\n', 'progress 10\n']);
    expect(await readAll(stream)).toEqual([{ kind: 'over', written: 9 }]);
    expect(stream.destroyed).toBe(true);
  });

  it.each([
    ['an empty body', [], /without a final one/],
    ['only progress', ['progress 1\nprogress 2\n'], /without a final one/],
    ['a cut-off final line', ['progress 1\nend 5'], /cut off/],
    ['a cut-off line one byte at a time', byteByByte('progress 1\nprog'), /cut off/],
    ['counts going backwards', ['progress 10\nprogress 9\nend 10\n'], /backwards/],
    ['a final count below the progress', byteByByte('progress 10\nend 9\n'), /backwards/],
    ['an unknown kind', ['progress 1\nstart 2\nend 3\n'], /not an upload report line/],
    ['a line with a carriage return', ['end 5\r\n'], /not an upload report line/],
    ['an over-long line ending in a newline', [`progress ${'1'.repeat(200)}\n`], /not an upload report line/],
  ])('refuses %s', async (_what, pieces, message) => {
    const error = await readAll(pieces as (string | Buffer)[]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(UploadHandOverError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses an over-long line without waiting for its newline', async () => {
    let pulled = 0;
    // A peer that never sends a newline and never ends.
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        if (++pulled > 10 * uploadReportMaxLineBytes) throw new Error('kept reading a line without end');
        yield Buffer.from('7');
      }
    }
    await expect(readAll(endless())).rejects.toThrow(/line too long/);
    expect(pulled).toBe(uploadReportMaxLineBytes + 1);
  });

  it('refuses an over-long line sent in one piece after good reports', async () => {
    const reports: UploadReport[] = [];
    const reading = (async () => {
      for await (const report of readUploadReports(Readable.from([`progress 1\n${'9'.repeat(uploadReportMaxLineBytes + 1)}`]))) {
        reports.push(report);
      }
    })();
    await expect(reading).rejects.toThrow(/line too long/);
    expect(reports).toEqual([{ kind: 'progress', written: 1 }]);
  });
});
