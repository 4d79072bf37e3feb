import type { TenantDatabase } from '../../vault/index.js';
import { tableExists } from '../sections/exportSection.js';

export interface RemovalCounts {
  conversations: number;
  messages: number;
  events: number;
  decisions: number;
}

/**
 * Deletes conversations and everything derived from them that this desktop holds: the inbox
 * projection, the event log copy, the agent decisions (which quote the customer's question) and
 * staff drafts (which may quote the customer too).
 * Runs inside the caller's transaction. The tenant database has secure_delete on, so freed pages
 * are zeroed; the caller checkpoints the WAL afterwards so old page images leave it too.
 *
 * Not touched: the sync outbox. Its entries carry mutation ids the relay expects without gaps, so
 * removing one would stall sync; the erasure event sent to the relay removes them there instead.
 */
export function removeConversations(database: TenantDatabase, conversationIds: string[]): RemovalCounts {
  const counts: RemovalCounts = { conversations: 0, messages: 0, events: 0, decisions: 0 };
  const run = (table: string, column: string, countedAs?: keyof RemovalCounts) => {
    if (!tableExists(database, table)) return;
    const statement = database.prepare(`delete from "${table}" where "${column}" = ?`);
    for (const conversationId of conversationIds) {
      const { changes } = statement.run(conversationId);
      if (countedAs) counts[countedAs] += changes;
    }
  };
  run('inbox_messages', 'conversation_id', 'messages');
  run('sync_events', 'conversation_id', 'events');
  run('agent_decisions', 'conversation_id', 'decisions');
  run('inbox_drafts', 'conversation_id');
  run('inbox_conversations', 'conversation_id', 'conversations');
  return counts;
}

/** Pushes deleted pages out of the write-ahead log, where their old images would otherwise linger. */
export function checkpoint(database: TenantDatabase): void {
  // Inside a caller's transaction (an erasure applied by sync) SQLite refuses; the caller checkpoints after commit.
  if (database.inTransaction) return;
  database.pragma('wal_checkpoint(TRUNCATE)');
}
