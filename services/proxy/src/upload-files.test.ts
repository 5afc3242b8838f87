import { tmpdir } from 'node:os';
/**
 * The proxy's writable view of the registry's upload files: it opens only an
 * existing `uploads/<uuid>/data` whose size is the offered offset, reached
 * without any symbolic link and not linked from elsewhere, never creates a
 * file, and tells a refusal from a missing file.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@harbor/testkit';
import { UploadFileMissingError, UploadFileRefusedError, UploadFiles } from './upload-files';

describe('UploadFiles', () => {
  let storage: TempDir;
  let outside: TempDir;
  let files: UploadFiles;

  /** Creates an upload session's data file as the registry would, and returns its relative name. */
  const session = (content = '', uuid = randomUUID()): string => {
    mkdirSync(join(storage.path, 'uploads', uuid), { recursive: true });
    writeFileSync(join(storage.path, 'uploads', uuid, 'data'), content);
    return `uploads/${uuid}/data`;
  };

  beforeEach(() => {
    storage = tempDir('harbor-upload-files-');
    outside = tempDir('harbor-upload-outside-');
    writeFileSync(join(outside.path, 'data'), 'SECRET');
    files = new UploadFiles(storage.path);
  });
  afterEach(() => {
    storage.remove();
    outside.remove();
  });

  it('opens an upload file for writing at its end', async () => {
    const file = session('abc');
    const handle = await files.open(file, 3);
    try {
      await handle.write(Buffer.from('def'), 0, 3, 3);
    } finally {
      await handle.close();
    }
    expect(readFileSync(join(storage.path, file), 'utf8')).toBe('abcdef');
  });

  it.each([
    ['outside uploads/', 'blobs/x/data'],
    ['a parent path', `uploads/../${randomUUID()}/data`],
    ['an absolute path', '/etc/passwd'],
    ['an uppercase uuid', `uploads/${randomUUID().toUpperCase()}/data`],
    ['another file of the session', `uploads/${randomUUID()}/startedat`],
    ['a deeper path', `uploads/${randomUUID()}/data/more`],
    ['the root itself', ''],
  ])('refuses %s by its name alone', async (_what, file) => {
    await expect(files.open(file, 0)).rejects.toBeInstanceOf(UploadFileRefusedError);
  });

  it('refuses a data file that is a symbolic link, even to another upload file', async () => {
    const uuid = randomUUID();
    mkdirSync(join(storage.path, 'uploads', uuid), { recursive: true });
    symlinkSync(join(outside.path, 'data'), join(storage.path, 'uploads', uuid, 'data'));
    await expect(files.open(`uploads/${uuid}/data`, 6)).rejects.toBeInstanceOf(UploadFileRefusedError);
    const other = randomUUID();
    mkdirSync(join(storage.path, 'uploads', other));
    symlinkSync(join(storage.path, session('x')), join(storage.path, 'uploads', other, 'data'));
    await expect(files.open(`uploads/${other}/data`, 1)).rejects.toBeInstanceOf(UploadFileRefusedError);
    expect(readFileSync(join(outside.path, 'data'), 'utf8')).toBe('SECRET');
  });

  it('refuses a session directory, or uploads/ itself, that is a symbolic link', async () => {
    const uuid = randomUUID();
    mkdirSync(join(storage.path, 'uploads'), { recursive: true });
    symlinkSync(outside.path, join(storage.path, 'uploads', uuid));
    await expect(files.open(`uploads/${uuid}/data`, 6)).rejects.toBeInstanceOf(UploadFileRefusedError);

    const elsewhere = tempDir('harbor-upload-root-');
    try {
      const linked = randomUUID();
      mkdirSync(join(outside.path, 'uploads', linked), { recursive: true });
      writeFileSync(join(outside.path, 'uploads', linked, 'data'), '');
      symlinkSync(join(outside.path, 'uploads'), join(elsewhere.path, 'uploads'));
      await expect(new UploadFiles(elsewhere.path).open(`uploads/${linked}/data`, 0)).rejects.toBeInstanceOf(UploadFileRefusedError);
    } finally {
      elsewhere.remove();
    }
  });

  it('accepts a storage root that is itself reached through a link (its real path counts)', async () => {
    const parent = tempDir('harbor-upload-link-');
    try {
      symlinkSync(storage.path, join(parent.path, 'root'));
      const file = session('');
      const handle = await new UploadFiles(join(parent.path, 'root')).open(file, 0);
      await handle.close();
    } finally {
      parent.remove();
    }
  });

  it('refuses a file with a second name (a hard link from elsewhere)', async () => {
    const uuid = randomUUID();
    mkdirSync(join(storage.path, 'uploads', uuid), { recursive: true });
    linkSync(join(outside.path, 'data'), join(storage.path, 'uploads', uuid, 'data'));
    await expect(files.open(`uploads/${uuid}/data`, 6)).rejects.toThrow(/links/);
  });

  it('refuses what is not a plain file', async () => {
    const uuid = randomUUID();
    mkdirSync(join(storage.path, 'uploads', uuid, 'data'), { recursive: true });
    await expect(files.open(`uploads/${uuid}/data`, 0)).rejects.toBeInstanceOf(UploadFileRefusedError);
    const fifo = randomUUID();
    mkdirSync(join(storage.path, 'uploads', fifo));
    execFileSync('mkfifo', [join(storage.path, 'uploads', fifo, 'data')]);
    // Opening a FIFO for writing would wait for a reader: refused without waiting.
    await expect(files.open(`uploads/${fifo}/data`, 0)).rejects.toBeInstanceOf(UploadFileRefusedError);
  });

  it('refuses a file whose size is not the offset', async () => {
    const file = session('twelve bytes');
    await expect(files.open(file, 5)).rejects.toThrow(/12 bytes, offset 5/);
    await expect(files.open(file, 13)).rejects.toBeInstanceOf(UploadFileRefusedError);
  });

  it('tells a missing file, session or root apart, and creates nothing', async () => {
    const uuid = randomUUID();
    await expect(files.open(`uploads/${uuid}/data`, 0)).rejects.toBeInstanceOf(UploadFileMissingError);
    mkdirSync(join(storage.path, 'uploads', uuid), { recursive: true });
    await expect(files.open(`uploads/${uuid}/data`, 0)).rejects.toBeInstanceOf(UploadFileMissingError);
    expect(existsSync(join(storage.path, 'uploads', uuid, 'data'))).toBe(false);

    const absent = new UploadFiles(join(storage.path, 'not-yet'));
    expect(absent.ready()).toBe(false);
    await expect(absent.open(`uploads/${uuid}/data`, 0)).rejects.toBeInstanceOf(UploadFileMissingError);
    mkdirSync(join(storage.path, 'not-yet'));
    expect(absent.ready()).toBe(true);
  });
});

describe('pausing hand-overs after refusals in a row', () => {
  it('pauses after three refused offers in a row, for the pause, and a file that opens resets the count', () => {
    const files = new UploadFiles(tmpdir(), { pause: { afterRefusals: 3, ms: 1000 } });
    expect(files.usable(0)).toBe(true);
    expect([files.refused(0), files.refused(0)]).toEqual([false, false]);
    files.opened();
    expect([files.refused(0), files.refused(0), files.usable(0)]).toEqual([false, false, true]);
    expect(files.refused(10)).toBe(true);
    expect([files.usable(10), files.usable(1009), files.usable(1010)]).toEqual([false, false, true]);
  });
});
