import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { digestOf } from '@harbor/oci';
import { waitFor } from '@harbor/testkit';
import { startRegistry, Harness, all, binary, internalSecret, pushBlob } from './harness';
import { openRequest } from './open-request';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/uploads';
const auth = () => h.bearer(all(name));

async function startUpload(repository = name): Promise<{ location: string; uuid: string }> {
  const res = await h.http.post(`/v2/${repository}/blobs/uploads/`).set('Authorization', h.bearer(all(repository)));
  expect(res.status).toBe(202);
  return { location: res.headers.location!, uuid: res.headers['docker-upload-uuid']! };
}

async function blobVisible(digest: string, repository = name): Promise<boolean> {
  const res = await h.http.head(`/v2/${repository}/blobs/${digest}`).set('Authorization', h.bearer(all(repository)));
  return res.status === 200;
}

async function countSessions(): Promise<number> {
  return (await h.db.selectFrom('blob_upload').select('uuid').execute()).length;
}

function uploadDirectories(): string[] {
  const dir = join(h.storageRoot, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('blob uploads', () => {
  it('accepts a monolithic POST ?digest= with 201, Location and Docker-Content-Digest', async () => {
    const bytes = randomBytes(10_000);
    const digest = digestOf(bytes);
    const res = await h.http.post(`/v2/${name}/blobs/uploads/?digest=${digest}`).set('Authorization', auth()).send(bytes);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v2/${name}/blobs/${digest}`);
    expect(res.headers['docker-content-digest']).toBe(digest);
    expect(await blobVisible(digest)).toBe(true);
    const hex = digest.slice('sha256:'.length);
    expect(existsSync(join(h.storageRoot, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'))).toBe(true);
  });

  it('starts a session with 202, Location, Range 0-0 and Docker-Upload-UUID, then finishes with PUT and a body', async () => {
    const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set('Authorization', auth());
    expect(res.status).toBe(202);
    const uuid = res.headers['docker-upload-uuid']!;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.location).toBe(`/v2/${name}/blobs/uploads/${uuid}`);
    expect(res.headers.range).toBe('0-0');
    expect((await h.db.selectFrom('blob_upload').selectAll().where('uuid', '=', uuid).executeTakeFirst())?.repository_name).toBe(name);

    const bytes = Buffer.from('post then put');
    const digest = digestOf(bytes);
    const put = await h.http.put(`${res.headers.location}?digest=${digest}`).set('Authorization', auth()).send(bytes);
    expect(put.status).toBe(201);
    expect(put.headers['docker-content-digest']).toBe(digest);
    expect(await blobVisible(digest)).toBe(true);
    expect(await h.db.selectFrom('blob_upload').selectAll().where('uuid', '=', uuid).executeTakeFirst()).toBeUndefined();
    expect(uploadDirectories()).not.toContain(uuid);
  });

  it('appends chunks with PATCH and Content-Range, reports progress, and finishes with an empty PUT', async () => {
    const { location } = await startUpload();
    const parts = [randomBytes(70_000), randomBytes(1), randomBytes(33_333)];
    let offset = 0;
    for (const part of parts) {
      const res = await h.http
        .patch(location)
        .set('Authorization', auth())
        .set('Content-Type', 'application/octet-stream')
        .set('Content-Range', `${offset}-${offset + part.length - 1}`)
        .send(part);
      expect(res.status).toBe(202);
      offset += part.length;
      expect(res.headers.range).toBe(`0-${offset - 1}`);
      expect(res.headers.location).toBe(location);
    }
    const status = await h.http.get(location).set('Authorization', auth());
    expect(status.status).toBe(204);
    expect(status.headers.range).toBe(`0-${offset - 1}`);

    const digest = digestOf(Buffer.concat(parts));
    const put = await h.http.put(`${location}?digest=${digest}`).set('Authorization', auth());
    expect(put.status).toBe(201);
    const blob = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).buffer(true).parse(binary);
    expect(Buffer.compare(blob.body as Buffer, Buffer.concat(parts))).toBe(0);
  });

  it('takes chunks without Content-Range (docker sends streamed PATCHes)', async () => {
    const { location } = await startUpload();
    const a = randomBytes(5_000);
    const b = randomBytes(6_000);
    await h.http.patch(location).set('Authorization', auth()).send(a).expect(202);
    await h.http.patch(location).set('Authorization', auth()).send(b).expect(202);
    const digest = digestOf(Buffer.concat([a, b]));
    await h.http.put(`${location}?digest=${digest}`).set('Authorization', auth()).expect(201);
  });

  it('answers an out-of-order or overlapping chunk with 416 and the current Range, keeping the upload', async () => {
    const { location } = await startUpload();
    await h.http.patch(location).set('Authorization', auth()).set('Content-Range', '0-9').send(Buffer.alloc(10, 1)).expect(202);
    for (const range of ['20-29', '5-14', '0-9']) {
      const res = await h.http.patch(location).set('Authorization', auth()).set('Content-Range', range).send(Buffer.alloc(10, 2));
      expect([range, res.status, res.headers.range, res.body.errors?.[0]?.code]).toEqual([range, 416, '0-9', 'RANGE_INVALID']);
    }
    const mismatch = await h.http.patch(location).set('Authorization', auth()).set('Content-Range', '10-19').send(Buffer.alloc(5, 2));
    expect(mismatch.status).toBe(416);
    const garbage = await h.http.patch(location).set('Authorization', auth()).set('Content-Range', 'banana').send(Buffer.alloc(5, 2));
    expect(garbage.status).toBe(416);
    const status = await h.http.get(location).set('Authorization', auth());
    expect(status.headers.range).toBe('0-9');
  });

  it('refuses a wrong digest with DIGEST_INVALID and makes nothing visible', async () => {
    const bytes = Buffer.from('the real bytes');
    const claimed = digestOf('other bytes');
    const mono = await h.http.post(`/v2/${name}/blobs/uploads/?digest=${claimed}`).set('Authorization', auth()).send(bytes);
    expect([mono.status, mono.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
    expect(await blobVisible(claimed)).toBe(false);
    expect(await blobVisible(digestOf(bytes))).toBe(false);

    const { location, uuid } = await startUpload();
    const put = await h.http.put(`${location}?digest=${claimed}`).set('Authorization', auth()).send(bytes);
    expect(put.body.errors[0].code).toBe('DIGEST_INVALID');
    expect(await h.db.selectFrom('blob').selectAll().where('digest', 'in', [claimed, digestOf(bytes)]).execute()).toEqual([]);
    expect(uploadDirectories()).not.toContain(uuid);
  });

  it('refuses malformed and unsupported digests', async () => {
    for (const bad of ['sha256:abc', 'md5:d41d8cd98f00b204e9800998ecf8427e', 'nonsense']) {
      const res = await h.http.post(`/v2/${name}/blobs/uploads/?digest=${bad}`).set('Authorization', auth()).send('x');
      expect([bad, res.status, res.body.errors[0].code]).toEqual([bad, 400, 'DIGEST_INVALID']);
    }
    const { location } = await startUpload();
    const missing = await h.http.put(location).set('Authorization', auth()).send('x');
    expect(missing.body.errors[0].code).toBe('DIGEST_INVALID');
  });

  it('verifies sha512 digests too', async () => {
    const bytes = randomBytes(2_000);
    const digest = digestOf(bytes, 'sha512');
    await h.http.post(`/v2/${name}/blobs/uploads/?digest=${digest}`).set('Authorization', auth()).send(bytes).expect(201);
    expect(await blobVisible(digest)).toBe(true);
    // chunked: the in-flight hash is sha256, so the finish re-reads the bytes as sha512
    const { location } = await startUpload();
    const other = randomBytes(3_000);
    await h.http.patch(location).set('Authorization', auth()).send(other).expect(202);
    await h.http.put(`${location}?digest=${digestOf(other, 'sha512')}`).set('Authorization', auth()).expect(201);
    const wrong = await startUpload();
    await h.http.patch(wrong.location).set('Authorization', auth()).send(other).expect(202);
    const res = await h.http.put(`${wrong.location}?digest=${digestOf('nope', 'sha512')}`).set('Authorization', auth());
    expect(res.body.errors[0].code).toBe('DIGEST_INVALID');
  });

  it('leaves nothing visible when the body is cut short of its Content-Length', async () => {
    const bytes = randomBytes(4_000);
    const digest = digestOf(bytes);
    const port = Number(new URL(h.url).port);
    const sessionsBefore = await countSessions();
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /v2/${name}/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\n` +
            `Content-Length: ${bytes.length}\r\n\r\n`,
        );
        socket.write(bytes.subarray(0, 1_000));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // the server notices the abort and cleans up on its own time (slow under load)
    await waitFor('the one-shot session to be discarded', async () => (await countSessions()) === sessionsBefore).catch(() => undefined);
    expect(await blobVisible(digest)).toBe(false);
    expect(await h.db.selectFrom('blob').selectAll().where('digest', '=', digest).execute()).toEqual([]);
    // the one-shot session is discarded: there is nothing a client could resume
    expect(await countSessions()).toBe(sessionsBefore);
  });

  it('streams a monolithic POST ?digest= without a session row, and shows the blob only once it is complete', async () => {
    // Past the 1 MiB a whole blob may be held in memory: this one goes through an upload file.
    const bytes = randomBytes(1024 * 1024 + 6_000);
    const digest = digestOf(bytes);
    const sessionsBefore = await countSessions();
    const directoriesBefore = uploadDirectories();
    const request = await openRequest(
      h.url,
      `POST /v2/${name}/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\n` +
        `Content-Length: ${bytes.length}\r\n\r\n`,
      bytes.subarray(0, 2_000),
    );
    // The bytes land in an upload directory of their own, with no row to find them by.
    await waitFor('the one-shot upload to reach storage', () => uploadDirectories().some((d) => !directoriesBefore.includes(d)));
    expect(await countSessions()).toBe(sessionsBefore);
    expect(await blobVisible(digest)).toBe(false);
    expect(await request.rest(bytes.subarray(2_000))).toBe(201);
    expect(await blobVisible(digest)).toBe(true);
    expect(await countSessions()).toBe(sessionsBefore);
    expect(uploadDirectories().filter((d) => !directoriesBefore.includes(d))).toEqual([]);
  });

  it('writes a whole small blob straight to the store: no upload directory, and a body cut short stores nothing', async () => {
    const bytes = randomBytes(6_000);
    const digest = digestOf(bytes);
    const { uuid } = await startUpload();
    const directoriesBefore = uploadDirectories();
    const head = (length: number) =>
      `PUT /v2/${name}/blobs/uploads/${uuid}?digest=${digest} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\n` +
      `Content-Length: ${length}\r\n\r\n`;
    const cut = await openRequest(h.url, head(bytes.length), bytes.subarray(0, 2_000));
    // Time for the registry to read the first bytes: through an upload file they would be stored, and the session would stand at 2000.
    await new Promise((r) => setTimeout(r, 50));
    cut.socket.destroy();
    // The session stands at 0 bytes, as before the cut: nothing was stored.
    await waitFor('the cut PUT to be over', async () => {
      const status = await h.http.get(`/v2/${name}/blobs/uploads/${uuid}`).set('Authorization', auth());
      return status.status === 204 && status.headers.range === '0-0';
    });
    expect(await blobVisible(digest)).toBe(false);
    expect(uploadDirectories().filter((d) => !directoriesBefore.includes(d))).toEqual([]);

    const done = await h.http.put(`/v2/${name}/blobs/uploads/${uuid}?digest=${digest}`).set('Authorization', auth()).set('Content-Type', 'application/octet-stream').send(bytes);
    expect(done.status).toBe(201);
    expect(uploadDirectories().filter((d) => !directoriesBefore.includes(d))).toEqual([]);
    const hex = digest.slice('sha256:'.length);
    expect(readFileSync(join(h.storageRoot, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'))).toEqual(bytes);
    const pulled = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).buffer(true).parse(binary);
    expect(Buffer.compare(pulled.body as Buffer, bytes)).toBe(0);
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', uuid).execute()).toEqual([]);
  });

  it('refuses a whole small blob PUT whose Content-Range is misplaced, mismatched or garbage with 416, storing nothing and keeping the session', async () => {
    const bytes = randomBytes(2_000);
    const digest = digestOf(bytes);
    const { location, uuid } = await startUpload();
    const directoriesBefore = uploadDirectories();
    for (const range of ['10-2009', '0-999', 'banana']) {
      const res = await h.http
        .put(`${location}?digest=${digest}`)
        .set('Authorization', auth())
        .set('Content-Type', 'application/octet-stream')
        .set('Content-Range', range)
        .send(bytes);
      expect([range, res.status, res.headers.range, res.body.errors?.[0]?.code]).toEqual([range, 416, '0-0', 'RANGE_INVALID']);
    }
    expect(await blobVisible(digest)).toBe(false);
    expect(uploadDirectories().filter((d) => !directoriesBefore.includes(d))).toEqual([]);
    const done = await h.http.put(`${location}?digest=${digest}`).set('Authorization', auth()).set('Content-Range', '0-1999').set('Content-Type', 'application/octet-stream').send(bytes);
    expect(done.status).toBe(201);
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', uuid).execute()).toEqual([]);
  });

  it('refuses a whole small blob with the wrong digest on PUT: session gone, nothing stored', async () => {
    const bytes = randomBytes(2_000);
    const claimed = digestOf(randomBytes(2_000));
    const { uuid } = await startUpload();
    const res = await h.http.put(`/v2/${name}/blobs/uploads/${uuid}?digest=${claimed}`).set('Authorization', auth()).set('Content-Type', 'application/octet-stream').send(bytes);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', uuid).execute()).toEqual([]);
    expect(await blobVisible(claimed)).toBe(false);
    expect(await blobVisible(digestOf(bytes))).toBe(false);
    const hex = digestOf(bytes).slice('sha256:'.length);
    expect(existsSync(join(h.storageRoot, 'blobs', 'sha256', hex.slice(0, 2), hex))).toBe(false);
  });

  it('finishes a small session whose file an empty chunk made, and removes that directory', async () => {
    const bytes = randomBytes(3_000);
    const digest = digestOf(bytes);
    const { uuid } = await startUpload();
    const empty = await h.http.patch(`/v2/${name}/blobs/uploads/${uuid}`).set('Authorization', auth()).set('Content-Type', 'application/octet-stream').send(Buffer.alloc(0));
    expect(empty.status).toBe(202);
    expect(uploadDirectories()).toContain(uuid);
    const done = await h.http.put(`/v2/${name}/blobs/uploads/${uuid}?digest=${digest}`).set('Authorization', auth()).set('Content-Type', 'application/octet-stream').send(bytes);
    expect(done.status).toBe(201);
    expect(uploadDirectories()).not.toContain(uuid);
    expect(await blobVisible(digest)).toBe(true);
  });

  it('leaves no row, no bytes and no blob behind a monolithic POST with the wrong digest', async () => {
    const bytes = randomBytes(3_000);
    const claimed = digestOf(randomBytes(3_000));
    const sessionsBefore = await countSessions();
    const directoriesBefore = uploadDirectories();
    const res = await h.http.post(`/v2/${name}/blobs/uploads/?digest=${claimed}`).set('Authorization', auth()).send(bytes);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
    expect(await countSessions()).toBe(sessionsBefore);
    expect(uploadDirectories().filter((d) => !directoriesBefore.includes(d))).toEqual([]);
    expect(await h.db.selectFrom('blob').selectAll().where('digest', 'in', [claimed, digestOf(bytes)]).execute()).toEqual([]);
  });

  it('publishes into a repository deleted while the upload was under way, making it again', async () => {
    const repository = 'library/vanishing';
    await pushBlob(h, repository, randomBytes(100));
    const { location } = await startUpload(repository);
    await h.db.deleteFrom('repository').where('name', '=', repository).execute();
    const bytes = randomBytes(1_024);
    const digest = digestOf(bytes);
    await h.http.put(`${location}?digest=${digest}`).set('Authorization', h.bearer(all(repository))).send(bytes).expect(201);
    expect(await blobVisible(digest, repository)).toBe(true);
  });

  it('keeps the bytes of a PATCH cut short, so the client can resume from the reported offset', async () => {
    const { location } = await startUpload();
    const port = Number(new URL(h.url).port);
    const first = randomBytes(3_000);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`PATCH ${location} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\nContent-Length: 10000\r\n\r\n`);
        socket.write(first);
        setTimeout(() => socket.destroy(), 150);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const status = await waitFor('the cut PATCH to be recorded', async () => {
      const res = await h.http.get(location).set('Authorization', auth());
      return res.headers.range === '0-2999' ? res : undefined;
    }).catch(() => h.http.get(location).set('Authorization', auth()));
    expect(status.headers.range).toBe('0-2999');
    const rest = randomBytes(500);
    await h.http.patch(location).set('Authorization', auth()).set('Content-Range', '3000-3499').send(rest).expect(202);
    await h.http.put(`${location}?digest=${digestOf(Buffer.concat([first, rest]))}`).set('Authorization', auth()).expect(201);
  });

  it('cancels an upload with DELETE, removing its row and bytes', async () => {
    const { location, uuid } = await startUpload();
    await h.http.patch(location).set('Authorization', auth()).send(randomBytes(100)).expect(202);
    expect(uploadDirectories()).toContain(uuid);
    await h.http.delete(location).set('Authorization', auth()).expect(204);
    expect(uploadDirectories()).not.toContain(uuid);
    const after = await h.http.get(location).set('Authorization', auth());
    expect([after.status, after.body.errors[0].code]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
  });

  it('does not let another repository, or a made-up id, touch an upload', async () => {
    const { uuid } = await startUpload();
    const other = 'library/elsewhere';
    const stolen = await h.http.patch(`/v2/${other}/blobs/uploads/${uuid}`).set('Authorization', h.bearer(all(other))).send('x');
    expect([stolen.status, stolen.body.errors[0].code]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
    for (const id of ['00000000-0000-4000-8000-000000000000', '..', 'not-a-uuid']) {
      const res = await h.http.get(`/v2/${name}/blobs/uploads/${id}`).set('Authorization', auth());
      expect([id, res.status]).toEqual([id, 404]);
    }
  });

  it('stores the bytes of one digest once across repositories', async () => {
    const bytes = randomBytes(1_234);
    const digest = await pushBlob(h, 'library/one', bytes);
    await pushBlob(h, 'team/two', bytes);
    // Every stored file holding these bytes, wherever it is: exactly one, at the digest's path.
    const copies = (readdirSync(h.storageRoot, { recursive: true }) as string[]).filter((path) => {
      const full = join(h.storageRoot, path);
      return statSync(full).isFile() && statSync(full).size === bytes.length && readFileSync(full).equals(bytes);
    });
    expect(copies).toEqual([join('blobs', 'sha256', digest.slice(7, 9), digest.slice(7), 'data')]);
    const links = await h.db.selectFrom('repository_blob').select('repository_id').where('digest', '=', digest).execute();
    expect(links).toHaveLength(2);
  });
});

describe('cross-repository mount', () => {
  it('mounts with 201 when the token may pull the source and the source has the blob', async () => {
    const digest = await pushBlob(h, 'library/source', 'mount me');
    const res = await h.http
      .post(`/v2/team/target/blobs/uploads/?mount=${digest}&from=library/source`)
      .set('Authorization', h.bearer(all('team/target'), 'repository:library/source:pull'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v2/team/target/blobs/${digest}`);
    expect(await blobVisible(digest, 'team/target')).toBe(true);
  });

  it('falls back to a normal upload when the token cannot pull the source', async () => {
    const digest = await pushBlob(h, 'library/secret', 'not yours');
    const res = await h.http.post(`/v2/team/thief/blobs/uploads/?mount=${digest}&from=library/secret`).set('Authorization', h.bearer(all('team/thief')));
    expect(res.status).toBe(202);
    expect(res.headers['docker-upload-uuid']).toBeDefined();
    expect(await blobVisible(digest, 'team/thief')).toBe(false);
  });

  it('falls back to a normal upload when the source does not have the blob', async () => {
    const res = await h.http
      .post(`/v2/team/target/blobs/uploads/?mount=${digestOf('absent')}&from=library/source`)
      .set('Authorization', h.bearer(all('team/target'), 'repository:library/source:pull'));
    expect(res.status).toBe(202);
  });
});

describe('upload purge', () => {
  it('needs the internal secret', async () => {
    const res = await h.http.post('/internal/uploads/purge').send({ olderThanMinutes: 0 });
    expect(res.status).toBe(401);
    const bad = await h.http.post('/internal/uploads/purge').set('Authorization', `Harbor-Secret ${internalSecret}`).send({ olderThanMinutes: -1 });
    expect(bad.status).toBe(400);
  });

  it('removes sessions idle for longer than asked, rows and bytes, and keeps fresh ones', async () => {
    const old = await startUpload();
    await h.http.patch(old.location).set('Authorization', auth()).send(randomBytes(50)).expect(202);
    await h.db.updateTable('blob_upload').set({ update_time: new Date(Date.now() - 3 * 3_600_000) }).where('uuid', '=', old.uuid).execute();
    const fresh = await startUpload();
    const res = await h.http.post('/internal/uploads/purge').set('Authorization', `Harbor-Secret ${internalSecret}`).send({ olderThanMinutes: 60 });
    expect(res.status).toBe(200);
    expect(res.body.purged).toBeGreaterThanOrEqual(1);
    expect(uploadDirectories()).not.toContain(old.uuid);
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', old.uuid).executeTakeFirst()).toBeUndefined();
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', fresh.uuid).executeTakeFirst()).toBeDefined();
  });

  it('counts a chunk as activity: a session idle for hours that receives one is kept', async () => {
    const idle = await startUpload();
    await h.db.updateTable('blob_upload').set({ update_time: new Date(Date.now() - 3 * 3_600_000) }).where('uuid', '=', idle.uuid).execute();
    await h.http.patch(idle.location).set('Authorization', auth()).send(randomBytes(50)).expect(202);
    await h.http.post('/internal/uploads/purge').set('Authorization', `Harbor-Secret ${internalSecret}`).send({ olderThanMinutes: 60 }).expect(200);
    expect(await h.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', idle.uuid).executeTakeFirst()).toBeDefined();
    expect(uploadDirectories()).toContain(idle.uuid);
  });

  it('removes old upload bytes that have no row (a one-shot upload cut off by a crash), and keeps recent ones', async () => {
    const plant = (directoryAge: number, fileAge = directoryAge): string => {
      const uuid = randomUUID();
      const directory = join(h.storageRoot, 'uploads', uuid);
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, 'data'), randomBytes(100));
      const fileTime = new Date(Date.now() - fileAge);
      utimesSync(join(directory, 'data'), fileTime, fileTime);
      const directoryTime = new Date(Date.now() - directoryAge);
      utimesSync(directory, directoryTime, directoryTime);
      return uuid;
    };
    const crashed = plant(3 * 3_600_000);
    const recent = plant(0);
    // A one-shot POST writing for longer than the cutoff: its directory is as old as its start, its file is not.
    const stillWriting = plant(3 * 3_600_000, 0);
    const res = await h.http.post('/internal/uploads/purge').set('Authorization', `Harbor-Secret ${internalSecret}`).send({ olderThanMinutes: 60 });
    expect(res.body.purged).toBeGreaterThanOrEqual(1);
    expect(uploadDirectories()).not.toContain(crashed);
    expect(uploadDirectories()).toContain(recent);
    expect(uploadDirectories()).toContain(stillWriting);
  });

  it('removes the partial copy of a small blob a killed registry left, once as old as asked, and keeps a recent one', async () => {
    // Stored whole (putContent): written under <root>/.tmp, renamed into place; a kill between the two leaves the copy.
    const partials = join(h.storageRoot, '.tmp');
    const small = randomBytes(3000);
    await h.http.post(`/v2/${name}/blobs/uploads/?digest=${digestOf(small)}`).set('Authorization', auth()).send(small).expect(201);
    expect(readdirSync(partials)).toEqual([]);
    const plant = (name: string, age: number): void => {
      writeFileSync(join(partials, name), randomBytes(1000));
      const when = new Date(Date.now() - age);
      utimesSync(join(partials, name), when, when);
    };
    plant(randomUUID(), 3 * 3_600_000);
    const recent = randomUUID();
    plant(recent, 0);
    const res = await h.http.post('/internal/uploads/purge').set('Authorization', `Harbor-Secret ${internalSecret}`).send({ olderThanMinutes: 60 });
    expect(res.status).toBe(200);
    expect(res.body.purged).toBe(1);
    expect(readdirSync(partials)).toEqual([recent]);
  });
});
