import type { HarborContract } from '../../support/harbor-contract';
import type { TourRecord } from './tour';

/**
 * What the tour reached: each swagger operation it called with the statuses
 * seen, the steps left pending (core does not serve them yet), and how many
 * of the swagger's operations the tour never calls.
 */
export function coverageReport(contract: HarborContract, records: TourRecord[]): string {
  const seen = new Map<string, Set<number>>();
  for (const r of records) {
    if (r.operationId === undefined || r.status === undefined || r.pending) continue;
    const statuses = seen.get(r.operationId) ?? new Set<number>();
    statuses.add(r.status);
    seen.set(r.operationId, statuses);
  }
  const lines = ['# contract tour coverage', '', '## operations called (statuses seen)'];
  for (const op of contract.operations()) {
    const statuses = seen.get(op.operationId);
    if (statuses) lines.push(`${op.method.padEnd(6)} ${op.template}  ${op.operationId}: ${[...statuses].sort().join(', ')}`);
  }
  const pending = records.filter((r) => r.pending);
  lines.push('', `## pending steps and known mismatches (${pending.length})`);
  for (const r of pending) lines.push(`${r.area}: ${r.step} (${r.method} ${r.url} -> ${r.status ?? 'not sent'}) — ${r.pending}`);
  const uncalled = contract.operations().filter((op) => !seen.has(op.operationId)).length;
  lines.push('', `${seen.size} operations called, ${pending.length} steps pending, ${uncalled} operations of the swagger not called`);
  return lines.join('\n') + '\n';
}
