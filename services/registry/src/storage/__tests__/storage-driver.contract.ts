import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidOffsetError, InvalidPathError, PathNotFoundError, StorageDriver } from '../storage-driver';

/**
 * The behaviour every StorageDriver must have. A driver's test file calls
 * this with a factory that gives a fresh, empty store and a way to remove it.
 */
export function storageDriverContract(
  label: string,
  /** `localRoot`: the directory a driver with a local medium maps `/` onto. */
  create: () => Promise<{ driver: StorageDriver; cleanup: () => Promise<void>; localRoot?: string }>,
): void {
  describe(`StorageDriver contract: ${label}`, () => {
    let driver: StorageDriver;
    let cleanup: () => Promise<void>;
    let localRoot: string | undefined;

    beforeEach(async () => {
      ({ driver, cleanup, localRoot } = await create());
    });
    afterEach(async () => {
      await cleanup();
    });

    async function readAll(stream: Readable): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }

    async function writeFile(path: string, content: Buffer, append = false): Promise<void> {
      const writer = await driver.writer(path, append);
      await pipeline(Readable.from([content]), writer);
      await writer.commit();
    }

    it('stores and replaces small content', async () => {
      await driver.putContent('/a/b/small', Buffer.from('one'));
      expect((await driver.getContent('/a/b/small')).toString()).toBe('one');
      await driver.putContent('/a/b/small', Buffer.from('two'));
      expect((await driver.getContent('/a/b/small')).toString()).toBe('two');
    });

    it('reports a missing path as PathNotFoundError everywhere', async () => {
      await expect(driver.getContent('/missing')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.reader('/missing')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.stat('/missing')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.list('/missing')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.move('/missing', '/elsewhere')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.delete('/missing')).rejects.toBeInstanceOf(PathNotFoundError);
    });

    it('refuses paths that could escape the store', async () => {
      for (const bad of ['relative', '/a/../b', '/..', '/a//b', '/a/./b', '/a/b/', '', '/a b', '/a\\b', '/%2e%2e']) {
        await expect(driver.getContent(bad)).rejects.toBeInstanceOf(InvalidPathError);
        await expect(driver.writer(bad, false)).rejects.toBeInstanceOf(InvalidPathError);
      }
    });

    it('streams a large file in and out unchanged, committing it', async () => {
      const hash = createHash('sha256');
      const writer = await driver.writer('/big/data', false);
      const chunks = (function* () {
        for (let i = 0; i < 64; i++) {
          const chunk = randomBytes(128 * 1024 + i);
          hash.update(chunk);
          yield chunk;
        }
      })();
      await pipeline(Readable.from(chunks), writer);
      await writer.commit();
      const expected = hash.digest('hex');
      const total = Array.from({ length: 64 }, (_, i) => 128 * 1024 + i).reduce((a, b) => a + b, 0);
      expect(writer.size).toBe(total);
      expect((await driver.stat('/big/data')).size).toBe(total);
      const readBack = createHash('sha256');
      for await (const chunk of await driver.reader('/big/data')) readBack.update(chunk as Buffer);
      expect(readBack.digest('hex')).toBe(expected);
    });

    it('appends to an existing file and counts its earlier bytes', async () => {
      await writeFile('/up/data', Buffer.from('hello '));
      const writer = await driver.writer('/up/data', true);
      expect(writer.size).toBe(6);
      await pipeline(Readable.from([Buffer.from('world')]), writer);
      await writer.close();
      expect(writer.size).toBe(11);
      expect((await driver.getContent('/up/data')).toString()).toBe('hello world');
    });

    it('keeps the bytes of a writer whose source failed, for resuming', async () => {
      const writer = await driver.writer('/broken/data', false);
      const source = new Readable({ read() {} });
      const done = pipeline(source, writer);
      source.push(Buffer.from('partial'));
      await new Promise((r) => setTimeout(r, 20));
      source.destroy(new Error('client went away'));
      await expect(done).rejects.toThrow('client went away');
      expect((await driver.getContent('/broken/data')).toString()).toBe('partial');
    });

    it('removes the file of a cancelled writer', async () => {
      const writer = await driver.writer('/cancelled/data', false);
      writer.write(Buffer.from('doomed'));
      await writer.cancel();
      await expect(driver.stat('/cancelled/data')).rejects.toBeInstanceOf(PathNotFoundError);
    });

    it('reads from an offset, for a length, and refuses offsets past the end', async () => {
      await writeFile('/r/data', Buffer.from('0123456789'));
      expect((await readAll(await driver.reader('/r/data', 3))).toString()).toBe('3456789');
      expect((await readAll(await driver.reader('/r/data', 3, 4))).toString()).toBe('3456');
      expect((await readAll(await driver.reader('/r/data', 8, 100))).toString()).toBe('89');
      expect((await readAll(await driver.reader('/r/data', 10))).length).toBe(0);
      await expect(driver.reader('/r/data', 11)).rejects.toBeInstanceOf(InvalidOffsetError);
    });

    it('stats files and directories', async () => {
      await writeFile('/s/t/data', Buffer.from('abc'));
      expect(await driver.stat('/s/t/data')).toMatchObject({ path: '/s/t/data', size: 3, isDir: false });
      expect(await driver.stat('/s/t')).toMatchObject({ isDir: true });
      const age = Date.now() - (await driver.stat('/s/t/data')).modTime.getTime();
      expect(age).toBeGreaterThanOrEqual(-5_000);
      expect(age).toBeLessThan(60_000);
    });

    it('lists direct children sorted, and an empty store as nothing', async () => {
      expect(await driver.list('/')).toEqual([]);
      // Whatever a driver keeps for its own writes is not part of the store.
      await driver.putContent('/l/d', Buffer.from('4'));
      await writeFile('/l/b', Buffer.from('1'));
      await writeFile('/l/a/x', Buffer.from('2'));
      await writeFile('/l/c', Buffer.from('3'));
      expect(await driver.list('/l')).toEqual(['/l/a', '/l/b', '/l/c', '/l/d']);
      expect(await driver.list('/')).toEqual(['/l']);
    });

    it('moves a file over an existing one, creating parents', async () => {
      await writeFile('/uploads/u1/data', Buffer.from('new'));
      await writeFile('/blobs/x/data', Buffer.from('old'));
      await driver.move('/uploads/u1/data', '/blobs/x/data');
      expect((await driver.getContent('/blobs/x/data')).toString()).toBe('new');
      await writeFile('/uploads/u2/data', Buffer.from('deep'));
      await driver.move('/uploads/u2/data', '/p/q/r/s/data');
      expect((await driver.getContent('/p/q/r/s/data')).toString()).toBe('deep');
      await expect(driver.stat('/uploads/u2/data')).rejects.toBeInstanceOf(PathNotFoundError);
    });

    it('deletes files and whole trees', async () => {
      await writeFile('/d/one/data', Buffer.from('1'));
      await writeFile('/d/two/data', Buffer.from('2'));
      await driver.delete('/d/one/data');
      await expect(driver.stat('/d/one/data')).rejects.toBeInstanceOf(PathNotFoundError);
      await driver.delete('/d');
      await expect(driver.stat('/d/two/data')).rejects.toBeInstanceOf(PathNotFoundError);
    });

    it('walks every file below a path', async () => {
      await writeFile('/w/a/data', Buffer.from('1'));
      await writeFile('/w/b/c/data', Buffer.from('22'));
      await writeFile('/w/z', Buffer.from('333'));
      const seen: Array<[string, number]> = [];
      await driver.walk('/w', (info) => {
        seen.push([info.path, info.size]);
      });
      expect(seen).toEqual([['/w/a/data', 1], ['/w/b/c/data', 2], ['/w/z', 3]]);
    });

    it('keeps paths that only differ by a suffix apart', async () => {
      await writeFile('/p/ab', Buffer.from('file ab'));
      await writeFile('/p/ab-c', Buffer.from('file ab-c'));
      await writeFile('/p/abc/data', Buffer.from('file abc/data'));
      await writeFile('/p/ab.d/data', Buffer.from('file ab.d/data'));
      expect(await driver.list('/p')).toEqual(['/p/ab', '/p/ab-c', '/p/ab.d', '/p/abc']);
      expect(await driver.stat('/p/ab')).toMatchObject({ isDir: false, size: 7 });
      await expect(driver.list('/p/ab')).rejects.toBeInstanceOf(PathNotFoundError);
      await driver.delete('/p/ab');
      expect(await driver.list('/p')).toEqual(['/p/ab-c', '/p/ab.d', '/p/abc']);
      expect((await driver.getContent('/p/abc/data')).toString()).toBe('file abc/data');
      await driver.move('/p/ab-c', '/p/ab');
      expect((await driver.getContent('/p/ab')).toString()).toBe('file ab-c');
      expect((await driver.getContent('/p/ab.d/data')).toString()).toBe('file ab.d/data');
    });

    it('resumes an upload over many appends, each chunk larger than a multipart part, and moves it whole', async () => {
      const hash = createHash('sha256');
      let total = 0;
      // 3 appends of 6 MiB + a little: above S3's 5 MiB smallest part, so each is a multipart upload.
      for (let i = 0; i < 3; i++) {
        const writer = await driver.writer('/uploads/big/data', true);
        expect(writer.size).toBe(total);
        const chunk = randomBytes(6 * 1024 * 1024 + 7 * i);
        hash.update(chunk);
        total += chunk.length;
        await pipeline(Readable.from([chunk.subarray(0, 1_000_000), chunk.subarray(1_000_000)]), writer);
        await (i === 2 ? writer.commit() : writer.close());
      }
      // An append of nothing (the final PUT of a chunked push) changes nothing.
      const empty = await driver.writer('/uploads/big/data', true);
      empty.end();
      await empty.commit();
      expect(empty.size).toBe(total);
      expect((await driver.stat('/uploads/big/data')).size).toBe(total);
      const tail = await readAll(await driver.reader('/uploads/big/data', total - 10, 5));
      expect(tail.length).toBe(5);
      await driver.move('/uploads/big/data', '/blobs/big/data');
      await expect(driver.stat('/uploads/big/data')).rejects.toBeInstanceOf(PathNotFoundError);
      const info = await driver.stat('/blobs/big/data');
      expect(info.size).toBe(total);
      const readBack = createHash('sha256');
      for await (const chunk of await driver.reader('/blobs/big/data')) readBack.update(chunk as Buffer);
      expect(readBack.digest('hex')).toBe(hash.digest('hex'));
      // A range across what were two appended chunks reads the same as the whole file's bytes there.
      const whole = await driver.getContent('/blobs/big/data');
      const middle = await readAll(await driver.reader('/blobs/big/data', 6 * 1024 * 1024 - 3, 10));
      expect(middle.equals(whole.subarray(6 * 1024 * 1024 - 3, 6 * 1024 * 1024 + 7))).toBe(true);
    });

    it('answers a redirect URL that serves the file, or none', async () => {
      await writeFile('/blobs/r/data', Buffer.from('redirected bytes'));
      const url = await driver.redirectUrl('/blobs/r/data');
      if (url === null) return;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('redirected bytes');
    });

    it('names the local file holding the bytes, or none', async () => {
      const content = randomBytes(4096);
      await writeFile('/blobs/l/data', content);
      const local = await driver.localFile('/blobs/l/data');
      if (localRoot === undefined) {
        expect(local).toBeNull();
        return;
      }
      expect(local).toEqual({ relativePath: 'blobs/l/data', size: content.length });
      expect(readFileSync(join(localRoot, local!.relativePath)).equals(content)).toBe(true);
      await expect(driver.localFile('/blobs/missing/data')).rejects.toBeInstanceOf(PathNotFoundError);
      await expect(driver.localFile('/blobs')).resolves.toBeNull();
      await expect(driver.localFile('/blobs/../etc')).rejects.toBeInstanceOf(InvalidPathError);
    });

    it('removes no file a reader can see as a leftover, however old the cutoff makes everything', async () => {
      await driver.putContent('/k/small', Buffer.from('kept'));
      await writeFile('/k/large/data', randomBytes(4096));
      const unfinished = await driver.writer('/k/upload/data', false);
      await pipeline(Readable.from([Buffer.from('half')]), unfinished);
      await unfinished.close();
      expect(await driver.removeLeftovers(new Date(Date.now() + 3_600_000))).toBe(0);
      expect((await driver.getContent('/k/small')).toString()).toBe('kept');
      expect((await driver.stat('/k/large/data')).size).toBe(4096);
      expect((await driver.getContent('/k/upload/data')).toString()).toBe('half');
    });

    it('keeps concurrent writers to different files apart', async () => {
      const contents = Array.from({ length: 8 }, (_, i) => randomBytes(64 * 1024 + i));
      await Promise.all(contents.map((c, i) => writeFile(`/c/${i}/data`, c)));
      for (const [i, c] of contents.entries()) expect((await driver.getContent(`/c/${i}/data`)).equals(c)).toBe(true);
    });
  });
}
