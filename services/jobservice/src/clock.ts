/** Time as a side effect, so jobs that measure or stamp it can be tested with a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
