import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { AresError } from '../../shared/errors.js';
import type { AccountClosure, RelayAuditEntry, RelayRetentionResult, RelayRetentionRules, RelayRetentionStatus } from '../../shared/schemas/relayPrivacy.js';
import { defaultRelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';
import { accountConversationId, type EventBody, type PushInput, type PushResult } from '../../shared/schemas/sync.js';
import type { RelayServices } from '../relayServices.js';
import { erasureConversationKey, type RelayPrivacyStore } from './privacyStore.js';

const dayMilliseconds = 24 * 3600 * 1000;

export interface PrivacyActor {
  tenantId: string;
  operatorId: string;
  role: string;
}

/**
 * The relay half of privacy rights: applies customer erasures pushed by desktops, runs each
 * tenant's retention rules, and closes accounts (now, or after a cancellable grace period). One
 * instance per relay process; `runDue` is the scheduled job and takes the time from the clock it
 * was given, so tests drive it with a fake one.
 */
export class RelayPrivacy {
  readonly store: RelayPrivacyStore;
  readonly #services: RelayServices;
  readonly #now: () => number;
  #running: Promise<void> | null = null;

  constructor(options: { services: RelayServices; store: RelayPrivacyStore; now?: () => number }) {
    this.#services = options.services;
    this.store = options.store;
    this.#now = options.now ?? options.services.now;
  }

  // --- Erasure ---

  /** Called after a push committed: every `customer.erased` in it that the log accepted is applied now. */
  async afterPush(tenantId: string, input: PushInput, result: PushResult): Promise<void> {
    for (const mutation of input.mutations) {
      const body = mutation.event.body;
      if (body.type !== 'customer.erased') continue;
      const outcome = result.results.find((candidate) => candidate.mutationId === mutation.mutationId);
      if (outcome?.status === 'applied') await this.applyErasure(tenantId, outcome.seq, body);
      // The rejection is logged under the erasure's own id, which is not a conversation.
      if (outcome?.status === 'rejected') await this.store.forgetConversation(tenantId, mutation.event.conversationId);
    }
  }

  async applyErasure(tenantId: string, seq: number, body: Extract<EventBody, { type: 'customer.erased' }>): Promise<void> {
    const keys = new Set(body.conversationKeys);
    const conversationIds = (await this.store.conversationIds(tenantId)).filter((conversationId) => keys.has(erasureConversationKey(body.erasureId, conversationId)));
    const counts = await this.store.eraseConversations(tenantId, { erasureId: body.erasureId, seq, conversationIds, at: this.#now() });
    // The erased text may still sit in the in-memory tail of this and every other instance.
    this.#services.log.contentRemoved(tenantId);
    await this.#audit(tenantId, 'customer.erased', { erasureId: body.erasureId, seq, ...counts });
    this.#services.logger.info('privacy: customer erased', { tenantId, seq, conversations: counts.conversations, events: counts.events });
  }

  /** Erasures committed to the log but not applied (the relay stopped in between): applied now. */
  async sweepErasures(tenantId: string): Promise<void> {
    for (const pending of await this.store.pendingErasures(tenantId)) {
      await this.applyErasure(tenantId, pending.seq, { type: 'customer.erased', erasureId: pending.erasureId, conversationKeys: pending.conversationKeys, requestedAt: 0 });
    }
  }

  // --- Retention ---

  async retentionStatus(tenantId: string): Promise<RelayRetentionStatus> {
    return { rules: (await this.store.retentionRules(tenantId)) ?? defaultRelayRetentionRules, lastRun: await this.store.lastRetentionRun(tenantId) };
  }

  async setRetention(actor: PrivacyActor, rules: RelayRetentionRules): Promise<RelayRetentionStatus> {
    if (actor.role === 'agent') throw new AresError('FORBIDDEN', 'Only owners and admins can change retention on the relay.');
    await this.store.setRetentionRules(actor.tenantId, rules, this.#now());
    await this.applyRetention(actor.tenantId);
    return this.retentionStatus(actor.tenantId);
  }

  /** Applies the tenant's rules as of now: old conversations go, then collected event content. */
  async applyRetention(tenantId: string): Promise<RelayRetentionResult | null> {
    const rules = await this.store.retentionRules(tenantId);
    if (!rules || (rules.conversationDays === null && rules.collectedEventDays === null && rules.attachmentDays === null)) return null;
    const now = this.#now();
    const result: RelayRetentionResult = { ranAt: now, conversations: 0, events: 0, prunedThroughSeq: 0, attachments: 0 };
    if (rules.conversationDays !== null) {
      const stale = await this.store.conversationsInactiveSince(tenantId, now - rules.conversationDays * dayMilliseconds);
      const removed = await this.store.deleteConversations(tenantId, stale);
      result.conversations = removed.conversations;
      result.events += removed.events;
    }
    if (rules.attachmentDays !== null) result.attachments = await this.store.removeAttachmentDetails(tenantId, now - rules.attachmentDays * dayMilliseconds);
    const head = await this.#services.storage.head(tenantId);
    result.prunedThroughSeq = head.prunedThroughSeq;
    if (rules.collectedEventDays !== null) {
      const through = await this.store.collectedThrough(tenantId, now - rules.collectedEventDays * dayMilliseconds);
      if (through > head.prunedThroughSeq) {
        result.events += await this.store.pruneThrough(tenantId, through);
        result.prunedThroughSeq = through;
      }
    }
    await this.store.recordRetentionRun(tenantId, result);
    const removedAny = result.conversations > 0 || result.events > 0 || result.attachments > 0;
    if (removedAny) this.#services.log.contentRemoved(tenantId);
    if (removedAny) await this.#audit(tenantId, 'retention.applied', { conversations: result.conversations, events: result.events, attachments: result.attachments, prunedThroughSeq: result.prunedThroughSeq });
    return result;
  }

  // --- Closing the account ---

  async closure(tenantId: string): Promise<AccountClosure> {
    const closure = await this.store.closure(tenantId);
    return closure ? { state: 'closing', requestedAt: closure.requestedAt, deleteAt: closure.deleteAt } : { state: 'open', requestedAt: null, deleteAt: null };
  }

  async closeAccount(actor: PrivacyActor, graceDays: number): Promise<AccountClosure> {
    if (actor.role !== 'owner') throw new AresError('FORBIDDEN', 'Only the owner can close the business account.');
    const now = this.#now();
    if (graceDays === 0) {
      await this.deleteTenant(actor.tenantId);
      return { state: 'closed', requestedAt: now, deleteAt: now };
    }
    const deleteAt = now + graceDays * dayMilliseconds;
    await this.store.scheduleClosure(actor.tenantId, { requestedAt: now, deleteAt, requestedBy: actor.operatorId });
    await this.#notice(actor.tenantId, `closing:${now}`, { type: 'account.closing', deleteAt });
    await this.#audit(actor.tenantId, 'account.closing', { deleteAt, graceDays });
    return { state: 'closing', requestedAt: now, deleteAt };
  }

  async cancelClosure(actor: PrivacyActor): Promise<AccountClosure> {
    if (actor.role !== 'owner') throw new AresError('FORBIDDEN', 'Only the owner can cancel closing the business account.');
    if (!(await this.store.cancelClosure(actor.tenantId))) throw new AresError('NOT_FOUND', 'This account is not being closed.');
    await this.#notice(actor.tenantId, `cancelled:${this.#now()}`, { type: 'account.closure_cancelled' });
    await this.#audit(actor.tenantId, 'account.closure_cancelled', {});
    return this.closure(actor.tenantId);
  }

  /** Removes everything of the tenant from the relay; its devices are then answered RELAY_ACCOUNT_CLOSED. */
  async deleteTenant(tenantId: string): Promise<void> {
    const counts = await this.store.deleteTenant(tenantId, this.#now());
    await this.#audit(tenantId, 'account.closed', counts);
    // Live subscribers wake up, find no log, and their desktops learn why on the next request.
    this.#services.log.notifier.notify(tenantId, 0);
    this.#services.logger.warn('privacy: account closed and deleted', { tenantId });
  }

  /** Account notices travel in the log, so every desktop learns of them like any other change. */
  async #notice(tenantId: string, key: string, body: EventBody): Promise<void> {
    await this.#services.log.appendClaimed(tenantId, [{ channel: 'relay', externalId: `account:${key}`, events: [{ eventId: timeOrderedId(), conversationId: accountConversationId, occurredAt: this.#now(), body }] }]);
    await this.store.forgetConversation(tenantId, accountConversationId);
  }

  async #audit(tenantId: string, action: RelayAuditEntry['action'], detail: RelayAuditEntry['detail']): Promise<void> {
    await this.store.audit(tenantId, { action, occurredAt: this.#now(), detail });
  }

  audit(tenantId: string, limit = 50): Promise<RelayAuditEntry[]> {
    return this.store.auditEntries(tenantId, limit);
  }

  // --- The schedule ---

  /** One run of the scheduled job: unapplied erasures, retention of every tenant, closures that are due. */
  runDue(): Promise<void> {
    this.#running ??= this.#runDue().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #runDue(): Promise<void> {
    for (const tenantId of await this.store.dueClosures(this.#now())) await this.deleteTenant(tenantId);
    for (const tenantId of await this.store.tenantIds()) {
      try {
        await this.sweepErasures(tenantId);
        await this.applyRetention(tenantId);
      } catch (error) {
        this.#services.logger.error('privacy: scheduled job failed for a tenant', { tenantId, error: (error as Error).message });
      }
    }
  }

  /** Resolves when a run in progress (if any) has finished. */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Runs `runDue` now and then every `intervalMilliseconds`; returns the function that stops it. */
  start(intervalMilliseconds: number): () => void {
    const run = () => void this.runDue().catch((error: unknown) => this.#services.logger.error('privacy: scheduled job failed', { error: (error as Error).message }));
    run();
    const timer = setInterval(run, intervalMilliseconds);
    timer.unref();
    return () => clearInterval(timer);
  }
}

const instances = new WeakMap<RelayServices, RelayPrivacy>();

export function attachRelayPrivacy(services: RelayServices, privacy: RelayPrivacy): void {
  instances.set(services, privacy);
}

export function relayPrivacyOf(services: RelayServices): RelayPrivacy {
  const privacy = instances.get(services);
  if (!privacy) throw new AresError('INTERNAL', 'The relay privacy jobs are not running.');
  return privacy;
}

export function maybeRelayPrivacyOf(services: RelayServices): RelayPrivacy | null {
  return instances.get(services) ?? null;
}
