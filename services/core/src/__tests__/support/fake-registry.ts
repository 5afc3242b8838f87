import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistry {
  url: string;
  /** `METHOD path` of every request, in order. */
  calls: string[];
  close(): Promise<void>;
}

/**
 * Stands in for the registry where core changes what it holds: answers
 * manifest deletes (202), manifest puts (201) and internal calls (200) and
 * records them, changing no rows. Health answers healthy.
 */
export async function fakeRegistry(): Promise<FakeRegistry> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      if (path !== '/health') calls.push(`${req.method} ${path}`);
      res.setHeader('Content-Type', 'application/json');
      if (path === '/health') res.statusCode = 200;
      else if (req.method === 'DELETE' && path.startsWith('/v2/')) res.statusCode = 202;
      else if (req.method === 'PUT' && path.startsWith('/v2/')) res.statusCode = 201;
      else if (path.startsWith('/internal/')) res.statusCode = 200;
      else res.statusCode = 404;
      res.end(JSON.stringify(res.statusCode === 404 ? { errors: [{ code: 'NOT_FOUND', message: 'not here' }] } : {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
