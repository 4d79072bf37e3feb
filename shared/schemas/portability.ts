import { z } from 'zod';

/**
 * Data portability and privacy rights (issue 7): the export archive's manifest, the API inputs of
 * export / restore / customer requests / retention, and the erasure event other desktops and the
 * relay apply. The archive format itself is documented in docs/export-format.md.
 */

/** Bumped when a reader of the previous version could misread an archive; additions keep it. */
export const exportFormatVersion = 1;
export const exportFormatName = 'ares-export';

export const sectionStatusSchema = z.enum(['exported', 'empty', 'not_available']);
export type SectionStatus = z.infer<typeof sectionStatusSchema>;

export const manifestFileSchema = z.object({
  path: z.string().min(1).max(400),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Which section wrote it ("archive" for README.txt). */
  section: z.string().min(1).max(60),
  mediaType: z.string().max(100),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestSectionSchema = z.object({
  id: z.string().min(1).max(60),
  title: z.string().max(200),
  status: sectionStatusSchema,
  /** Why a section is missing, e.g. the domain is not in this version of the app yet. */
  note: z.string().max(500).optional(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type ManifestSection = z.infer<typeof manifestSectionSchema>;

export const manifestSchema = z.object({
  format: z.literal(exportFormatName),
  formatVersion: z.number().int().positive(),
  appVersion: z.string().max(50),
  createdAt: z.string(),
  tenant: z.object({ name: z.string().max(200) }),
  options: z.object({ includeVectors: z.boolean() }),
  sections: z.array(manifestSectionSchema),
  files: z.array(manifestFileSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

const absolutePath = z
  .string()
  .trim()
  .min(1, 'Enter a file path.')
  .max(4096)
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), 'Use a full path, for example /home/me/acme-export.zip.');

export const backupPassphraseSchema = z.string().min(1, 'Enter a backup passphrase.').max(1024);

export const startExportInput = z.object({
  destination: absolutePath,
  /** Seal the archive with this passphrase (encrypted backup); absent means a plain .zip. */
  backupPassphrase: backupPassphraseSchema.optional(),
  includeVectors: z.boolean().default(false),
});
export type StartExportInput = z.input<typeof startExportInput>;

export const startRestoreInput = z.object({
  source: absolutePath,
  tenantName: z.string().trim().min(1, 'Enter a name for the new tenant.').max(120),
  /** The new tenant's own passphrase (checked for strength like any new tenant). */
  passphrase: z.string().min(1, 'Enter a passphrase.').max(1024),
  /** Needed only when the file is an encrypted backup. */
  backupPassphrase: backupPassphraseSchema.optional(),
});
export type StartRestoreInput = z.input<typeof startRestoreInput>;

export const jobIdInput = z.object({ jobId: z.string().min(1).max(64) });

export const portabilityJobStateSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['export', 'restore']),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  phase: z.string(),
  /** Records (or archive bytes, for a restore) done and expected, for a progress bar. */
  done: z.number(),
  total: z.number(),
  bytesWritten: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Set when done: where the archive is, or the restored tenant's name. */
  result: z
    .object({ path: z.string().optional(), tenantName: z.string().optional(), bytes: z.number().optional(), counts: z.record(z.string(), z.number()) })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type PortabilityJobState = z.infer<typeof portabilityJobStateSchema>;

// --- Customers (access, correction, erasure) ---

export const customerIdSchema = z.string().min(1).max(200);

export const findCustomersInput = z.object({ query: z.string().trim().max(200).default(''), limit: z.number().int().min(1).max(200).default(50) });

export const customerIdInput = z.object({ customerId: customerIdSchema });

export const correctCustomerInput = z.object({
  customerId: customerIdSchema,
  /** The name or label shown for the customer (what the channel reported, or a corrected one). */
  displayName: z.string().trim().min(1, 'Enter a name.').max(120),
});

export const eraseCustomerInput = z.object({
  customerId: customerIdSchema,
  /** Typed by the operator: erasure cannot be undone. */
  confirm: z.literal('ERASE', { error: 'Type ERASE to confirm.' }),
});

export const exportCustomerInput = z.object({ customerId: customerIdSchema, format: z.enum(['json', 'csv']).default('json') });

export interface CustomerSummary {
  customerId: string;
  displayName: string;
  channel: string | null;
  conversationCount: number;
  messageCount: number;
  lastActivityAt: number | null;
}

/** Everything the tenant holds about one customer, as shown on the access screen and exported. */
export interface CustomerRecord {
  customer: CustomerSummary;
  conversations: {
    conversationId: string;
    channel: string | null;
    status: string;
    lastActivityAt: number | null;
    messages: { messageId: string; from: 'customer' | 'business'; text: string; createdAt: number }[];
  }[];
}

// --- Erasure across devices ---

/**
 * Sent through the sync log so the relay and every other desktop of the tenant erase the same
 * customer. It names conversations only by id and carries no personal data, so the event itself
 * can stay in the log (and the audit trail) after the erasure.
 */
export const customerErasureEventSchema = z.object({
  type: z.literal('customer.erased'),
  erasureId: z.uuid(),
  conversationIds: z.array(z.string().min(1).max(100)).min(1).max(10_000),
  requestedAt: z.number().int().nonnegative(),
});
export type CustomerErasureEvent = z.infer<typeof customerErasureEventSchema>;

export const auditEntrySchema = z.object({
  id: z.number(),
  action: z.enum(['customer.exported', 'customer.corrected', 'customer.erased', 'retention.applied', 'tenant.exported', 'tenant.restored', 'relay.refused']),
  occurredAt: z.number(),
  /** Counts and ids only; never a name, identifier or message text. */
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

// --- Retention ---

export const retentionRulesSchema = z.object({
  /** Delete conversations with no activity for this many days; null keeps them. */
  conversationDays: z.number().int().min(1).max(36_500).nullable(),
  /** Delete attachments older than this many days (usually sooner than conversations); null keeps them. */
  attachmentDays: z.number().int().min(1).max(36_500).nullable(),
});
export type RetentionRules = z.infer<typeof retentionRulesSchema>;

export const defaultRetentionRules: RetentionRules = { conversationDays: null, attachmentDays: null };

export interface RetentionStatus {
  rules: RetentionRules;
  lastRunAt: number | null;
  lastDeleted: { conversations: number; messages: number; attachments: number } | null;
}
