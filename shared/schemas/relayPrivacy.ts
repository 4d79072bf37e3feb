import { z } from 'zod';

/**
 * Privacy rights on the relay (issue 7, relay half): the tenant's retention rules there, closing
 * the business account, and the relay's audit trail (counts and ids only, never personal data).
 */

export const maximumClosureGraceDays = 30;

export const relayRetentionRulesSchema = z.object({
  /** Delete conversations whose last event is older than this many days; null keeps them. */
  conversationDays: z.number().int().min(1).max(36_500).nullable(),
  /**
   * Drop the content of events that every signed-in device of the tenant has collected, once they
   * are this many days old (desktops keep their own copy); null keeps them.
   */
  collectedEventDays: z.number().int().min(0).max(36_500).nullable(),
  /**
   * Delete attachment details (media id, MIME type, file name, caption of WhatsApp/Messenger media)
   * from messages older than this many days; the relay never holds the files themselves. null keeps them.
   */
  attachmentDays: z.number().int().min(1).max(36_500).nullable().default(null),
});
export type RelayRetentionRules = z.infer<typeof relayRetentionRulesSchema>;
export const defaultRelayRetentionRules: RelayRetentionRules = { conversationDays: null, collectedEventDays: null, attachmentDays: null };

export const relayRetentionResultSchema = z.object({
  ranAt: z.number(),
  conversations: z.number(),
  events: z.number(),
  prunedThroughSeq: z.number(),
  /** Messages whose attachment details were deleted (absent in runs recorded before the rule existed). */
  attachments: z.number().default(0),
});
export type RelayRetentionResult = z.infer<typeof relayRetentionResultSchema>;

export const relayRetentionStatusSchema = z.object({
  rules: relayRetentionRulesSchema,
  lastRun: relayRetentionResultSchema.nullable(),
});
export type RelayRetentionStatus = z.infer<typeof relayRetentionStatusSchema>;

export const closeAccountInput = z.object({
  /** 0 deletes everything now; up to 30 days keeps it (cancellable) until then. */
  graceDays: z.number().int().min(0).max(maximumClosureGraceDays, `The grace period is at most ${maximumClosureGraceDays} days.`),
  /** Typed by the owner: closing cannot be undone once the data is gone. */
  confirm: z.literal('CLOSE', { error: 'Type CLOSE to confirm.' }),
});
export type CloseAccountInput = z.input<typeof closeAccountInput>;

export const accountClosureSchema = z.object({
  state: z.enum(['open', 'closing', 'closed']),
  requestedAt: z.number().nullable(),
  deleteAt: z.number().nullable(),
});
export type AccountClosure = z.infer<typeof accountClosureSchema>;

export const relayAuditEntrySchema = z.object({
  action: z.enum(['customer.erased', 'retention.applied', 'account.closing', 'account.closure_cancelled', 'account.closed']),
  occurredAt: z.number(),
  /** Counts and opaque ids only. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type RelayAuditEntry = z.infer<typeof relayAuditEntrySchema>;
