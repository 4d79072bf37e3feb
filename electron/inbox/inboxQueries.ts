import type { ConversationDetails, ConversationPage, ConversationPageQuery, ConversationRow, InboxCounts, LiveMessage, MessagePage } from '../../shared/schemas/liveInbox.js';
import type { AiReplyUsed, ConversationEvent } from '../../shared/schemas/sync.js';
import { applyConversationEvent, type ConversationState } from '../../shared/sync/conversationState.js';
import type { TenantDatabase } from '../vault/index.js';
import { searchCondition, searchCountCap } from './conversationSearch.js';

const whatsappWindowMilliseconds = 24 * 60 * 60 * 1000;

function whereClause(database: TenantDatabase, input: Pick<ConversationPageQuery, 'filter' | 'search' | 'channel'>, staffName: string): { sql: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  switch (input.filter) {
    case 'needs_human':
    case 'ai':
    case 'human':
    case 'resolved':
      conditions.push('f.status = ?');
      parameters.push(input.filter);
      break;
    case 'mine':
      conditions.push("f.holder = ? and f.status = 'human'");
      parameters.push(staffName);
      break;
    case 'all':
      break;
  }
  if (input.channel) {
    conditions.push('f.channel = ?');
    parameters.push(input.channel);
  }
  if (input.search.trim() !== '') {
    const search = searchCondition(database, input.search);
    conditions.push(search.sql);
    parameters.push(...search.parameters);
  }
  return { sql: conditions.length > 0 ? `where ${conditions.join(' and ')}` : '', parameters };
}

function withLocalChanges(state: ConversationState, unconfirmed: readonly ConversationEvent[]): ConversationState {
  let shown = state;
  for (const event of unconfirmed) shown = applyConversationEvent(shown, { ...event, seq: state.lastSeq || 1, acceptedAt: event.occurredAt });
  return shown;
}

function toRow(state: ConversationState, lastActivityAt: number | null, unread: number, unconfirmed: readonly ConversationEvent[]): ConversationRow {
  const mine = unconfirmed.filter((event) => event.conversationId === state.conversationId);
  const shown = withLocalChanges(state, mine);
  return {
    conversationId: shown.conversationId,
    status: shown.status,
    holder: shown.holder,
    channel: shown.channel,
    customerLabel: shown.customerLabel,
    lastMessagePreview: shown.lastMessagePreview,
    lastActivityAt,
    unread,
    hasUnconfirmedChanges: mine.length > 0,
  };
}

type PageRow = { state: string; lastActivityAt: number | null; unread: number };

/** States are read for the rows of one page alone, in the order of `pageSql` (conversation_id, last_activity_at). */
function pageRows(database: TenantDatabase, pageSql: string, parameters: unknown[]): PageRow[] {
  return database
    .prepare(
      `select c.state, c.last_activity_at as lastActivityAt, coalesce(u.unread_count, 0) as unread
       from (${pageSql}) page
       join inbox_conversations c on c.conversation_id = page.conversation_id
       left join inbox_unread u on u.conversation_id = page.conversation_id
       order by page.last_activity_at desc`,
    )
    .all(...parameters) as PageRow[];
}

/**
 * One page of the conversation list, newest activity first, with the total for the virtual scroll
 * height. Without a search the total is exact (covering indexes count 100,000 rows in milliseconds).
 * With one, a single walk collects the matches up to the page's end or the count cap, whichever is
 * further, and `totalCapped` says more may exist.
 */
export function conversationPage(database: TenantDatabase, input: ConversationPageQuery, staffName: string, unconfirmed: readonly ConversationEvent[]): ConversationPage {
  const where = whereClause(database, input, staffName);
  const finish = (rows: PageRow[], total: number, totalCapped: boolean): ConversationPage => ({
    rows: rows.map((row) => toRow(JSON.parse(row.state) as ConversationState, row.lastActivityAt, row.unread, unconfirmed)),
    total,
    totalCapped,
    offset: input.offset,
  });
  if (input.search.trim() === '') {
    const total = (database.prepare(`select count(*) as count from inbox_conversation_facets f ${where.sql}`).get(...where.parameters) as { count: number }).count;
    // The offset walks the small facets index only.
    const rows = pageRows(database, `select f.conversation_id, f.last_activity_at from inbox_conversation_facets f ${where.sql} order by f.last_activity_at desc limit ? offset ?`, [
      ...where.parameters,
      input.limit,
      input.offset,
    ]);
    return finish(rows, total, false);
  }
  const walkLimit = Math.max(input.offset + input.limit, searchCountCap) + 1;
  const matched = database
    .prepare(`select f.conversation_id as id from inbox_conversation_facets f ${where.sql} order by f.last_activity_at desc limit ?`)
    .pluck()
    .all(...where.parameters, walkLimit) as string[];
  const ids = matched.slice(input.offset, input.offset + input.limit);
  const rows = ids.length === 0 ? [] : pageRows(database, 'select f.conversation_id, f.last_activity_at from inbox_conversation_facets f where f.conversation_id in (select value from json_each(?))', [JSON.stringify(ids)]);
  const totalCapped = matched.length === walkLimit;
  return finish(rows, totalCapped ? walkLimit - 1 : matched.length, totalCapped);
}

export function inboxCounts(database: TenantDatabase, staffName: string): InboxCounts {
  const byStatus = database.prepare('select status, count(*) as count from inbox_conversation_facets group by status').all() as { status: string; count: number }[];
  const count = (status: string) => byStatus.find((row) => row.status === status)?.count ?? 0;
  const mine = (database.prepare("select count(*) as count from inbox_conversation_facets where holder = ? and status = 'human'").get(staffName) as { count: number }).count;
  const unreadConversations = (database.prepare('select count(*) as count from inbox_unread where unread_count > 0').get() as { count: number }).count;
  return {
    all: byStatus.reduce((sum, row) => sum + row.count, 0),
    needsHuman: count('needs_human'),
    mine,
    ai: count('ai'),
    human: count('human'),
    resolved: count('resolved'),
    unreadConversations,
    staffName,
  };
}

export function conversationDetails(database: TenantDatabase, conversationId: string, staffName: string, unconfirmed: readonly ConversationEvent[]): ConversationDetails | null {
  const row = database
    .prepare(
      `select c.state, c.last_activity_at as lastActivityAt, coalesce(u.unread_count, 0) as unread, d.text as draft
       from inbox_conversations c left join inbox_unread u on u.conversation_id = c.conversation_id left join inbox_drafts d on d.conversation_id = c.conversation_id
       where c.conversation_id = ?`,
    )
    .get(conversationId) as { state: string; lastActivityAt: number | null; unread: number; draft: string | null } | undefined;
  if (!row) return null;
  const state = JSON.parse(row.state) as ConversationState;
  let whatsappWindowClosesAt: number | null = null;
  if (state.channel === 'whatsapp') {
    // Meta (and the relay's send check) count the window from the platform's timestamp of the customer's
    // message (the event's occurredAt), not from when the relay accepted it, which can be later (redelivery).
    const last = database
      .prepare(
        `select max(min(m.created_at, coalesce(json_extract(e.event, '$.occurredAt'), m.created_at))) as at
         from inbox_messages m left join sync_events e on e.event_id = m.event_id
         where m.conversation_id = ? and m.kind = 'customer'`,
      )
      .get(conversationId) as { at: number | null };
    whatsappWindowClosesAt = last.at === null ? null : last.at + whatsappWindowMilliseconds;
  }
  return { ...toRow(state, row.lastActivityAt, row.unread, unconfirmed), messageCount: state.messageCount, draft: row.draft ?? '', whatsappWindowClosesAt, staffName };
}

const rank: Record<string, number> = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 };

/** The latest messages (or those before `beforeSeq`), oldest first, with delivery ticks and what AI replies used. */
export function messagePage(database: TenantDatabase, conversationId: string, beforeSeq: number | null, limit: number): MessagePage {
  const rows = database
    .prepare(
      `select m.message_id as messageId, m.event_id as eventId, m.seq, m.kind, m.author_name as authorName, m.text, m.created_at as createdAt, m.delivery,
              d.status as channelStatus, d.reason as failureReason,
              case when m.kind = 'ai' then json_extract(e.event, '$.body.used') end as used
       from (
         select rowid as id from inbox_messages where conversation_id = ? and seq is null and ? is null
         union all
         select id from (select rowid as id from inbox_messages where conversation_id = ? and seq is not null and seq < coalesce(?, 9007199254740991) order by seq desc limit ?)
       ) page
       cross join inbox_messages m on m.rowid = page.id
       left join inbox_delivery d on d.message_id = m.message_id
       left join sync_events e on e.event_id = m.event_id and m.kind = 'ai'
       order by m.seq is null desc, m.seq desc, m.created_at desc limit ?`,
    )
    .all(conversationId, beforeSeq, conversationId, beforeSeq, limit + 1, limit + 1) as (Omit<LiveMessage, 'used' | 'delivery'> & { delivery: string; channelStatus: string | null; used: string | null })[];
  const hasOlder = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  const messages = page.map(({ channelStatus, used, delivery, ...message }): LiveMessage => {
    let tick = delivery as LiveMessage['delivery'];
    if (delivery === 'sent' && channelStatus && (rank[channelStatus] ?? 0) >= 1) tick = channelStatus as LiveMessage['delivery'];
    return { ...message, delivery: tick, failureReason: tick === 'failed' ? message.failureReason : null, used: used ? (JSON.parse(used) as AiReplyUsed) : null };
  });
  const oldestSeq = messages.find((message) => message.seq !== null)?.seq ?? null;
  return { messages, olderBeforeSeq: hasOlder ? oldestSeq : null };
}
