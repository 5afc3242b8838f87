import type { Response } from 'supertest';
import { harborContract } from '../../../../../tests/support/harbor-contract';

/**
 * The violations of Harbor's swagger in one answer (status declared, body
 * schema with no extra field, error envelope, declared headers), using the
 * contract tour's checker. Empty when the answer keeps the contract.
 */
export function contractViolations(method: string, url: string, res: Response): string[] {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return harborContract().check({ method, url, status: res.status, headers, body: res.text ?? '' }).violations;
}
