import express from 'express';
import request from 'supertest';
import winston from 'winston';
import Transport from 'winston-transport';
import { accessLog } from './access-log';

class Collect extends Transport {
  lines: Array<{ level: string; message: string }> = [];
  override log(info: { level: string; message: string }, done: () => void): void {
    this.lines.push({ level: info.level, message: info.message });
    done();
  }
}

function appLoggingAt(loggerLevel: string, lineLevel: 'info' | 'debug') {
  const sink = new Collect();
  const logger = winston.createLogger({ level: loggerLevel, levels: winston.config.npm.levels, transports: [sink] });
  const app = express();
  app.use(accessLog(logger, lineLevel));
  app.get('/x', (_req, res) => void res.send('ok'));
  return { app, sink };
}

describe('access log', () => {
  it('writes one line per request with method, path (no query) and status', async () => {
    const { app, sink } = appLoggingAt('info', 'info');
    await request(app).get('/x?secret=1');
    expect(sink.lines).toEqual([{ level: 'info', message: 'GET /x 200' }]);
  });

  it('writes nothing for a debug-level access log when the service logs at info', async () => {
    const { app, sink } = appLoggingAt('info', 'debug');
    await request(app).get('/x');
    expect(sink.lines).toEqual([]);
  });

  it('writes the debug-level line when debugging', async () => {
    const { app, sink } = appLoggingAt('debug', 'debug');
    await request(app).get('/x');
    expect(sink.lines).toEqual([{ level: 'debug', message: 'GET /x 200' }]);
  });
});
