import type { ConversationMessage } from '../../shared/schemas/agent.js';
import type { ConversationEvent } from '../../shared/schemas/sync.js';
import { applyConversationEvent, type ConversationState } from '../../shared/sync/conversationState.js';
import { readConversationState } from '../inbox/index.js';
import type { TenantDatabase } from '../vault/index.js';

/**
 * A conversation as this desktop knows it right now: the relay-confirmed fold with this desktop's
 * own unconfirmed changes on top, so a take-over made here stops the AI before the relay has
 * even seen it.
 */
export function currentConversationState(database: TenantDatabase, conversationId: string, unconfirmed: readonly ConversationEvent[]): ConversationState | null {
  const confirmed = readConversationState(database, conversationId);
  if (!confirmed) return null;
  let shown = confirmed;
  for (const event of unconfirmed) {
    if (event.conversationId === conversationId) shown = applyConversationEvent(shown, { ...event, seq: confirmed.lastSeq || 1, acceptedAt: event.occurredAt });
  }
  return shown;
}

const historyLimit = 50;

/**
 * What the agent reads: the latest messages oldest first, customer/AI/staff only (private notes and
 * system lines never reach the agent). `lastCustomerMessageId` identifies the question being answered.
 */
export function agentHistory(database: TenantDatabase, conversationId: string): { messages: ConversationMessage[]; lastCustomerMessageId: string | null } {
  const rows = database
    .prepare(
      `select message_id as messageId, kind, text from inbox_messages
       where conversation_id = ? and kind in ('customer', 'ai', 'auto', 'staff') and delivery != 'rejected'
       order by seq is null, seq desc, created_at desc limit ?`,
    )
    .all(conversationId, historyLimit) as { messageId: string; kind: string; text: string }[];
  rows.reverse();
  const messages: ConversationMessage[] = rows.map((row) => ({ role: row.kind === 'customer' ? 'customer' : row.kind === 'staff' ? 'staff' : 'ai', text: row.text.slice(0, 4000) }));
  const last = rows.at(-1);
  return { messages, lastCustomerMessageId: last?.kind === 'customer' ? last.messageId : null };
}
