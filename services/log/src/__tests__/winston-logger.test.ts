import { createLogger, Logger } from '@harbor/logging';
import { Harness, startCollector } from './collector-harness';

/** A service's own logger, as every Harbor-TS service creates it, reaching the collector. */
describe('collector receiving from @harbor/logging', () => {
  let h: Harness;
  const loggers: Logger[] = [];
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(async () => {
    for (const logger of loggers) logger.close();
    await h.stop();
  });

  function serviceLogger(service: string, protocol: 'udp' | 'tcp', level: 'info' | 'debug' | 'warn' = 'info'): Logger {
    const port = protocol === 'udp' ? h.collector.udpPort : h.collector.tcpPort;
    const logger = createLogger({ service, level, stdout: false, syslog: { host: '127.0.0.1', port, protocol } });
    loggers.push(logger);
    return logger;
  }

  it('files a UDP service line under <service>.log with app name, pid and severity', async () => {
    serviceLogger('registry', 'udp').info('blob pushed', { requestId: 'req-1', size: 42 });
    const line = await h.waitForLine('registry.log', 'blob pushed');
    expect(line).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z \\S+ registry\\[${process.pid}\\]: info blob pushed \\{"requestId":"req-1","size":42\\}$`),
    );
  });

  it('files a TCP service line, multi-line messages staying one escaped line', async () => {
    const logger = serviceLogger('core', 'tcp');
    logger.warn('first\nsecond');
    logger.error('boom');
    await h.waitForLine('core.log', 'boom');
    const lines = h.read('core.log').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ core\[\d+\]: warning first\\nsecond$/);
    expect(lines[1]).toMatch(/ core\[\d+\]: error boom$/);
  });

  it('keeps the time the service logged, to the millisecond', async () => {
    const before = Date.now();
    serviceLogger('proxy', 'udp').info('timed line');
    const line = await h.waitForLine('proxy.log', 'timed line');
    const logged = Date.parse(line.split(' ')[0]);
    expect(logged).toBeGreaterThanOrEqual(before);
    expect(logged).toBeLessThanOrEqual(Date.now());
  });

  it('records an error with its stack', async () => {
    serviceLogger('jobservice', 'udp').error(new Error('job exploded'));
    const line = await h.waitForLine('jobservice.log', 'job exploded');
    expect(line).toContain('error job exploded');
    expect(line).toContain('"stack":"Error: job exploded\\n    at ');
  });

  it('respects the level threshold', async () => {
    const logger = serviceLogger('quiet', 'udp', 'warn');
    logger.debug('not wanted');
    logger.info('not wanted either');
    logger.warn('wanted');
    await h.waitForLine('quiet.log', 'wanted');
    expect(h.read('quiet.log')).not.toContain('not wanted');
  });

  it('delivers a burst over TCP completely and in order', async () => {
    const logger = serviceLogger('burst', 'tcp');
    for (let i = 0; i < 2000; i += 1) logger.info(`burst ${i}`);
    await h.waitForLine('burst.log', 'burst 1999');
    const numbers = h.read('burst.log').trim().split('\n').map((l) => Number(/burst (\d+)$/.exec(l)?.[1]));
    expect(numbers).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
