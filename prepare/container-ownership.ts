import { chown, mkdir, stat } from 'node:fs/promises';

/**
 * Under compose the services run as an unprivileged user (deploy/<svc>/
 * Dockerfile) yet read 0600 configs and secrets and write blobs and logs
 * through bind mounts. When prepare runs as root it hands those paths to that
 * uid, and creates the writable directories so Docker does not create them
 * root-owned. As another user it can do neither, and leaves ownership alone.
 */
export async function handOverToContainers(paths: { files: string[]; writableDirectories: string[] }, uid: number): Promise<void> {
  for (const dir of paths.writableDirectories) await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  for (const path of [...paths.files, ...paths.writableDirectories]) {
    const info = await stat(path);
    if (info.uid !== uid || info.gid !== uid) await chown(path, uid, uid);
  }
}
