import type { AuditEntry } from './schemas/portability.js';

const actionLabels: Record<AuditEntry['action'], string> = {
  'customer.exported': "A customer's data exported",
  'customer.corrected': 'A customer corrected',
  'customer.erased': 'A customer erased',
  'retention.applied': 'Retention rules applied',
  'tenant.exported': 'All data exported',
  'tenant.restored': 'Restored from an export',
  'relay.refused': 'The relay refused a change',
};

/** One privacy log entry in words, as the app and the CLI show it: what happened, then its counts and ids. */
export function describeAuditEntry(entry: AuditEntry): { action: string; detail: string } {
  const detail = Object.entries(entry.detail)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  return { action: actionLabels[entry.action], detail };
}
