import { AresError } from '../../shared/errors.js';
import type { SavedReply } from '../../shared/schemas/liveInbox.js';
import type { TenantDatabase } from '../vault/index.js';

/** Drafts per conversation and saved replies (`/shortcut`), kept in the encrypted tenant database. */

export function saveDraft(database: TenantDatabase, conversationId: string, text: string, now: number): void {
  if (text.trim() === '') database.prepare('delete from inbox_drafts where conversation_id = ?').run(conversationId);
  else database.prepare('insert into inbox_drafts (conversation_id, text, updated_at) values (?, ?, ?) on conflict (conversation_id) do update set text = excluded.text, updated_at = excluded.updated_at').run(conversationId, text, now);
}

export function savedReplies(database: TenantDatabase): SavedReply[] {
  return database.prepare('select id, shortcut, text, updated_at as updatedAt from inbox_saved_replies order by shortcut collate nocase limit 1000').all() as SavedReply[];
}

export function saveSavedReply(database: TenantDatabase, shortcut: string, text: string, now: number): SavedReply {
  const count = (database.prepare('select count(*) as count from inbox_saved_replies').get() as { count: number }).count;
  const exists = database.prepare('select id from inbox_saved_replies where shortcut = ?').get(shortcut) as { id: number } | undefined;
  if (!exists && count >= 1000) throw new AresError('INVALID_INPUT', 'A tenant can keep at most 1,000 saved replies.');
  database
    .prepare('insert into inbox_saved_replies (shortcut, text, updated_at) values (?, ?, ?) on conflict (shortcut) do update set shortcut = excluded.shortcut, text = excluded.text, updated_at = excluded.updated_at')
    .run(shortcut, text, now);
  return database.prepare('select id, shortcut, text, updated_at as updatedAt from inbox_saved_replies where shortcut = ?').get(shortcut) as SavedReply;
}

export function deleteSavedReply(database: TenantDatabase, id: number): void {
  if (database.prepare('delete from inbox_saved_replies where id = ?').run(id).changes === 0) throw new AresError('NOT_FOUND', 'That saved reply does not exist.');
}

/**
 * Marks a conversation read up to its latest customer message, by that message's id: the mark
 * survives a full resync, when the projections are rebuilt from the log (see migration 205).
 */
export function markRead(database: TenantDatabase, conversationId: string, now: number): void {
  database.transaction(() => {
    database.prepare('update inbox_unread set unread_count = 0 where conversation_id = ?').run(conversationId);
    const latest = database
      .prepare("select message_id as messageId from inbox_messages where conversation_id = ? and kind = 'customer' order by seq is null, seq desc, created_at desc limit 1")
      .get(conversationId) as { messageId: string } | undefined;
    if (!latest) return;
    database
      .prepare('insert into inbox_read_marks (conversation_id, message_id, read_at) values (?, ?, ?) on conflict (conversation_id) do update set message_id = excluded.message_id, read_at = excluded.read_at')
      .run(conversationId, latest.messageId, now);
  })();
}
