import { randomUUID } from 'node:crypto';
import {
  desktopEventTypes,
  type ConversationEvent,
  type Cursor,
  type EventBody,
  type LoggedEvent,
  type MutationResult,
  type PullResult,
  type PushInput,
  type PushResult,
} from '../../shared/schemas/sync.js';
import { applyConversationEvent, emptyConversation, raceRejection } from '../../shared/sync/conversationState.js';
import type { LogTransaction, RelayStorage } from '../storage/relayStorage.js';
import type { LogNotifier } from './logNotifier.js';
import { RecentEvents } from './recentEvents.js';

export interface PushAuthor {
  deviceId: string;
  operatorName: string;
}

export interface InboundMessage {
  channel: 'web' | 'whatsapp' | 'messenger';
  /** The platform's own message id: redeliveries of the same id change nothing. */
  externalId: string;
  conversationId: string;
  customerLabel: string;
  text: string;
  occurredAt: number;
}

export interface ClaimedEvents {
  channel: string;
  externalId: string;
  alsoClaim?: string[];
  events: ConversationEvent[];
}

const pushableTypes = new Set<string>(desktopEventTypes);
const maximumPage = 5000;

/** Author names come from the authenticated operator, never from what a device claims. */
function withAuthor(body: EventBody, operatorName: string): EventBody {
  switch (body.type) {
    case 'staff.message':
    case 'conversation.note':
      return { ...body, authorName: operatorName };
    case 'conversation.takeover':
    case 'conversation.handback':
    case 'conversation.resolve':
    case 'conversation.assign':
    case 'conversation.reopen':
      return { ...body, staffName: operatorName };
    default:
      return body;
  }
}

/**
 * The relay's side of SYNC.md: a per-tenant, gap-free, append-only log. Storage-agnostic: it sees
 * the database only through `RelayStorage`, so the simulation and PostgreSQL run this same code.
 */
export class RelayLog {
  readonly #storage: RelayStorage;
  readonly #notifier: LogNotifier;
  readonly #now: () => number;
  readonly #recent = new RecentEvents();

  constructor(options: { storage: RelayStorage; notifier: LogNotifier; now?: () => number }) {
    this.#storage = options.storage;
    this.#notifier = options.notifier;
    this.#now = options.now ?? Date.now;
  }

  get notifier(): LogNotifier {
    return this.#notifier;
  }

  /** Appends inside an open transaction: the head row is the counter, so seq order is commit order. */
  async #append(transaction: LogTransaction, event: ConversationEvent): Promise<LoggedEvent & { epoch: string }> {
    const head = await transaction.head();
    const logged: LoggedEvent = { ...event, seq: head.headSeq + 1, acceptedAt: this.#now() };
    await transaction.insertEvent(logged);
    await transaction.setHeadSeq(logged.seq);
    const state = (await transaction.conversation(event.conversationId)) ?? emptyConversation(event.conversationId);
    await transaction.saveConversation(applyConversationEvent(state, logged));
    return { ...logged, epoch: head.epoch };
  }

  /** After a commit: cache the event for live readers, then wake them. */
  #published(tenantId: string, appended: LoggedEvent & { epoch: string }): void {
    const { epoch, ...event } = appended;
    this.#recent.committed(tenantId, epoch, event);
  }

  /** Each mutation in its own transaction, in order; stops at the first gap in mutation ids. */
  async push(tenantId: string, author: PushAuthor, input: PushInput): Promise<PushResult> {
    const results: MutationResult[] = [];
    let lastSeq = 0;
    try {
      for (const mutation of input.mutations) {
        let appended: (LoggedEvent & { epoch: string }) | null = null;
        const outcome = await this.#storage.transaction(tenantId, async (transaction): Promise<MutationResult | 'gap'> => {
          const last = await transaction.lastMutationId(input.clientId);
          // A client the relay has never seen (new, or the log was reset) starts wherever it is.
          if (last !== null && mutation.mutationId <= last) return { mutationId: mutation.mutationId, status: 'duplicate' };
          if (last !== null && mutation.mutationId > last + 1) return 'gap';
          await transaction.setLastMutationId(input.clientId, author.deviceId, mutation.mutationId);
          if (await transaction.hasEvent(mutation.event.eventId)) return { mutationId: mutation.mutationId, status: 'duplicate' };
          const body = withAuthor(mutation.event.body, author.operatorName);
          const state = (await transaction.conversation(mutation.event.conversationId)) ?? emptyConversation(mutation.event.conversationId);
          const reason = pushableTypes.has(body.type) ? raceRejection(state, body) : 'Desktops cannot write this kind of event.';
          if (reason) {
            const rejection = await this.#append(transaction, {
              eventId: randomUUID(),
              conversationId: mutation.event.conversationId,
              occurredAt: this.#now(),
              body: { type: 'conversation.rejected', rejectedEventId: mutation.event.eventId, rejectedType: body.type, reason },
            });
            lastSeq = rejection.seq;
            appended = rejection;
            return { mutationId: mutation.mutationId, status: 'rejected', seq: rejection.seq, reason };
          }
          const logged = await this.#append(transaction, { ...mutation.event, body });
          lastSeq = logged.seq;
          appended = logged;
          return { mutationId: mutation.mutationId, status: 'applied', seq: logged.seq };
        });
        if (appended) this.#published(tenantId, appended);
        if (outcome === 'gap') return { results, gapAfterMutationId: results.at(-1)?.mutationId ?? mutation.mutationId - 1 };
        results.push(outcome);
      }
      return { results };
    } finally {
      if (lastSeq > 0) this.#notifier.notify(tenantId, lastSeq);
    }
  }

  /** A channel message, stored once per `(channel, externalId)`; committed before the caller answers. */
  async appendInbound(tenantId: string, message: InboundMessage): Promise<{ duplicate: boolean; seq: number | null }> {
    const logged = await this.#storage.transaction(tenantId, async (transaction) => {
      if (!(await transaction.claimChannelMessage(message.channel, message.externalId))) return null;
      return this.#append(transaction, {
        eventId: randomUUID(),
        conversationId: message.conversationId,
        occurredAt: message.occurredAt,
        body: { type: 'customer.message', messageId: `${message.channel}:${message.externalId}`, channel: message.channel, customerLabel: message.customerLabel, text: message.text },
      });
    });
    if (!logged) return { duplicate: true, seq: null };
    this.#published(tenantId, logged);
    this.#notifier.notify(tenantId, logged.seq);
    return { duplicate: false, seq: logged.seq };
  }

  /**
   * Relay-authored channel events (a WhatsApp/Messenger webhook batch, delivery statuses) in ONE
   * transaction: each item's events are appended only if its `(channel, externalId)` claim is new;
   * `alsoClaim` keys are claimed either way (statuses claim the lower ranks they imply).
   */
  async appendClaimed(tenantId: string, items: ClaimedEvents[]): Promise<{ logged: LoggedEvent[]; duplicates: number }> {
    const result = await this.#storage.transaction(tenantId, async (transaction) => {
      const logged: (LoggedEvent & { epoch: string })[] = [];
      let duplicates = 0;
      for (const item of items) {
        const fresh = await transaction.claimChannelMessage(item.channel, item.externalId);
        for (const key of item.alsoClaim ?? []) await transaction.claimChannelMessage(item.channel, key);
        if (!fresh) {
          duplicates += 1;
          continue;
        }
        for (const event of item.events) logged.push(await this.#append(transaction, event));
      }
      return { logged, duplicates };
    });
    for (const appended of result.logged) this.#published(tenantId, appended);
    if (result.logged.length > 0) this.#notifier.notify(tenantId, result.logged.at(-1)!.seq);
    return { logged: result.logged.map(({ epoch: _epoch, ...event }) => event), duplicates: result.duplicates };
  }

  /** The automatic "we'll get back to you" reply: appended only if the conversation still has not had one. */
  async appendAutoReply(tenantId: string, conversationId: string, text: string): Promise<boolean> {
    const logged = await this.#storage.transaction(tenantId, async (transaction) => {
      const state = await transaction.conversation(conversationId);
      if (!state || state.autoReplied || state.unansweredSinceSeq === null) return null;
      return this.#append(transaction, {
        eventId: randomUUID(),
        conversationId,
        occurredAt: this.#now(),
        body: { type: 'auto.message', messageId: `auto:${conversationId}`, text },
      });
    });
    if (logged) {
      this.#published(tenantId, logged);
      this.#notifier.notify(tenantId, logged.seq);
    }
    return logged !== null;
  }

  async pull(tenantId: string, cursor: Cursor, limit: number): Promise<PullResult> {
    const head = await this.#storage.head(tenantId);
    // A cursor from another epoch, or ahead of this log (a restored backup), cannot be trusted.
    if (cursor.epoch !== head.epoch || cursor.seq > head.headSeq) {
      return { kind: 'resync', reason: 'epoch', restartFrom: { epoch: head.epoch, seq: head.prunedThroughSeq } };
    }
    if (cursor.seq < head.prunedThroughSeq) {
      return { kind: 'resync', reason: 'pruned', restartFrom: { epoch: head.epoch, seq: head.prunedThroughSeq } };
    }
    const pageSize = Math.min(Math.max(limit, 1), maximumPage);
    const events = await this.#storage.readLog(tenantId, cursor.seq, pageSize);
    const lastSeq = events.at(-1)?.seq ?? cursor.seq;
    const throughSeq = events.length === pageSize ? lastSeq : Math.max(lastSeq, head.headSeq);
    return { kind: 'events', epoch: head.epoch, fromSeq: cursor.seq, throughSeq, headSeq: Math.max(head.headSeq, lastSeq), events };
  }

  /**
   * Backlog, then live pages. The listener is attached before the first read, so an event
   * committed between reading the backlog and waiting is never missed.
   */
  async *live(tenantId: string, cursor: Cursor, signal: AbortSignal | undefined): AsyncGenerator<PullResult> {
    let dirty = true;
    let wake: (() => void) | null = null;
    const unsubscribe = this.#notifier.subscribe(tenantId, () => {
      dirty = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      let position = cursor;
      while (!signal?.aborted) {
        if (!dirty) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        dirty = false;
        const cached = this.#recent.after(tenantId, position.epoch, position.seq, 1000);
        const page: PullResult = cached
          ? { kind: 'events', epoch: position.epoch, fromSeq: position.seq, throughSeq: cached.events.at(-1)?.seq ?? position.seq, headSeq: cached.headSeq, events: cached.events }
          : await this.pull(tenantId, position, 1000);
        if (page.kind === 'resync') {
          yield page;
          return;
        }
        if (page.throughSeq > position.seq) {
          position = { epoch: page.epoch, seq: page.throughSeq };
          yield page;
        }
        if (page.throughSeq < page.headSeq) dirty = true;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    }
  }

  async resetLog(tenantId: string): Promise<string> {
    const epoch = randomUUID();
    await this.#storage.resetLog(tenantId, epoch);
    this.#recent.forget(tenantId);
    this.#notifier.notify(tenantId, 0);
    return epoch;
  }
}
