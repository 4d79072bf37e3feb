import { tableSection } from './tableSection.js';

/** The privacy audit trail: what was exported, corrected, erased or deleted by retention, without personal data. */
export const privacySection = tableSection({
  id: 'privacy',
  title: 'Privacy audit trail',
  requiredTables: ['privacy_audit'],
  notAvailableNote: 'The privacy audit trail is not in this database yet.',
  tables: [
    {
      table: 'privacy_audit',
      path: 'privacy/audit.jsonl',
      countName: 'auditEntries',
      description: 'One line per privacy action (tenant exported or restored, customer data exported, corrected or erased, retention applied): id, action, occurred_at (ms since 1970, UTC) and detail (counts and ids only; never names, identifiers or message text).',
      jsonColumns: ['detail'],
    },
  ],
});
