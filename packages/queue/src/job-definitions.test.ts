import { isJobName, jobDefinitions, jobNames, submitJobRequestSchema } from './index';

describe('job contracts', () => {
  it('knows PURGE_UPLOADS and nothing inherited from Object', () => {
    expect(jobNames).toContain('PURGE_UPLOADS');
    expect(isJobName('PURGE_UPLOADS')).toBe(true);
    for (const name of ['__proto__', 'constructor', 'toString', 'purge_uploads', 42]) expect(isJobName(name)).toBe(false);
  });

  it('accepts an empty or whole-minute PURGE_UPLOADS age and nothing else', () => {
    const schema = jobDefinitions.PURGE_UPLOADS.parameters;
    expect(schema.parse({})).toEqual({});
    expect(schema.parse({ olderThanMinutes: 90 })).toEqual({ olderThanMinutes: 90 });
    for (const bad of [{ olderThanMinutes: 0 }, { olderThanMinutes: 1.5 }, { olderThanMinutes: '5' }, { other: 1 }, null, []]) {
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });

  it('records a non-negative whole purged count', () => {
    const schema = jobDefinitions.PURGE_UPLOADS.result;
    expect(schema.parse({ purged: 0 })).toEqual({ purged: 0 });
    expect(schema.safeParse({ purged: -1 }).success).toBe(false);
    expect(schema.safeParse({}).success).toBe(false);
  });

  it('takes a job request as a name and optional parameters only', () => {
    expect(submitJobRequestSchema.parse({ name: 'PURGE_UPLOADS' })).toEqual({ name: 'PURGE_UPLOADS' });
    expect(submitJobRequestSchema.safeParse({ name: '' }).success).toBe(false);
    expect(submitJobRequestSchema.safeParse({ name: 'X', extra: 1 }).success).toBe(false);
  });
});
