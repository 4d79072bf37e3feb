import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { AresError } from '../../shared/errors.js';
import type { AgentDecision } from '../../shared/schemas/agent.js';
import type { ConversationEvent, EventBody } from '../../shared/schemas/sync.js';
import { answerConversation, type Retriever } from '../agent/index.js';
import type { SyncService } from '../sync/index.js';
import type { SessionService, TenantSession } from '../vault/index.js';
import { agentHistory, currentConversationState } from './conversationView.js';
import { replyUsed } from './replyUsed.js';

export interface AgentRunnerOptions {
  session: TenantSession;
  sync: SyncService;
  /** The app's data folder (where the embedding model lives). */
  dataDirectory: string;
  /** Tests and benchmarks: where passages come from instead of the knowledge base. */
  retriever?: Retriever;
  leaseSeconds?: number;
  /** How often a desktop that does not hold the lease asks for it (the holder renews at a third of the lease). */
  standbyRetryMilliseconds?: number;
  /** How long locking waits for the relay to take the lease back before leaving it to expire. */
  releaseTimeoutMilliseconds?: number;
  /** Unanswered customer messages older than this are left to people (a desktop back after days offline). */
  maximumMessageAgeMilliseconds?: number;
  now?: () => number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface AgentRunnerStatus {
  holdsLease: boolean;
  leaseHolderDeviceId: string | null;
  answering: string | null;
  answered: number;
  handedOff: number;
  stoppedByTakeOver: number;
  lastError: string | null;
}

/** Conversations looked at per pass: the most recently active ones in AI mode (indexed). */
const candidatesPerPass = 200;
const safetyScanMilliseconds = 5_000;

/**
 * Runs the agent on live conversations on the one desktop of the tenant that holds the relay's
 * agent-runner lease (so a customer never gets two AI answers). For each conversation in AI mode
 * whose latest customer message has no reply, it decides, checks the conversation is still in AI
 * mode, and writes the reply (or the hand-off) through the outbox. A take-over, here or pulled from
 * another desktop, aborts the answer in flight; the relay refuses any AI reply that still arrives
 * after a take-over (raceRejection), so the customer sees nothing from the AI once a person has it.
 */
export class AgentRunner implements SessionService {
  readonly #options: AgentRunnerOptions;
  readonly #now: () => number;
  readonly #stopListening: () => void;
  #disposed = false;
  #holdsLease = false;
  #leaseHolder: string | null = null;
  #leaseTimer: NodeJS.Timeout | null = null;
  /** True while an acquire is on its way: its answer may grant the lease after dispose started. */
  #acquiring = false;
  #scanTimer: NodeJS.Timeout | null = null;
  #scanning = false;
  #rescan = false;
  #inFlight: { conversationId: string; controller: AbortController } | null = null;
  #counters = { answered: 0, handedOff: 0, stoppedByTakeOver: 0 };
  #lastError: string | null = null;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(options: AgentRunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#stopListening = options.sync.onChange(() => this.#onSyncChange());
    this.#scanTimer = setInterval(() => this.#requestScan(), safetyScanMilliseconds);
    this.#scanTimer.unref();
    this.#onSyncChange();
  }

  status(): AgentRunnerStatus {
    return { holdsLease: this.#holdsLease, leaseHolderDeviceId: this.#leaseHolder, answering: this.#inFlight?.conversationId ?? null, ...this.#counters, lastError: this.#lastError };
  }

  /** Stops the AI for one conversation at once (a take-over on this desktop calls this before writing). */
  stopConversation(conversationId: string): void {
    if (this.#inFlight?.conversationId === conversationId && !this.#inFlight.controller.signal.aborted) {
      this.#inFlight.controller.abort();
      this.#counters.stoppedByTakeOver += 1;
    }
  }

  /** Resolves when no pass is running or queued (tests). */
  idle(): Promise<void> {
    if (!this.#scanning) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #onSyncChange(): void {
    if (this.#disposed) return;
    const connected = this.#options.sync.store.connection() !== null;
    if (connected && !this.#leaseTimer) {
      void this.#renewLease();
    } else if (!connected && this.#leaseTimer) {
      clearTimeout(this.#leaseTimer);
      this.#leaseTimer = null;
      this.#loseLease();
    }
    // A take-over pulled from another desktop: stop the answer in flight right away.
    const running = this.#inFlight;
    if (running && !running.controller.signal.aborted) {
      const state = currentConversationState(this.#options.session.database, running.conversationId, this.#options.sync.store.unconfirmedEvents(running.conversationId));
      if (state && state.status !== 'ai') this.stopConversation(running.conversationId);
    }
    this.#requestScan();
  }

  async #renewLease(): Promise<void> {
    const seconds = this.#options.leaseSeconds ?? 30;
    if (this.#leaseTimer) clearTimeout(this.#leaseTimer);
    // Placeholder so concurrent change notifications do not start a second renewal loop.
    this.#leaseTimer = setTimeout(() => {}, 0);
    this.#acquiring = true;
    try {
      const lease = await this.#options.sync.acquireAgentLease(seconds);
      if (this.#disposed) return;
      const had = this.#holdsLease;
      this.#holdsLease = lease.held;
      this.#leaseHolder = lease.holderDeviceId;
      if (!lease.held) this.#loseLease();
      else if (!had) this.#log('agent runner: lease acquired');
    } catch (error) {
      if (this.#disposed) return;
      // Unreachable relay: keep answering only until the lease would have run out.
      this.#lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.#acquiring = false;
    }
    if (this.#disposed) return;
    // Renew at a third of the lease: two missed renewals still leave it held. A desktop on standby asks
    // more often, so when the holder gives the lease back (lock, quit) customers wait seconds, not a lease.
    const renewMilliseconds = this.#holdsLease ? (seconds * 1000) / 3 : Math.min((seconds * 1000) / 3, this.#options.standbyRetryMilliseconds ?? 5_000);
    this.#leaseTimer = setTimeout(() => void this.#renewLease(), renewMilliseconds);
    this.#leaseTimer.unref();
    this.#requestScan();
  }

  #loseLease(): void {
    this.#holdsLease = false;
    this.#inFlight?.controller.abort();
  }

  #requestScan(): void {
    if (this.#disposed || !this.#holdsLease) return;
    if (this.#scanning) {
      this.#rescan = true;
      return;
    }
    this.#scanning = true;
    void this.#scanLoop();
  }

  async #scanLoop(): Promise<void> {
    try {
      for (let pass = 0; pass < 1000 && !this.#disposed && this.#holdsLease; pass += 1) {
        this.#rescan = false;
        const worked = await this.#pass();
        if (!worked && !this.#rescan) break;
      }
    } finally {
      this.#scanning = false;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  /** One pass over the candidates; true when it answered something (so another pass may find more). */
  async #pass(): Promise<boolean> {
    const database = this.#options.session.database;
    const maximumAge = this.#options.maximumMessageAgeMilliseconds ?? 24 * 60 * 60 * 1000;
    const rows = database
      .prepare("select conversation_id as conversationId from inbox_conversation_facets where status = 'ai' order by last_activity_at desc limit ?")
      .all(candidatesPerPass) as { conversationId: string }[];
    let worked = false;
    for (const { conversationId } of rows) {
      if (this.#disposed || !this.#holdsLease) return worked;
      const state = currentConversationState(database, conversationId, this.#options.sync.store.unconfirmedEvents(conversationId));
      if (!state || state.status !== 'ai' || state.unansweredSinceSeq === null) continue;
      if (state.lastMessageAt !== null && this.#now() - state.lastMessageAt > maximumAge) continue;
      if (await this.#answer(conversationId)) worked = true;
    }
    return worked;
  }

  async #answer(conversationId: string): Promise<boolean> {
    const { session, sync } = this.#options;
    const history = agentHistory(session.database, conversationId);
    if (!history.lastCustomerMessageId) return false;
    const controller = new AbortController();
    this.#inFlight = { conversationId, controller };
    let decision: AgentDecision;
    try {
      decision = await answerConversation(session, history.messages, {
        dataDirectory: this.#options.dataDirectory,
        conversationId,
        signal: controller.signal,
        ...(this.#options.retriever ? { retriever: this.#options.retriever } : {}),
      });
    } catch (error) {
      if (error instanceof AresError && error.code === 'CANCELLED') return false;
      if (controller.signal.aborted || this.#disposed) return false;
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#log('agent runner: the agent failed', { conversationId, error: this.#lastError });
      return false;
    } finally {
      this.#inFlight = null;
    }
    if (controller.signal.aborted || this.#disposed || session.closed || !this.#holdsLease) return false;
    // Right before writing: still in AI mode, and still the same question (a newer message is answered next pass).
    const state = currentConversationState(session.database, conversationId, sync.store.unconfirmedEvents(conversationId));
    if (!state || state.status !== 'ai' || state.unansweredSinceSeq === null) {
      if (state && state.status !== 'ai') this.#counters.stoppedByTakeOver += 1;
      return false;
    }
    if (agentHistory(session.database, conversationId).lastCustomerMessageId !== history.lastCustomerMessageId) return true;
    for (const body of this.#eventsFor(decision)) sync.record(this.#event(conversationId, body));
    if (decision.outcome === 'answer') this.#counters.answered += 1;
    else this.#counters.handedOff += 1;
    return true;
  }

  #eventsFor(decision: AgentDecision): EventBody[] {
    const reply: EventBody = { type: 'ai.message', messageId: `ai:${timeOrderedId()}`, text: decision.reply.slice(0, 4000), used: replyUsed(decision) };
    if (decision.outcome === 'answer') return [reply];
    return [reply, { type: 'conversation.handoff', reason: decision.handOffReason ?? 'low_confidence', note: decision.staffNote.slice(0, 2000) }];
  }

  #event(conversationId: string, body: EventBody): ConversationEvent {
    return { eventId: timeOrderedId(), conversationId, occurredAt: this.#now(), body };
  }

  #log(message: string, details?: Record<string, unknown>): void {
    this.#options.log?.(message, details);
  }

  /**
   * Runs on lock, quit and switching tenants (before the database closes). Gives the lease back so
   * another desktop answers customers at once rather than when the lease runs out; bounded, so an
   * unreachable relay delays locking by at most `releaseTimeoutMilliseconds`.
   */
  async dispose(): Promise<void> {
    const mayHoldLease = this.#holdsLease || this.#acquiring;
    this.#disposed = true;
    this.#holdsLease = false;
    this.#stopListening();
    if (this.#leaseTimer) clearTimeout(this.#leaseTimer);
    if (this.#scanTimer) clearInterval(this.#scanTimer);
    this.#inFlight?.controller.abort();
    if (!mayHoldLease) return;
    const released = await this.#options.sync.releaseAgentLease(this.#options.releaseTimeoutMilliseconds ?? 2_000);
    this.#log(released ? 'agent runner: lease released' : 'agent runner: lease left to expire (relay unreachable)');
  }
}
