import type { ConversationEvent } from '../../shared/schemas/sync.js';
import { applyConversationEvent, type ConversationState } from '../../shared/sync/conversationState.js';
import type { TenantDatabase } from '../vault/index.js';

export interface InboxConversation extends ConversationState {
  /** True while a change of this desktop to this conversation is not confirmed by the relay yet. */
  hasUnconfirmedChanges: boolean;
  lastActivityAt: number | null;
}

export interface InboxMessage {
  messageId: string;
  eventId: string;
  seq: number | null;
  kind: 'customer' | 'staff' | 'ai' | 'auto' | 'note' | 'system';
  authorName: string | null;
  text: string;
  createdAt: number;
  delivery: 'pending' | 'sent' | 'rejected';
}

/**
 * The state shown to staff: the relay-confirmed fold, then this desktop's own unconfirmed changes
 * on top, so after a push is acknowledged the UI never shows anything older than that change.
 */
function withLocalChanges(state: ConversationState, unconfirmed: ConversationEvent[]): ConversationState {
  let shown = state;
  for (const event of unconfirmed) shown = applyConversationEvent(shown, { ...event, seq: state.lastSeq || 1, acceptedAt: event.occurredAt });
  return { ...shown, lastSeq: state.lastSeq };
}

export function listConversations(database: TenantDatabase, unconfirmed: ConversationEvent[]): InboxConversation[] {
  const rows = database
    .prepare(
      `select c.state, c.last_activity_at as lastActivityAt
       from inbox_conversation_facets f join inbox_conversations c on c.conversation_id = f.conversation_id
       order by f.last_activity_at desc limit 500`,
    )
    .all() as {
    state: string;
    lastActivityAt: number | null;
  }[];
  return rows.map((row) => {
    const state = JSON.parse(row.state) as ConversationState;
    const mine = unconfirmed.filter((event) => event.conversationId === state.conversationId);
    return { ...withLocalChanges(state, mine), hasUnconfirmedChanges: mine.length > 0, lastActivityAt: row.lastActivityAt };
  });
}

export function conversationMessages(database: TenantDatabase, conversationId: string): InboxMessage[] {
  // Confirmed messages in seq order (the relay's order), then this desktop's pending ones.
  return database
    .prepare(
      `select message_id as messageId, event_id as eventId, seq, kind, author_name as authorName, text, created_at as createdAt, delivery
       from inbox_messages where conversation_id = ? order by seq is null, seq, created_at limit 1000`,
    )
    .all(conversationId) as InboxMessage[];
}
