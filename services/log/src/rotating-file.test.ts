import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, TempDir } from '@harbor/testkit';
import { RotatingFile, RotationPolicy } from './rotating-file';

describe('rotating file', () => {
  let dir: TempDir;
  let errors: Error[];
  beforeEach(() => {
    dir = tempDir('harbor-log-rot-');
    errors = [];
  });
  afterEach(() => dir.remove());

  function file(policy: RotationPolicy, name = 'app.log'): RotatingFile {
    return new RotatingFile(join(dir.path, name), policy, { onError: (err) => errors.push(err), onSettled: () => undefined });
  }
  const read = (name: string) => readFileSync(join(dir.path, name), 'utf8');
  const line = (i: number) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(40)}\n`; // 52 bytes

  it('appends lines in order and creates the directory if needed', async () => {
    const f = new RotatingFile(join(dir.path, 'sub', 'a.log'), { maxBytes: 1 << 20, keep: 2 }, { onError: () => undefined, onSettled: () => undefined });
    f.append('one\n');
    f.append('two\n');
    await f.close();
    expect(readFileSync(join(dir.path, 'sub', 'a.log'), 'utf8')).toBe('one\ntwo\n');
  });

  it('appends to an existing file and counts its size', async () => {
    writeFileSync(join(dir.path, 'app.log'), 'x'.repeat(90));
    const f = file({ maxBytes: 100, keep: 1 });
    f.append('0123456789\n');
    await f.close();
    expect(read('app.log.1')).toBe('x'.repeat(90));
    expect(read('app.log')).toBe('0123456789\n');
  });

  it('rotates before a line would exceed the size, shifting old files up and keeping exactly the count', async () => {
    const f = file({ maxBytes: 52 * 3, keep: 2 });
    for (let i = 0; i < 10; i += 1) {
      f.append(line(i));
      await f.flush(); // one write per line: every rotation path is taken
    }
    await f.close();
    expect(readdirSync(dir.path).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    expect(read('app.log')).toBe(line(9));
    expect(read('app.log.1')).toBe(line(6) + line(7) + line(8));
    expect(read('app.log.2')).toBe(line(3) + line(4) + line(5));
  });

  it('rotates inside one batched write without splitting a line', async () => {
    const f = file({ maxBytes: 120, keep: 100 });
    for (let i = 0; i < 20; i += 1) f.append(line(i));
    await f.close();
    const names = readdirSync(dir.path);
    const all = names
      .map((n) => ({ n, k: n === 'app.log' ? 0 : Number(n.split('.').pop()) }))
      .sort((a, b) => b.k - a.k)
      .map(({ n }) => read(n));
    for (const content of all) {
      expect(content.length).toBeLessThanOrEqual(120);
      expect(content.endsWith('\n')).toBe(true);
    }
    expect(all.join('')).toBe(Array.from({ length: 20 }, (_, i) => line(i)).join(''));
  });

  it('truncates instead of keeping old files when the count is 0', async () => {
    const f = file({ maxBytes: 110, keep: 0 });
    for (let i = 0; i < 5; i += 1) f.append(line(i));
    await f.close();
    expect(readdirSync(dir.path)).toEqual(['app.log']);
    expect(read('app.log')).toBe(line(4));
  });

  it('writes a line bigger than the limit whole into a file of its own', async () => {
    const f = file({ maxBytes: 60, keep: 3 });
    f.append('small\n');
    f.append(`${'b'.repeat(200)}\n`);
    f.append('after\n');
    await f.close();
    expect(read('app.log.2')).toBe('small\n');
    expect(read('app.log.1')).toBe(`${'b'.repeat(200)}\n`);
    expect(read('app.log')).toBe('after\n');
  });

  it('deletes old files beyond the count left by an earlier, larger count', async () => {
    for (const n of [1, 2, 3, 4, 5]) writeFileSync(join(dir.path, `app.log.${n}`), `old ${n}\n`);
    writeFileSync(join(dir.path, 'app.log.bak'), 'not ours\n');
    writeFileSync(join(dir.path, 'other.log.7'), 'not ours\n');
    writeFileSync(join(dir.path, 'app.log'), 'x'.repeat(100));
    const f = file({ maxBytes: 100, keep: 2 });
    f.append('new\n');
    await f.close();
    expect(readdirSync(dir.path).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2', 'app.log.bak', 'other.log.7']);
    expect(read('app.log.2')).toBe('old 1\n');
  });

  it('reopens after its descriptor was released', async () => {
    const f = file({ maxBytes: 1000, keep: 1 });
    f.append('a\n');
    await f.flush();
    f.release();
    await f.flush();
    expect(f.isOpen).toBe(false);
    f.append('b\n');
    await f.close();
    expect(read('app.log')).toBe('a\nb\n');
  });

  it('reports a write failure and carries on once the cause is gone', async () => {
    const blocker = join(dir.path, 'blocked');
    writeFileSync(blocker, 'a file where a directory should be');
    const f = new RotatingFile(join(blocker, 'app.log'), { maxBytes: 1000, keep: 1 }, { onError: (e) => errors.push(e), onSettled: () => undefined });
    f.append('lost\n');
    await f.flush();
    expect(errors).toHaveLength(1);
    const ok = file({ maxBytes: 1000, keep: 1 });
    ok.append('fine\n');
    await ok.close();
    expect(statSync(join(dir.path, 'app.log')).size).toBe(5);
    expect(existsSync(join(blocker, 'app.log'))).toBe(false);
  });
});
