import { randomUUID } from 'node:crypto';
import { AresError } from '../../shared/errors.js';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import type { WidgetMessage } from '../../shared/schemas/relayWidget.js';
import { hashSecret, newSecret } from '../accounts/secretTokens.js';
import type { RateLimits } from '../http/rateLimits.js';
import type { RelayStorage, VisitorRecord } from '../storage/relayStorage.js';
import type { RelayLog } from '../sync/relayLog.js';
import type { Channel } from './channel.js';

const visibleTypes = new Set(['customer.message', 'staff.message', 'ai.message', 'auto.message']);
const longPollLimitMilliseconds = 25_000;

/** What a visitor may see of their own conversation: messages only, never notes or staff actions. */
function toWidgetMessage(event: LoggedEvent): WidgetMessage | null {
  const body = event.body;
  if (!visibleTypes.has(body.type)) return null;
  if (body.type === 'customer.message') return { seq: event.seq, from: 'visitor', text: body.text, at: event.acceptedAt, messageId: body.messageId };
  if (body.type === 'staff.message') return { seq: event.seq, from: 'staff', authorName: body.authorName, text: body.text, at: event.acceptedAt, messageId: body.messageId };
  if (body.type === 'ai.message' || body.type === 'auto.message') return { seq: event.seq, from: 'business', text: body.text, at: event.acceptedAt, messageId: body.messageId };
  return null;
}

/**
 * The web chat widget channel. A visitor gets an anonymous token bound to exactly one
 * conversation; every read and write is looked up by that token, so one visitor can never name
 * another's conversation.
 */
export class WebChannel implements Channel {
  readonly name = 'web' as const;
  readonly #storage: RelayStorage;
  readonly #log: RelayLog;
  readonly #rateLimits: RateLimits;
  readonly #now: () => number;

  constructor(options: { storage: RelayStorage; log: RelayLog; rateLimits: RateLimits; now: () => number }) {
    this.#storage = options.storage;
    this.#log = options.log;
    this.#rateLimits = options.rateLimits;
    this.#now = options.now;
  }

  async deliver(): Promise<void> {
    // Visitors read their conversation from the log (long polling): nothing to push.
  }

  /** The name a widget shows its visitors, or null for a widget key no business has. */
  async businessName(widgetKey: string): Promise<string | null> {
    return (await this.#storage.tenantByWidgetKey(widgetKey))?.name ?? null;
  }

  async startSession(widgetKey: string, address: string): Promise<{ visitorToken: string; conversationId: string; businessName: string }> {
    await this.#rateLimits.consume('widgetSessionPerAddress', address);
    const tenant = await this.#storage.tenantByWidgetKey(widgetKey);
    if (!tenant) throw new AresError('NOT_FOUND', 'This chat is not available.');
    const visitorToken = newSecret('vis');
    const visitor: VisitorRecord = { visitorId: randomUUID(), tenantId: tenant.tenantId, conversationId: `web-${randomUUID()}`, createdAt: this.#now() };
    await this.#storage.createVisitor(visitor, hashSecret(visitorToken));
    return { visitorToken, conversationId: visitor.conversationId, businessName: tenant.name };
  }

  async visitor(visitorToken: string | undefined, address: string): Promise<VisitorRecord> {
    await this.#rateLimits.consume('widgetPerAddress', address);
    const visitor = visitorToken ? await this.#storage.visitorByTokenHash(hashSecret(visitorToken)) : null;
    if (!visitor) throw new AresError('UNAUTHORIZED', 'This chat session has ended. Reload the page to start a new one.');
    return visitor;
  }

  async send(visitor: VisitorRecord, clientMessageId: string, text: string): Promise<{ duplicate: boolean; messageId: string }> {
    await this.#rateLimits.consume('widgetMessagePerVisitor', visitor.visitorId);
    const result = await this.#log.appendInbound(visitor.tenantId, {
      channel: 'web',
      // Scoped by visitor, so one visitor cannot collide with (or replay) another's message ids.
      externalId: `${visitor.visitorId}:${clientMessageId}`,
      conversationId: visitor.conversationId,
      customerLabel: `Web visitor ${visitor.visitorId.slice(0, 6)}`,
      text,
      occurredAt: this.#now(),
    });
    return { duplicate: result.duplicate, messageId: `web:${visitor.visitorId}:${clientMessageId}` };
  }

  async messages(visitor: VisitorRecord, afterSeq: number): Promise<WidgetMessage[]> {
    const events = await this.#storage.readConversationLog(visitor.tenantId, visitor.conversationId, afterSeq, 200);
    return events.map(toWidgetMessage).filter((message): message is WidgetMessage => message !== null);
  }

  /** Long polling: answers as soon as the conversation has anything after `afterSeq`, or after a while with nothing. */
  async waitForMessages(visitor: VisitorRecord, afterSeq: number, signal: AbortSignal): Promise<{ messages: WidgetMessage[]; throughSeq: number }> {
    const deadline = this.#now() + longPollLimitMilliseconds;
    let wake: (() => void) | null = null;
    const unsubscribe = this.#log.notifier.subscribe(visitor.tenantId, () => wake?.());
    try {
      let position = afterSeq;
      while (!signal.aborted) {
        const events = await this.#storage.readConversationLog(visitor.tenantId, visitor.conversationId, position, 200);
        if (events.length > 0) position = events.at(-1)!.seq;
        const messages = events.map(toWidgetMessage).filter((message): message is WidgetMessage => message !== null);
        if (messages.length > 0 || this.#now() >= deadline) return { messages, throughSeq: position };
        await new Promise<void>((resolve) => {
          wake = resolve;
          const timer = setTimeout(resolve, Math.max(0, deadline - this.#now()));
          signal.addEventListener('abort', () => resolve(), { once: true });
          const clear = wake;
          wake = () => {
            clearTimeout(timer);
            clear();
          };
        });
        wake = null;
      }
      return { messages: [], throughSeq: position };
    } finally {
      unsubscribe();
    }
  }
}
