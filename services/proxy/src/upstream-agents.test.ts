/**
 * The upstream agent's sockets take a pushed layer's 64 KiB chunks without
 * asking the proxy to wait after each one (Node's default mark is 16 KiB),
 * and still push back once a megabyte is waiting; sockets are kept alive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { upstreamAgent, upstreamWriteBufferBytes } from './upstream-agents';

describe('upstreamAgent', () => {
  let server: http.Server;
  let url: string;
  /** Requests the stand-in upstream has not started reading yet. */
  const held: http.IncomingMessage[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.headers['x-hold'] === '1') held.push(req);
      else req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const req of held) req.resume();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Writes `chunks` 64 KiB chunks as soon as the socket is connected; answers what each write said. */
  function writes(agent: http.Agent, chunks: number, hold: boolean): Promise<{ returns: boolean[]; mark: number; reused: boolean }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${url}/`, {
        method: 'PUT',
        agent,
        headers: { 'Content-Length': String(chunks * 65536), ...(hold ? { 'X-Hold': '1' } : {}) },
      });
      req.on('error', reject);
      req.on('socket', (socket) => {
        const go = () => {
          const returns = Array.from({ length: chunks }, () => req.write(Buffer.alloc(65536)));
          resolve({ returns, mark: socket.writableHighWaterMark, reused: req.reusedSocket });
          req.end();
        };
        if (socket.connecting) socket.once('connect', go);
        else go();
      });
      req.on('response', (res) => res.resume());
    });
  }

  it('lets a 64 KiB chunk through without a pause, keeping the socket alive', async () => {
    const agent = upstreamAgent(url);
    try {
      const first = await writes(agent, 4, false);
      expect(first.mark).toBe(upstreamWriteBufferBytes);
      expect(first.returns).toEqual([true, true, true, true]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await writes(agent, 1, false);
      expect(second).toEqual({ returns: [true], mark: upstreamWriteBufferBytes, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('asks the proxy to wait once about a megabyte is queued for an upstream that does not read', async () => {
    const agent = upstreamAgent(url);
    try {
      // Far more than the loopback socket buffers can take while the upstream reads nothing.
      const { returns } = await writes(agent, 256, true);
      expect(returns.indexOf(false)).toBeGreaterThan(0);
    } finally {
      agent.destroy();
    }
  });
});
