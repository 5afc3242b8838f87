import type { HealthProbe } from './health-probe';

/** Healthy when GET `url` answers 2xx (the registry's and jobservice's health endpoints). */
export function httpProbe(name: string, url: string): HealthProbe {
  return {
    name,
    async check(signal) {
      let response: Response;
      try {
        response = await fetch(url, { signal, redirect: 'manual' });
      } catch (err) {
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
        const cause = (err as { cause?: { message?: string } }).cause;
        throw new Error(cause?.message ?? (err as Error).message);
      }
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    },
  };
}
