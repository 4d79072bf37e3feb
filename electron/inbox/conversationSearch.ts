import { prepared } from '../sync/index.js';
import type { TenantDatabase } from '../vault/index.js';

/**
 * Search results are counted up to this many; past it the list says "1,000+". Counting every
 * conversation a common word matches meant reading all of them (about 0.5 s at 100,000
 * conversations) for a number nobody scrolls through.
 */
export const searchCountCap = 1000;

/**
 * Up to this many matching messages, their conversations are collected first (cost grows with the
 * matches). Past it, the conversations are walked newest first and each is checked against the
 * matching message ids, stopping at the cap: a common word fills a page after a few rows.
 */
const collectedMatchesLimit = 2000;

/** Words typed in the search box as an FTS5 query: each word quoted (no operators) and prefix-matched. */
export function fullTextQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length === 0 ? null : words.map((word) => `"${word}"*`).join(' ');
}

/**
 * Indexes the messages still waiting for the full-text index (migration 210 indexes them in
 * batches, not one commit at a time), so a search that follows sees every message.
 */
export function indexPendingMessages(database: TenantDatabase): void {
  if (!prepared(database, 'select 1 from inbox_search_pending limit 1').get()) return;
  database.transaction(() => {
    prepared(database, 'insert into inbox_message_search (rowid, text) select m.rowid, m.text from inbox_search_pending p cross join inbox_messages m on m.rowid = p.message_rowid').run();
    prepared(database, 'delete from inbox_search_pending').run();
  })();
}

/**
 * The condition on `inbox_conversation_facets f` for a search over customer names and message text
 * (FTS5 inside the encrypted database), shaped by how many messages match.
 */
export function searchCondition(database: TenantDatabase, search: string): { sql: string; parameters: unknown[] } {
  const name = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const text = fullTextQuery(search);
  if (!text) return { sql: "f.customer_label like ? escape '\\'", parameters: [name] };
  indexPendingMessages(database);
  const matches = (
    database.prepare('select count(*) as count from (select rowid from inbox_message_search where inbox_message_search match ? limit ?)').get(text, collectedMatchesLimit + 1) as { count: number }
  ).count;
  if (matches <= collectedMatchesLimit) {
    return {
      sql: `(f.customer_label like ? escape '\\' or f.conversation_id in (select m.conversation_id from inbox_message_search s cross join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ?))`,
      parameters: [name, text],
    };
  }
  return {
    sql: `(f.customer_label like ? escape '\\' or exists (select 1 from inbox_messages m where m.conversation_id = f.conversation_id and m.rowid in (select rowid from inbox_message_search where inbox_message_search match ?)))`,
    parameters: [name, text],
  };
}
