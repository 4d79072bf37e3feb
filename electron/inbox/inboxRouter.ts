import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { EventEmitter, on } from 'node:events';
import { AresError } from '../../shared/errors.js';
import { conversationInput, replyInput } from '../../shared/schemas/relaySync.js';
import type { EventBody } from '../../shared/schemas/sync.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { syncServiceFor } from '../sync/index.js';
import type { TenantSession } from '../vault/index.js';
import { readConversationState } from './inboxProjector.js';
import { conversationMessages, listConversations } from './inboxReadModel.js';

function record(session: TenantSession, conversationId: string, body: EventBody): { eventId: string } {
  if (!readConversationState(session.database, conversationId)) throw new AresError('NOT_FOUND', 'No such conversation.');
  const eventId = timeOrderedId();
  syncServiceFor(session).record({ eventId, conversationId, occurredAt: Date.now(), body });
  return { eventId };
}

/** A simple inbox: conversations, their messages, and staff replies and hand-offs (written to the outbox). */
export const inboxRouter = router({
  conversations: tenantProcedure.query(({ ctx }) => listConversations(ctx.session.database, syncServiceFor(ctx.session).store.unconfirmedEvents())),

  messages: tenantProcedure.input(conversationInput).query(({ ctx, input }) => conversationMessages(ctx.session.database, input.conversationId)),

  reply: tenantProcedure.input(replyInput).mutation(({ ctx, input }) =>
    record(ctx.session, input.conversationId, { type: 'staff.message', messageId: `staff:${timeOrderedId()}`, authorName: syncServiceFor(ctx.session).staffName(), text: input.text }),
  ),

  takeOver: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) =>
    record(ctx.session, input.conversationId, { type: 'conversation.takeover', staffName: syncServiceFor(ctx.session).staffName() }),
  ),

  handBack: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) =>
    record(ctx.session, input.conversationId, { type: 'conversation.handback', staffName: syncServiceFor(ctx.session).staffName() }),
  ),

  resolve: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) =>
    record(ctx.session, input.conversationId, { type: 'conversation.resolve', staffName: syncServiceFor(ctx.session).staffName() }),
  ),

  /** Fires whenever conversations may have changed (a pulled event, a local change, an acknowledgement). */
  onChange: tenantProcedure.subscription(async function* ({ ctx, signal }) {
    const relay = new EventEmitter();
    const stop = syncServiceFor(ctx.session).onChange(() => relay.emit('change'));
    try {
      for await (const _ of on(relay, 'change', { signal })) yield { changedAt: Date.now() };
    } finally {
      stop();
    }
  }),
});
