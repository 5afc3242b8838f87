import { z } from 'zod';
import { isAppError } from '@harbor/errors';
import { silentLogger } from '@harbor/logging';
import { jobDefinitions } from '@harbor/queue';
import { createJobRegistry } from './job-registry';
import { PermanentJobError } from './job-handler';

const definitions = {
  SAY_HELLO: { parameters: z.object({ who: z.string() }).strict(), result: z.object({ said: z.string() }) },
  COUNT: { parameters: z.object({ upTo: z.number().int().min(1) }).strict(), result: z.object({ total: z.number() }) },
};
const context = { jobId: 'j1', attempt: 1, logger: silentLogger() };
const sayHello = async ({ who }: { who: string }) => ({ said: `hello ${who}` });
const count = async ({ upTo }: { upTo: number }) => ({ total: (upTo * (upTo + 1)) / 2 });

describe('job registry', () => {
  it('refuses to start when a declared job has no handler, naming it', () => {
    expect(() => createJobRegistry(definitions, { SAY_HELLO: sayHello })).toThrow(/no handler registered for job\(s\): COUNT/);
  });

  it('refuses to start with the real job table and no handlers', () => {
    expect(() => createJobRegistry(jobDefinitions, {})).toThrow(/PURGE_UPLOADS/);
  });

  it('refuses a handler for a job nobody declared', () => {
    const handlers = { SAY_HELLO: sayHello, COUNT: count, TYPO: sayHello } as never;
    expect(() => createJobRegistry(definitions, handlers)).toThrow(/unknown job\(s\): TYPO/);
  });

  it('runs the named handler with validated parameters and returns its result', async () => {
    const registry = createJobRegistry(definitions, { SAY_HELLO: sayHello, COUNT: count });
    expect(registry.names).toEqual(['SAY_HELLO', 'COUNT']);
    await expect(registry.run('COUNT', { upTo: 4 }, context)).resolves.toEqual({ total: 10 });
    await expect(registry.run('SAY_HELLO', { who: 'harbor' }, context)).resolves.toEqual({ said: 'hello harbor' });
  });

  it('rejects caller parameters that do not fit the schema with BAD_REQUEST naming the key', () => {
    const registry = createJobRegistry(definitions, { SAY_HELLO: sayHello, COUNT: count });
    let thrown: unknown;
    try {
      registry.parseParameters('COUNT', { upTo: 'ten' });
    } catch (err) {
      thrown = err;
    }
    expect(isAppError(thrown) && thrown.code).toBe('BAD_REQUEST');
    expect((thrown as Error).message).toMatch(/upTo/);
    expect(() => registry.parseParameters('NOPE', {})).toThrow(/unknown job name/);
    expect(registry.parseParameters('COUNT', { upTo: 3 })).toEqual({ upTo: 3 });
  });

  it('treats bad stored parameters and malformed results as permanent failures', async () => {
    const registry = createJobRegistry(definitions, {
      SAY_HELLO: sayHello,
      COUNT: async () => ({ total: 'many' }) as never,
    });
    await expect(registry.run('SAY_HELLO', { who: 7 }, context)).rejects.toBeInstanceOf(PermanentJobError);
    await expect(registry.run('COUNT', { upTo: 2 }, context)).rejects.toThrow(/invalid result/);
    await expect(registry.run('MISSING', {}, context)).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('lets ordinary handler errors through so the job can be retried', async () => {
    const registry = createJobRegistry(definitions, {
      SAY_HELLO: async () => {
        throw new Error('registry unreachable');
      },
      COUNT: count,
    });
    const failure = registry.run('SAY_HELLO', { who: 'x' }, context);
    await expect(failure).rejects.toThrow('registry unreachable');
    await expect(failure).rejects.not.toBeInstanceOf(PermanentJobError);
  });
});
