import { auditEntrySchema, type AuditEntry } from '../../shared/schemas/portability.js';
import type { TenantDatabase } from '../vault/index.js';
import { tableExists } from './sections/exportSection.js';

/**
 * One line of the privacy audit trail. `detail` holds counts and opaque ids only: an erasure must
 * not leave behind the very data it removed.
 */
export function recordAudit(database: TenantDatabase, action: AuditEntry['action'], detail: Record<string, string | number>, occurredAt: number): void {
  if (!tableExists(database, 'privacy_audit')) return;
  database.prepare('insert into privacy_audit (action, occurred_at, detail) values (?, ?, ?)').run(action, occurredAt, JSON.stringify(detail));
}

export function readAudit(database: TenantDatabase, limit = 100): AuditEntry[] {
  const rows = database.prepare('select id, action, occurred_at as occurredAt, detail from privacy_audit order by id desc limit ?').all(limit) as { id: number; action: string; occurredAt: number; detail: string }[];
  return rows.map((row) => auditEntrySchema.parse({ ...row, detail: JSON.parse(row.detail) }));
}
