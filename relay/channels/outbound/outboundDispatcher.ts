import { randomUUID } from 'node:crypto';
import type { MetaChannel } from '../../../shared/schemas/channels.js';
import type { LoggedEvent } from '../../../shared/schemas/sync.js';
import type { RelayStorage } from '../../storage/relayStorage.js';
import type { ChannelStore, OutboundJob } from '../channelStore.js';

const channelOfConversation = (conversationId: string): MetaChannel | null =>
  conversationId.startsWith('whatsapp:') ? 'whatsapp' : conversationId.startsWith('messenger:') ? 'messenger' : null;

/** Template sends are enqueued by the procedure that wrote them, with the template's details. */
export const templateMessagePrefix = 'template:';

/**
 * Follows each connected tenant's log from its own cursor: customer messages move the conversation's
 * window, replies in WhatsApp/Messenger conversations become outbound jobs. Working from the
 * committed log (not from the push request) means nothing slow runs in a request and a crash
 * loses nothing: the job's unique event id makes a second pass harmless, on any instance.
 */
export class OutboundDispatcher {
  constructor(private readonly options: { storage: RelayStorage; store: ChannelStore; now: () => number }) {}

  async dispatchTenant(tenantId: string): Promise<number> {
    const { storage, store } = this.options;
    const head = await storage.head(tenantId);
    const saved = await store.dispatchCursor(tenantId);
    // A reset log starts a new epoch: start from its beginning (earlier jobs stay unique by event id).
    let seq = saved && saved.epoch === head.epoch ? saved.seq : 0;
    let enqueued = 0;
    for (let page = 0; page < 20 && seq < head.headSeq; page += 1) {
      const events = await storage.readLog(tenantId, seq, 500);
      if (events.length === 0) break;
      for (const event of events) enqueued += await this.#handle(tenantId, event);
      seq = events.at(-1)!.seq;
      await store.setDispatchCursor(tenantId, { epoch: head.epoch, seq });
    }
    return enqueued;
  }

  async #handle(tenantId: string, event: LoggedEvent): Promise<number> {
    const channel = channelOfConversation(event.conversationId);
    if (!channel) return 0;
    const body = event.body;
    if (body.type === 'customer.message') {
      await this.options.store.recordInbound(tenantId, event.conversationId, event.occurredAt);
      return 0;
    }
    if (body.type !== 'staff.message' && body.type !== 'ai.message' && body.type !== 'auto.message') return 0;
    if (body.messageId.startsWith(templateMessagePrefix)) return 0;
    const now = this.options.now();
    const job: OutboundJob = {
      jobId: randomUUID(),
      tenantId,
      channel,
      conversationId: event.conversationId,
      eventId: event.eventId,
      messageId: body.messageId,
      authorKind: body.type === 'staff.message' ? 'staff' : body.type === 'ai.message' ? 'ai' : 'auto',
      payload: { kind: 'text', text: body.text },
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      platformMessageId: null,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
    };
    return (await this.options.store.enqueue(job)) ? 1 : 0;
  }
}
