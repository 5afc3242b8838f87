import type { Logger } from '@harbor/logging';
import type { HealthProbe } from '../health/health-probe';

export interface ComponentHealth {
  name: string;
  status: 'healthy' | 'unhealthy';
  error?: string;
}

export interface OverallHealth {
  status: 'healthy' | 'unhealthy';
  components: ComponentHealth[];
}

/**
 * Asks every component at once, each with its own deadline, so one hung
 * dependency costs the caller at most `timeoutMs`. Harbor answers 200 either
 * way; the status field says which.
 */
export class HealthController {
  constructor(
    private readonly probes: HealthProbe[],
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async check(): Promise<OverallHealth> {
    const components: ComponentHealth[] = [
      { name: 'core', status: 'healthy' },
      ...(await Promise.all(this.probes.map((probe) => this.run(probe)))),
    ];
    components.sort((a, b) => a.name.localeCompare(b.name));
    return { status: components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy', components };
  }

  private async run(probe: HealthProbe): Promise<ComponentHealth> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([probe.check(controller.signal), deadline]);
      return { name: probe.name, status: 'healthy' };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warning(`health: ${probe.name} is unhealthy: ${message}`);
      return { name: probe.name, status: 'unhealthy', error: message };
    } finally {
      clearTimeout(timer);
    }
  }
}
