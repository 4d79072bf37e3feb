import type { ConversationEvent, EventBody, LoggedEvent } from '../../shared/schemas/sync.js';
import { applyConversationEvent, emptyConversation, type ConversationState } from '../../shared/sync/conversationState.js';
import { prepared, type SyncProjector } from '../sync/index.js';
import { applyChannelEventToInbox, describeChannelEvent } from '../channels/channelInboxProjection.js';
import type { TenantDatabase } from '../vault/index.js';

type MessageKind = 'customer' | 'staff' | 'ai' | 'auto' | 'note' | 'system';

/** How an event shows in a conversation's timeline: every event is visible, rejections included. */
function describe(body: EventBody): { kind: MessageKind; authorName: string | null; text: string } {
  switch (body.type) {
    case 'customer.message':
      return { kind: 'customer', authorName: body.customerLabel, text: body.text };
    case 'staff.message':
      return { kind: 'staff', authorName: body.authorName, text: body.text };
    case 'ai.message':
      return { kind: 'ai', authorName: null, text: body.text };
    case 'auto.message':
      return { kind: 'auto', authorName: null, text: body.text };
    case 'conversation.note':
      return { kind: 'note', authorName: body.authorName, text: body.text };
    case 'conversation.takeover':
      return { kind: 'system', authorName: body.staffName, text: `${body.staffName} took over the conversation.` };
    case 'conversation.handback':
      return { kind: 'system', authorName: body.staffName, text: `${body.staffName} handed the conversation back to the AI.` };
    case 'conversation.resolve':
      return { kind: 'system', authorName: body.staffName, text: `${body.staffName} marked the conversation resolved.` };
    case 'conversation.rejected':
      return { kind: 'system', authorName: null, text: `Not applied: ${body.reason}` };
    case 'conversation.handoff':
      return { kind: 'note', authorName: 'AI assistant', text: `Handed off to a person. ${body.note}` };
    case 'conversation.assign':
      return { kind: 'system', authorName: body.staffName, text: `${body.staffName} assigned the conversation to ${body.assigneeName}.` };
    case 'conversation.reopen':
      return { kind: 'system', authorName: body.staffName, text: `${body.staffName} reopened the conversation.` };
    default:
      return describeChannelEvent(body);
  }
}

function messageId(event: ConversationEvent): string {
  return 'messageId' in event.body ? event.body.messageId : event.eventId;
}

export function readConversationState(database: TenantDatabase, conversationId: string): ConversationState | null {
  const row = prepared(database, 'select state from inbox_conversations where conversation_id = ?').get(conversationId) as { state: string } | undefined;
  return row ? (JSON.parse(row.state) as ConversationState) : null;
}

/** Keeps `inbox_conversations` (the shared fold over confirmed events) and `inbox_messages` up to date. */
export const inboxProjector: SyncProjector = {
  applyLocal(database, event) {
    if (!readConversationState(database, event.conversationId)) {
      prepared(database, 'insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?)')
        .run(event.conversationId, JSON.stringify(emptyConversation(event.conversationId)), event.occurredAt);
    }
    const shown = describe(event.body);
    prepared(database, "insert or ignore into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, null, ?, ?, ?, ?, 'pending')",
      )
      .run(messageId(event), event.conversationId, event.eventId, shown.kind, shown.authorName, shown.text, event.occurredAt);
  },

  applyConfirmed(database, event: LoggedEvent) {
    const state = readConversationState(database, event.conversationId) ?? emptyConversation(event.conversationId);
    const next = applyConversationEvent(state, event);
    prepared(database, 'insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?) on conflict (conversation_id) do update set state = excluded.state, last_activity_at = max(coalesce(last_activity_at, 0), excluded.last_activity_at)',
      )
      .run(event.conversationId, JSON.stringify(next), event.acceptedAt);
    if (!applyChannelEventToInbox(database, event)) return;
    const shown = describe(event.body);
    const updated = prepared(database, "update inbox_messages set seq = ?, kind = ?, author_name = ?, text = ?, delivery = 'sent' where event_id = ?")
      .run(event.seq, shown.kind, shown.authorName, shown.text, event.eventId).changes;
    if (updated === 0) {
      prepared(database, "insert or ignore into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, ?, ?, ?, ?, 'sent')",
        )
        .run(messageId(event), event.conversationId, event.eventId, event.seq, shown.kind, shown.authorName, shown.text, event.acceptedAt);
    }
  },

  markRejected(database, eventId) {
    prepared(database, "update inbox_messages set delivery = 'rejected' where event_id = ?").run(eventId);
  },

  reset(database) {
    // Read marks outlive a resync (deleting conversations deletes their marks, as an erasure must):
    // kept in memory, not in a temp table, which could land unencrypted on disk.
    const readMarks = database.prepare('select conversation_id, message_id, read_at from inbox_read_marks').raw().all() as unknown[][];
    prepared(database, 'delete from inbox_messages').run();
    prepared(database, 'delete from inbox_conversations').run();
    const restore = database.prepare('insert into inbox_read_marks (conversation_id, message_id, read_at) values (?, ?, ?)');
    for (const mark of readMarks) restore.run(...mark);
  },
};
