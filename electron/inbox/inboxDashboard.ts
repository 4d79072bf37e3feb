import type { DashboardStatistics } from '../../shared/schemas/liveInbox.js';
import type { TenantDatabase } from '../vault/index.js';

const dayMilliseconds = 24 * 60 * 60 * 1000;
/** Bounds the work on a large tenant: the dashboard reads at most this many conversations. */
const maximumConversations = 20_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Conversations per day, how many the AI handled alone, hand-offs by reason, first response time,
 * and the questions the AI handed off for lack of knowledge — over the last `days` days, from the
 * projections every desktop has (not only the one that ran the agent).
 */
export function dashboardStatistics(database: TenantDatabase, days: number, now: number): DashboardStatistics {
  const since = now - days * dayMilliseconds;
  const perConversation = database
    .prepare(
      `select conversation_id as conversationId,
              min(case when kind = 'customer' then created_at end) as firstCustomerAt,
              sum(kind = 'ai') as aiMessages, sum(kind = 'staff') as staffMessages
       from inbox_messages where conversation_id in (
         select conversation_id from inbox_conversation_facets where last_activity_at >= ? order by last_activity_at desc limit ?)
       group by conversation_id`,
    )
    .all(since, maximumConversations) as { conversationId: string; firstCustomerAt: number | null; aiMessages: number; staffMessages: number }[];
  const started = perConversation.filter((row) => row.firstCustomerAt !== null && row.firstCustomerAt >= since);

  const perDay = new Map<string, number>();
  for (let index = days - 1; index >= 0; index -= 1) perDay.set(new Date(now - index * dayMilliseconds).toISOString().slice(0, 10), 0);
  for (const row of started) {
    const day = new Date(row.firstCustomerAt!).toISOString().slice(0, 10);
    if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
  }

  const handOffRows = database
    .prepare(
      `select json_extract(event, '$.body.reason') as reason, count(*) as count from sync_events
       where state = 'applied' and json_extract(event, '$.body.type') = 'conversation.handoff' and json_extract(event, '$.acceptedAt') >= ?
       group by reason order by count desc`,
    )
    .all(since) as { reason: string; count: number }[];
  const handedOff = new Set(
    (database
      .prepare("select distinct conversation_id as id from sync_events where state = 'applied' and json_extract(event, '$.body.type') = 'conversation.handoff' and json_extract(event, '$.acceptedAt') >= ?")
      .all(since) as { id: string }[]).map((row) => row.id),
  );
  const withAi = started.filter((row) => row.aiMessages > 0);
  const aiAlone = withAi.filter((row) => row.staffMessages === 0 && !handedOff.has(row.conversationId));

  const firstResponses: number[] = [];
  const responseStatement = database.prepare("select min(created_at) as at from inbox_messages where conversation_id = ? and kind in ('ai', 'staff') and created_at >= ?");
  for (const row of started.slice(0, 5000)) {
    const response = responseStatement.get(row.conversationId, row.firstCustomerAt) as { at: number | null };
    if (response.at !== null) firstResponses.push((response.at - row.firstCustomerAt!) / 1000);
  }
  const medianSeconds = median(firstResponses);

  // Handed off for lack of knowledge: the customer message right before each low-confidence hand-off.
  const unanswered = database
    .prepare(
      `select h.conversation_id as conversationId, h.seq as seq, json_extract(h.event, '$.acceptedAt') as at from sync_events h
       where h.state = 'applied' and json_extract(h.event, '$.body.type') = 'conversation.handoff' and json_extract(h.event, '$.body.reason') = 'low_confidence'
       order by h.seq desc limit 50`,
    )
    .all() as { conversationId: string; seq: number; at: number }[];
  const questionStatement = database.prepare("select text from inbox_messages where conversation_id = ? and kind = 'customer' and seq < ? order by seq desc limit 1");
  const unansweredQuestions = unanswered.flatMap((row) => {
    const question = questionStatement.get(row.conversationId, row.seq) as { text: string } | undefined;
    return question ? [{ conversationId: row.conversationId, question: question.text, askedAt: row.at }] : [];
  });

  return {
    days: [...perDay].map(([day, conversations]) => ({ day, conversations })),
    conversations: started.length,
    aiResolvedShare: withAi.length === 0 ? null : aiAlone.length / withAi.length,
    handOffs: handOffRows.map((row) => ({ reason: row.reason, count: row.count, rate: started.length === 0 ? 0 : row.count / started.length })),
    firstResponseMedianSeconds: medianSeconds === null ? null : Math.round(medianSeconds * 10) / 10,
    firstResponseSamples: firstResponses.length,
    unansweredQuestions,
  };
}
