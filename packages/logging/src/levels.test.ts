import { createLogger, silentLogger } from './create-logger';
import { levels, severityOf } from './levels';

describe('levels', () => {
  it('maps winston level names to syslog severities', () => {
    expect(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'].map(severityOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(severityOf('warning')).toBe(4);
    expect(severityOf('verbose')).toBe(7);
    expect(severityOf('nonsense')).toBe(5);
  });

  it('gives a logger every method its type promises, at every configured level', () => {
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      const logger = createLogger({ service: 'svc', level, syslog: null, stdout: false });
      for (const name of Object.keys(levels)) expect(typeof (logger as unknown as Record<string, unknown>)[name]).toBe('function');
      expect(() => logger.warn('careful')).not.toThrow();
      logger.close();
    }
    expect(() => silentLogger().warn('quiet')).not.toThrow();
  });

  it('lets a warn threshold pass warnings and errors but not info', () => {
    const logger = createLogger({ service: 'svc', level: 'warn', syslog: null, stdout: false });
    expect(logger.isLevelEnabled('error')).toBe(true);
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
    logger.close();
  });
});
