import { z } from 'zod';
import { defaultRetentionRules, retentionRulesSchema, type RetentionRules, type RetentionStatus } from '../../../shared/schemas/portability.js';
import { readSetting, writeSetting, type SessionService, type TenantDatabase, type TenantSession } from '../../vault/index.js';
import { checkpoint, removeConversations } from '../customers/conversationRemoval.js';
import { recordAudit } from '../privacyAudit.js';
import { removeAttachmentDetails } from './attachmentRetention.js';
import { tableExists } from '../sections/exportSection.js';

const rulesKey = 'privacy.retention';
const statusKey = 'privacy.retentionLastRun';
const dayMilliseconds = 86_400_000;

const lastRunSchema = z.object({
  at: z.number(),
  deleted: z.object({ conversations: z.number(), messages: z.number(), attachments: z.number() }),
});

export function readRetentionRules(database: TenantDatabase): RetentionRules {
  return readSetting(database, rulesKey, retentionRulesSchema, defaultRetentionRules);
}

export function writeRetentionRules(database: TenantDatabase, rules: RetentionRules): void {
  writeSetting(database, rulesKey, retentionRulesSchema.parse(rules));
}

export function retentionStatus(database: TenantDatabase): RetentionStatus {
  const lastRun = readSetting(database, statusKey, lastRunSchema.nullable(), null);
  return { rules: readRetentionRules(database), lastRunAt: lastRun?.at ?? null, lastDeleted: lastRun?.deleted ?? null };
}

/**
 * Deletes what the rules say is too old at `now`: conversations whose last activity is older than
 * the conversation limit, with their messages, events and agent decisions; and the attachment
 * details (media id, MIME type, file name, caption) of messages older than the attachment limit —
 * Ares keeps no attachment files, only these placeholders (see attachmentRetention.ts).
 */
export function applyRetention(database: TenantDatabase, now: number): RetentionStatus['lastDeleted'] {
  const rules = readRetentionRules(database);
  const deleted = { conversations: 0, messages: 0, attachments: 0 };
  if (rules.conversationDays !== null && tableExists(database, 'inbox_conversations')) {
    const cutoff = now - rules.conversationDays * dayMilliseconds;
    const expired = (
      database.prepare('select conversation_id as conversationId from inbox_conversations where coalesce(last_activity_at, 0) < ?').all(cutoff) as { conversationId: string }[]
    ).map((row) => row.conversationId);
    if (expired.length > 0) {
      const removed = database.transaction(() => removeConversations(database, expired))();
      deleted.conversations = removed.conversations;
      deleted.messages = removed.messages;
    }
  }
  if (rules.attachmentDays !== null) {
    const before = now - rules.attachmentDays * dayMilliseconds;
    deleted.attachments = database.transaction(() => removeAttachmentDetails(database, before))();
  }
  database.transaction(() => {
    writeSetting(database, statusKey, { at: now, deleted });
    if (deleted.conversations > 0 || deleted.attachments > 0) recordAudit(database, 'retention.applied', deleted, now);
  })();
  if (deleted.conversations > 0 || deleted.attachments > 0) checkpoint(database);
  return deleted;
}

export interface RetentionClock {
  now(): number;
  setInterval(callback: () => void, milliseconds: number): { unref?: () => void } | number;
  clearInterval(handle: unknown): void;
}

const systemClock: RetentionClock = {
  now: () => Date.now(),
  setInterval: (callback, milliseconds) => setInterval(callback, milliseconds),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * Applies the retention rules while the tenant is unlocked: once when it starts, then on every tick
 * (hourly by default) when a day has passed since the last run. The clock is injectable so tests
 * move time instead of waiting.
 */
export class RetentionScheduler implements SessionService {
  readonly #database: TenantDatabase;
  readonly #clock: RetentionClock;
  readonly #handle: unknown;
  readonly #runEveryMilliseconds: number;

  constructor(database: TenantDatabase, options: { clock?: RetentionClock; checkEveryMilliseconds?: number; runEveryMilliseconds?: number } = {}) {
    this.#database = database;
    this.#clock = options.clock ?? systemClock;
    this.#runEveryMilliseconds = options.runEveryMilliseconds ?? dayMilliseconds;
    this.#handle = this.#clock.setInterval(() => this.runIfDue(), options.checkEveryMilliseconds ?? 3_600_000);
    const handle = this.#handle as { unref?: () => void };
    if (typeof handle === 'object' && handle?.unref) handle.unref();
    this.runIfDue();
  }

  /** Runs when no run happened in the last day (or ever). Errors are logged, never thrown into a timer. */
  runIfDue(): void {
    try {
      const { lastRunAt } = retentionStatus(this.#database);
      if (lastRunAt !== null && this.#clock.now() - lastRunAt < this.#runEveryMilliseconds) return;
      applyRetention(this.#database, this.#clock.now());
    } catch (error) {
      console.error('RetentionScheduler.runIfDue: retention failed', error instanceof Error ? error.message : error);
    }
  }

  runNow(): RetentionStatus['lastDeleted'] {
    return applyRetention(this.#database, this.#clock.now());
  }

  dispose(): void {
    this.#clock.clearInterval(this.#handle);
  }
}

export const retentionServiceKey = 'portability.retention';

/** The session's scheduler, started on first use. */
export function retentionScheduler(session: TenantSession): RetentionScheduler {
  return session.service(retentionServiceKey, () => new RetentionScheduler(session.database));
}
