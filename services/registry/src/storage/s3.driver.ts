import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  ServerSideEncryption,
  StorageClass,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3FileWriter } from './s3-file-writer';
import type { S3DriverOptions } from './s3-options';
import {
  checkPath,
  FileInfo,
  FileWriter,
  InvalidOffsetError,
  PathNotFoundError,
  StorageDriver,
} from './storage-driver';

/** CopyObject's limit, and the largest part UploadPartCopy takes. */
const maxSingleCopy = 5 * 1024 * 1024 * 1024;
/** S3's smallest part (every part but the last). */
const minPartSize = 5 * 1024 * 1024;

/**
 * Separates a file's key from the keys of its appended segments. `~` can
 * never occur in a driver path, so a segment key never names another file.
 */
const segmentMark = '~';

interface Segment {
  key: string;
  size: number;
  modTime: Date;
}

/**
 * Driver paths mapped to keys of one bucket under `rootdirectory`.
 *
 * S3 has no append, and an upload's chunks arrive in separate requests that
 * may land on different registry processes. So a file is stored as segments:
 * the first write goes to the file's own key, each append to `<key>~000001`,
 * `<key>~000002`... in order; readers, stat and move see their concatenation.
 * Only upload files ever have more than one segment: the move to /blobs
 * joins them into one object server-side (CopyObject for one segment, the
 * usual docker/podman push of a single PATCH; a multipart copy when every
 * segment but the last has 5 MiB), or else by streaming them through a
 * multipart upload in parts of chunksize. Directories are key prefixes.
 */
export class S3Driver implements StorageDriver {
  readonly name = 's3';
  private readonly client: S3Client;
  /**
   * Writers of this process per file key. A pipeline that fails rejects
   * before its writer has stored what it received; reads of that file wait
   * for writers that are ending, so stat() after a failed chunk sees its bytes.
   */
  private readonly writers = new Map<string, Set<S3FileWriter>>();

  constructor(private readonly options: S3DriverOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKey && options.secretKey
          ? { accessKeyId: options.accessKey, secretAccessKey: options.secretKey, sessionToken: options.sessionToken }
          : undefined,
      // Checksums only where S3 requires them: S3-compatible servers often reject aws-chunked trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Releases the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  async getContent(path: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.reader(path)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    const key = this.key(path);
    // One PUT is atomic on S3: readers see the old object or the new one.
    await this.client.send(new PutObjectCommand({ ...this.objectParams(key), Body: content, ContentLength: content.length }));
    await this.deleteKeys((await this.segments(key)).slice(1).map((s) => s.key));
  }

  async reader(path: string, offset = 0, length?: number): Promise<Readable> {
    const segments = await this.segments(this.key(path));
    if (segments.length === 0) throw new PathNotFoundError(path);
    const size = segments.reduce((sum, s) => sum + s.size, 0);
    if (offset < 0 || offset > size) throw new InvalidOffsetError(path, offset);
    const end = length === undefined ? size : Math.min(size, offset + length);
    return Readable.from(this.readRange(segments, offset, end), { objectMode: false, highWaterMark: 1024 * 1024 });
  }

  async writer(path: string, append: boolean): Promise<FileWriter> {
    const key = this.key(path);
    let segments = await this.segments(key);
    if (!append && segments.length > 0) {
      await this.deleteKeys(segments.map((s) => s.key));
      segments = [];
    }
    const size = segments.reduce((sum, s) => sum + s.size, 0);
    const segmentKey = segments.length === 0 ? key : `${key}${segmentMark}${String(segments.length).padStart(6, '0')}`;
    const writer = new S3FileWriter(
      {
        upload: (body) => this.uploadStream(segmentKey, body),
        createEmpty: async () => {
          await this.client.send(new PutObjectCommand({ ...this.objectParams(segmentKey), Body: '', ContentLength: 0 }));
        },
        remove: async () => this.deleteKeys((await this.segments(key)).map((s) => s.key)),
      },
      size,
      segments.length === 0,
    );
    this.track(key, writer);
    return writer;
  }

  async stat(path: string): Promise<FileInfo> {
    if (path === '/') {
      checkPath(path, true);
      // The health check: the bucket answers.
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
      return { path, size: 0, modTime: new Date(), isDir: true };
    }
    const key = this.key(path);
    const segments = await this.segments(key);
    if (segments.length > 0) {
      return {
        path,
        size: segments.reduce((sum, s) => sum + s.size, 0),
        modTime: new Date(Math.max(...segments.map((s) => s.modTime.getTime()))),
        isDir: false,
      };
    }
    // A directory's time is that of its newest object, which is what the upload purge needs.
    let newest = 0;
    let any = false;
    for await (const page of this.pages(`${key}/`)) {
      for (const object of page.Contents ?? []) {
        any = true;
        newest = Math.max(newest, object.LastModified?.getTime() ?? 0);
      }
    }
    if (!any) throw new PathNotFoundError(path);
    return { path, size: 0, modTime: new Date(newest), isDir: true };
  }

  async list(path: string): Promise<string[]> {
    checkPath(path, true);
    const children = await this.children(path);
    if (children.size === 0 && path !== '/') throw new PathNotFoundError(path);
    return [...children.keys()].sort().map((name) => (path === '/' ? `/${name}` : `${path}/${name}`));
  }

  async move(source: string, destination: string): Promise<void> {
    const from = this.key(source);
    const to = this.key(destination);
    const segments = await this.segments(from);
    if (segments.length === 0) throw new PathNotFoundError(source);
    const size = segments.reduce((sum, s) => sum + s.size, 0);
    if (segments.length === 1 && size <= maxSingleCopy) {
      await this.client.send(
        new CopyObjectCommand({ ...this.objectParams(to), CopySource: encodeURI(`${this.options.bucket}/${from}`) }),
      );
    } else if (!(await this.copyParts(segments, to))) {
      const body = Readable.from(this.readRange(segments, 0, size), { objectMode: false });
      await this.uploadStream(to, body);
    }
    // A destination that was itself appended to would otherwise keep its old tail.
    await this.deleteKeys((await this.segments(to)).slice(1).map((s) => s.key));
    await this.deleteKeys(segments.map((s) => s.key));
  }

  async delete(path: string): Promise<void> {
    const key = this.key(path);
    const keys = (await this.segments(key)).map((s) => s.key);
    for await (const page of this.pages(`${key}/`)) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    // Parts of an upload whose process died mid-write are invisible but billed: drop them too.
    await this.abortMultipartUploads(key);
    if (keys.length === 0) throw new PathNotFoundError(path);
    await this.deleteKeys(keys);
  }

  /**
   * Nothing to remove: an object appears whole (one PUT, or a completed
   * multipart upload). Parts of unfinished multipart uploads go with the
   * file they were for (`delete`), and on AWS a lifecycle rule aborts any
   * left.
   */
  async removeLeftovers(): Promise<number> {
    return 0;
  }

  async walk(path: string, visit: (info: FileInfo) => Promise<void> | void): Promise<void> {
    checkPath(path, true);
    // One delimited listing per directory gives both kinds of children, so no stat per file.
    const children = await this.children(path);
    for (const name of [...children.keys()].sort()) {
      const child = children.get(name)!;
      const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
      if (child.file) await visit({ path: childPath, size: child.file.size, modTime: child.file.modTime, isDir: false });
      if (child.isDir) await this.walk(childPath, visit);
    }
  }

  /** A presigned GET for the file, when redirects are on; the client then fetches the bytes from the bucket. */
  async redirectUrl(path: string): Promise<string | null> {
    if (!this.options.redirect) return null;
    const command = new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(path) });
    return getSignedUrl(this.client, command, { expiresIn: this.options.redirectExpirySeconds });
  }

  /** Objects have no local file; blob bytes go through the registry or a presigned URL. */
  async localFile(path: string): Promise<null> {
    checkPath(path);
    return null;
  }

  private key(path: string): string {
    checkPath(path);
    const relative = path.slice(1);
    return this.options.rootDirectory ? `${this.options.rootDirectory}/${relative}` : relative;
  }

  private directoryPrefix(path: string): string {
    if (path !== '/') return `${this.key(path)}/`;
    return this.options.rootDirectory ? `${this.options.rootDirectory}/` : '';
  }

  private objectParams(key: string) {
    return {
      Bucket: this.options.bucket,
      Key: key,
      StorageClass: this.options.storageClass as StorageClass | undefined,
      ServerSideEncryption: this.options.encrypt
        ? this.options.keyId
          ? ServerSideEncryption.aws_kms
          : ServerSideEncryption.AES256
        : undefined,
      SSEKMSKeyId: this.options.encrypt ? this.options.keyId : undefined,
    };
  }

  private track(key: string, writer: S3FileWriter): void {
    const set = this.writers.get(key) ?? new Set<S3FileWriter>();
    this.writers.set(key, set);
    set.add(writer);
    const forget = () => {
      set.delete(writer);
      if (set.size === 0 && this.writers.get(key) === set) this.writers.delete(key);
    };
    writer.once('finish', forget);
    writer.once('close', forget);
  }

  /** The segments of the file at `key` in order ([] when there is no such file). */
  private async segments(key: string): Promise<Segment[]> {
    for (const writer of this.writers.get(key) ?? []) await writer.ending;
    let head;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const segments: Segment[] = [{ key, size: head.ContentLength ?? 0, modTime: head.LastModified ?? new Date() }];
    for await (const page of this.pages(`${key}${segmentMark}`)) {
      for (const object of page.Contents ?? []) {
        if (object.Key) segments.push({ key: object.Key, size: object.Size ?? 0, modTime: object.LastModified ?? new Date() });
      }
    }
    // Zero-padded numbers, and the file's own key is a prefix of them all: key order is append order.
    return segments.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Direct children of a directory: each a file (segments summed), a
   * directory, or in theory both. Derived from a flat listing of the subtree
   * rather than a delimited one: some S3-compatible servers (s3rver among
   * them) omit common prefixes nested more than one level down.
   */
  private async children(path: string): Promise<Map<string, { file?: { size: number; modTime: Date }; isDir: boolean }>> {
    const prefix = this.directoryPrefix(path);
    const children = new Map<string, { file?: { size: number; modTime: Date }; isDir: boolean }>();
    const entry = (name: string) => {
      let child = children.get(name);
      if (!child) children.set(name, (child = { isDir: false }));
      return child;
    };
    for await (const page of this.pages(prefix)) {
      for (const object of page.Contents ?? []) {
        const rest = object.Key?.slice(prefix.length);
        if (!rest) continue;
        const slash = rest.indexOf('/');
        if (slash >= 0) {
          entry(rest.slice(0, slash)).isDir = true;
          continue;
        }
        const child = entry(rest.split(segmentMark)[0]);
        const modTime = object.LastModified ?? new Date();
        const size = object.Size ?? 0;
        child.file = child.file
          ? { size: child.file.size + size, modTime: modTime > child.file.modTime ? modTime : child.file.modTime }
          : { size, modTime };
      }
    }
    return children;
  }

  /**
   * Every page of a listing (S3 answers at most 1000 keys per request). Pages
   * follow on with StartAfter = the last key seen rather than a continuation
   * token: same result on S3, and it also works on servers whose tokens are
   * broken (s3rver's use DES, which OpenSSL 3 refuses).
   */
  private async *pages(prefix: string): AsyncGenerator<ListObjectsV2CommandOutput> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: prefix,
          StartAfter: startAfter,
          MaxKeys: this.options.listPageSize,
        }),
      );
      yield page;
      const last = page.Contents?.at(-1)?.Key;
      if (!page.IsTruncated || !last) return;
      startAfter = last;
    }
  }

  /** The bytes [start, end) of the concatenated segments, one ranged GET per segment touched. */
  private async *readRange(segments: Segment[], start: number, end: number): AsyncGenerator<Buffer> {
    let base = 0;
    for (const segment of segments) {
      const from = Math.max(start, base);
      const to = Math.min(end, base + segment.size);
      base += segment.size;
      if (to <= from) continue;
      const local = from - (base - segment.size);
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: segment.key,
          Range: `bytes=${local}-${local + (to - from) - 1}`,
        }),
      );
      const body = response.Body as Readable;
      try {
        for await (const chunk of body) yield chunk as Buffer;
      } finally {
        // A consumer that stops early must not leave the socket half read.
        body.destroy();
      }
    }
  }

  /**
   * Joins segments into `to` server-side with a multipart copy (UploadPartCopy,
   * each part at most 5 GiB). Only possible when every part but the last has
   * S3's 5 MiB minimum. False when it cannot be done here (small segments, or
   * a server without UploadPartCopy, such as s3rver): the caller then streams.
   */
  private async copyParts(segments: Segment[], to: string): Promise<boolean> {
    const ranges: Array<{ key: string; start: number; end: number }> = [];
    for (const segment of segments) {
      for (let start = 0; start < segment.size; start += maxSingleCopy) {
        ranges.push({ key: segment.key, start, end: Math.min(segment.size, start + maxSingleCopy) - 1 });
      }
    }
    if (ranges.slice(0, -1).some((r) => r.end - r.start + 1 < minPartSize)) return false;
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(this.objectParams(to)));
    try {
      const parts = [];
      for (const [index, range] of ranges.entries()) {
        const { CopyPartResult } = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.options.bucket,
            Key: to,
            UploadId,
            PartNumber: index + 1,
            CopySource: encodeURI(`${this.options.bucket}/${range.key}`),
            CopySourceRange: `bytes=${range.start}-${range.end}`,
          }),
        );
        parts.push({ PartNumber: index + 1, ETag: CopyPartResult?.ETag });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.options.bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }),
      );
      return true;
    } catch (err) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: to, UploadId }))
        .catch(() => undefined);
      if ((err as { name?: string }).name === 'NotImplemented') return false;
      throw err;
    }
  }

  /**
   * Aborts unfinished multipart uploads of the file at `key` or below it.
   * Servers without ListMultipartUploads (s3rver) are left to their own
   * cleanup; on AWS a lifecycle rule does the same for uploads nobody deletes.
   */
  private async abortMultipartUploads(key: string): Promise<void> {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.options.bucket, Prefix: key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
        for (const upload of page.Uploads ?? []) {
          const k = upload.Key ?? '';
          if (k !== key && !k.startsWith(`${key}/`) && !k.startsWith(`${key}${segmentMark}`)) continue;
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: k, UploadId: upload.UploadId }));
        }
        if (!page.IsTruncated) return;
        keyMarker = page.NextKeyMarker;
        uploadIdMarker = page.NextUploadIdMarker;
      }
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NotImplemented' || name === 'MethodNotAllowed') return;
      throw err;
    }
  }

  /** Streams into one object: a single PUT when small, else a multipart upload in parts of chunksize. */
  private async uploadStream(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { ...this.objectParams(key), Body: body },
      partSize: this.options.chunkSize,
      // Two parts in flight: enough to keep the link busy, bounded memory per upload.
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) throw new Error(`s3 delete failed for ${failed.length} key(s): ${failed[0].Code} ${failed[0].Message}`);
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
