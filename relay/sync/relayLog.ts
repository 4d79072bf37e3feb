import { randomUUID } from 'node:crypto';
import { timeOrderedId } from '../../shared/timeOrderedId.js';
import {
  desktopEventTypes,
  ownerAdminEventTypes,
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
import { GroupCommit, type GroupedOutcome } from './groupCommit.js';
import { RecentEvents } from './recentEvents.js';
import { assigneeRejection, assigneesFor, type Assignees } from './assignees.js';

export interface PushAuthor {
  deviceId: string;
  operatorName: string;
  /** The operator's role on the relay; absent only for in-process callers (the simulation, tests). */
  role?: string;
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
const ownerAdminTypes = new Set<string>(ownerAdminEventTypes);

/** Why the author may not write `body` at all, or null. Erasing or correcting a customer is for owners and admins. */
function permissionRejection(author: PushAuthor, body: EventBody): string | null {
  if (!pushableTypes.has(body.type)) return 'Desktops cannot write this kind of event.';
  if (ownerAdminTypes.has(body.type) && author.role === 'agent') {
    return body.type === 'customer.erased' ? "Only owners and admins can erase a customer's data." : "Only owners and admins can correct a customer's details.";
  }
  return null;
}
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
  readonly #group: GroupCommit;

  readonly #livePageInterval: number;
  /** Tenants whose in-memory tail listens for "the log was rewritten" notices (seq 0). */
  readonly #watchedTenants = new Set<string>();

  /**
   * `livePageIntervalMilliseconds`: a live subscriber gets at most one page per interval (real
   * timers; 0, the default, sends each page at once, as the fake-clock simulation needs). Under a
   * burst the events of an interval then travel in one frame instead of one frame each.
   */
  constructor(options: { storage: RelayStorage; notifier: LogNotifier; now?: () => number; livePageIntervalMilliseconds?: number }) {
    this.#livePageInterval = options.livePageIntervalMilliseconds ?? 0;
    this.#storage = options.storage;
    this.#notifier = options.notifier;
    this.#now = options.now ?? Date.now;
    this.#group = new GroupCommit(this.#storage, (tenantId, appended) => this.#published(tenantId, appended));
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

  /** After a commit, in commit order: cache the events for live readers, then wake them once. */
  #published(tenantId: string, appended: (LoggedEvent & { epoch: string })[]): void {
    if (appended.length === 0) return;
    this.#watchRewrites(tenantId);
    for (const { epoch, ...event } of appended) this.#recent.committed(tenantId, epoch, event);
    this.#notifier.notify(tenantId, appended.at(-1)!.seq);
  }

  /**
   * Each mutation as its own unit of work, in order; stops at the first gap in mutation ids. The
   * mutations go to the group commit together, so a push of many mutations (or pushes and webhooks
   * arriving together) usually commits in one transaction; the answer comes after that commit.
   */
  async push(tenantId: string, author: PushAuthor, input: PushInput): Promise<PushResult> {
    const assignees = await assigneesFor(this.#storage, tenantId, input.mutations.map((mutation) => mutation.event.body));
    // If a mutation fails, the ones after it must not apply (the client retries from the failed one).
    let failedAt = Number.POSITIVE_INFINITY;
    const settled = await Promise.allSettled(
      input.mutations.map((mutation, index) =>
        this.#group.run(tenantId, async (transaction): Promise<GroupedOutcome<MutationResult | 'gap' | 'skipped'>> => {
          if (index > failedAt) return { value: 'skipped', appended: [] };
          try {
            return await this.#applyMutation(transaction, input.clientId, author, mutation, assignees);
          } catch (error) {
            failedAt = Math.min(failedAt, index);
            throw error;
          }
        }),
      ),
    );
    const results: MutationResult[] = [];
    for (const [index, outcome] of settled.entries()) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value === 'skipped') break;
      if (outcome.value === 'gap') return { results, gapAfterMutationId: results.at(-1)?.mutationId ?? input.mutations[index]!.mutationId - 1 };
      results.push(outcome.value);
    }
    return { results };
  }

  async #applyMutation(
    transaction: LogTransaction,
    clientId: string,
    author: PushAuthor,
    mutation: PushInput['mutations'][number],
    assignees: Assignees | null,
  ): Promise<GroupedOutcome<MutationResult | 'gap'>> {
    const last = await transaction.lastMutationId(clientId);
    // A client the relay has never seen (new, or the log was reset) starts wherever it is.
    if (last !== null && mutation.mutationId <= last) return { value: { mutationId: mutation.mutationId, status: 'duplicate' }, appended: [] };
    if (last !== null && mutation.mutationId > last + 1) return { value: 'gap', appended: [] };
    await transaction.setLastMutationId(clientId, author.deviceId, mutation.mutationId);
    if (await transaction.hasEvent(mutation.event.eventId)) return { value: { mutationId: mutation.mutationId, status: 'duplicate' }, appended: [] };
    const body = withAuthor(mutation.event.body, author.operatorName);
    const state = (await transaction.conversation(mutation.event.conversationId)) ?? emptyConversation(mutation.event.conversationId);
    const reason = permissionRejection(author, body) ?? (body.type === 'customer.corrected' && state.lastSeq === 0 ? 'This conversation is not on the relay (it may have been erased).' : (raceRejection(state, body) ?? assigneeRejection(body, assignees)));
    if (reason) {
      const rejection = await this.#append(transaction, {
        eventId: timeOrderedId(),
        conversationId: mutation.event.conversationId,
        occurredAt: this.#now(),
        body: { type: 'conversation.rejected', rejectedEventId: mutation.event.eventId, rejectedType: body.type, reason },
      });
      return { value: { mutationId: mutation.mutationId, status: 'rejected', seq: rejection.seq, reason }, appended: [rejection] };
    }
    const logged = await this.#append(transaction, { ...mutation.event, body });
    return { value: { mutationId: mutation.mutationId, status: 'applied', seq: logged.seq }, appended: [logged] };
  }

  /** A channel message, stored once per `(channel, externalId)`; committed before the caller answers. */
  async appendInbound(tenantId: string, message: InboundMessage): Promise<{ duplicate: boolean; seq: number | null }> {
    return this.#group.run<{ duplicate: boolean; seq: number | null }>(tenantId, async (transaction) => {
      if (!(await transaction.claimChannelMessage(message.channel, message.externalId))) return { value: { duplicate: true, seq: null }, appended: [] };
      const logged = await this.#append(transaction, {
        eventId: timeOrderedId(),
        conversationId: message.conversationId,
        occurredAt: message.occurredAt,
        body: { type: 'customer.message', messageId: `${message.channel}:${message.externalId}`, channel: message.channel, customerLabel: message.customerLabel, text: message.text },
      });
      return { value: { duplicate: false, seq: logged.seq }, appended: [logged] };
    });
  }

  /**
   * Relay-authored channel events (a WhatsApp/Messenger webhook batch, delivery statuses) in ONE
   * transaction: each item's events are appended only if its `(channel, externalId)` claim is new;
   * `alsoClaim` keys are claimed either way (statuses claim the lower ranks they imply).
   */
  async appendClaimed(tenantId: string, items: ClaimedEvents[]): Promise<{ logged: LoggedEvent[]; duplicates: number }> {
    return this.#group.run(tenantId, async (transaction) => {
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
      return { value: { logged: logged.map(({ epoch: _epoch, ...event }) => event), duplicates }, appended: logged };
    });
  }

  /** The automatic "we'll get back to you" reply: appended only if the conversation still has not had one. */
  async appendAutoReply(tenantId: string, conversationId: string, text: string): Promise<boolean> {
    return this.#group.run(tenantId, async (transaction) => {
      const state = await transaction.conversation(conversationId);
      if (!state || state.autoReplied || state.unansweredSinceSeq === null) return { value: false, appended: [] };
      const logged = await this.#append(transaction, {
        eventId: timeOrderedId(),
        conversationId,
        occurredAt: this.#now(),
        body: { type: 'auto.message', messageId: `auto:${conversationId}`, text },
      });
      return { value: true, appended: [logged] };
    });
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
    let lastPageAt = Number.NEGATIVE_INFINITY;
    let wake: (() => void) | null = null;
    // The newest seq announced, and whether a notice asked for a read from storage: another relay
    // instance's commits never reach this process's in-memory tail, only its notices do.
    let announcedSeq = 0;
    let storageRead = false;
    const unsubscribe = this.#notifier.subscribe(tenantId, (seq) => {
      // seq 0 means "read the log yourself": a reset, or a notifier that reconnected and may have missed notices.
      if (seq === 0) storageRead = true;
      else announcedSeq = Math.max(announcedSeq, seq);
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
        const wait = lastPageAt + this.#livePageInterval - performance.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            wake = () => {
              if (signal?.aborted) {
                clearTimeout(timer);
                resolve();
              }
            };
          });
          wake = null;
          continue;
        }
        dirty = false;
        const tail = storageRead ? null : this.#recent.page(tenantId, position.epoch, position.seq, 1000);
        const cached = tail && tail.headSeq >= announcedSeq ? tail : null;
        storageRead = false;
        const page: PullResult = cached ?? (await this.pull(tenantId, position, 1000));
        if (page.kind === 'resync') {
          yield page;
          return;
        }
        if (page.throughSeq > position.seq) {
          position = { epoch: page.epoch, seq: page.throughSeq };
          if (this.#livePageInterval > 0) lastPageAt = performance.now();
          yield page;
        }
        if (page.throughSeq < page.headSeq) dirty = true;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    }
  }

  /**
   * A notice with seq 0 says the stored log changed under this process (an erasure, retention or a
   * reset, possibly on another instance): the in-memory tail may hold content that storage no
   * longer has, so it is dropped and live readers read storage. Watched from the first commit a
   * tenant's tail caches, because only then is there something to drop.
   */
  #watchRewrites(tenantId: string): void {
    if (this.#watchedTenants.has(tenantId)) return;
    this.#watchedTenants.add(tenantId);
    this.#notifier.subscribe(tenantId, (seq) => {
      if (seq === 0) this.#recent.forget(tenantId);
    });
  }

  /**
   * Called after content was removed from the stored log (erasure, retention): this instance drops
   * its tail now, and the notice makes every other instance drop theirs and their readers re-read.
   */
  contentRemoved(tenantId: string): void {
    this.#recent.forget(tenantId);
    this.#notifier.notify(tenantId, 0);
  }

  async resetLog(tenantId: string): Promise<string> {
    const epoch = randomUUID();
    await this.#storage.resetLog(tenantId, epoch);
    this.contentRemoved(tenantId);
    return epoch;
  }
}
