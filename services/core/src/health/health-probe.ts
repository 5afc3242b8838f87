/** One component's health check: resolves when healthy, rejects with the reason otherwise. */
export interface HealthProbe {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}
