import { createServer, IncomingMessage, Server } from 'node:http';
import { close, listen } from '@harbor/http';

type Answer = { status: number; body: unknown };

export interface PurgeCall {
  authorized: boolean;
  contentType: string | undefined;
  body: unknown;
}

/**
 * A tiny HTTP server playing the registry's `POST /internal/uploads/purge`:
 * it checks the Harbor-Secret header like the real one, records every call,
 * and answers with whatever `respond` decides for the requested age.
 */
export class StandInRegistry {
  readonly calls: PurgeCall[] = [];
  respond: (olderThanMinutes: number) => Answer | Promise<Answer> = () => ({ status: 200, body: { purged: 0 } });
  private server?: Server;
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then(async (raw) => {
        const authorized = req.headers.authorization === `Harbor-Secret ${this.secret}`;
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        this.calls.push({ authorized, contentType: req.headers['content-type'], body });
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (req.method !== 'POST' || req.url !== '/internal/uploads/purge') return send(404, { errors: [{ code: 'NOT_FOUND' }] });
        if (!authorized) return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'internal secret required' }] });
        const minutes = (body as { olderThanMinutes?: unknown }).olderThanMinutes;
        if (typeof minutes !== 'number') return send(400, { errors: [{ code: 'BAD_REQUEST' }] });
        const answer = await this.respond(minutes);
        send(answer.status, answer.body);
      });
    });
    const port = await listen(this.server, 0, '127.0.0.1');
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  callsFor(olderThanMinutes: number): PurgeCall[] {
    return this.calls.filter((c) => (c.body as { olderThanMinutes?: unknown })?.olderThanMinutes === olderThanMinutes);
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
