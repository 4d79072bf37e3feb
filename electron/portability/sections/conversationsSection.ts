import { tableSection } from './tableSection.js';

const isoTime = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : '');

/**
 * Conversations and messages from the inbox's projections, plus the full event log they were built
 * from. The relay connection (device token), the sync cursor and the outbox are not exported: a
 * restored tenant connects to the relay as a new device and pulls what it does not have.
 */
export const conversationsSection = tableSection({
  id: 'conversations',
  title: 'Conversations and messages',
  requiredTables: ['inbox_conversations', 'inbox_messages', 'sync_events'],
  notAvailableNote: 'Conversations are not stored in this version of the app yet.',
  tables: [
    {
      table: 'inbox_conversations',
      path: 'conversations/conversations.jsonl',
      countName: 'conversations',
      description: 'One line per conversation: its id, its current state (channel, customer label, status, holder, message count...) and the time of its last activity (milliseconds since 1970, UTC).',
      jsonColumns: ['state'],
      csv: {
        path: 'conversations/conversations.csv',
        description: 'The same conversations as a spreadsheet: id, channel, customer, status, staff holder, message count, last activity (ISO 8601, UTC).',
        header: ['conversation_id', 'channel', 'customer', 'status', 'holder', 'message_count', 'last_activity_at'],
        cells: (row) => {
          const state = (row.state ?? {}) as Record<string, unknown>;
          return [row.conversation_id, state.channel, state.customerLabel, state.status, state.holder, state.messageCount, isoTime(row.last_activity_at)];
        },
      },
    },
    {
      table: 'inbox_messages',
      path: 'conversations/messages.jsonl',
      countName: 'messages',
      description: 'One line per message: message_id, conversation_id, event_id, seq (its place in the log, null if never confirmed), kind (customer, staff, ai, auto, note, system), author_name, text, created_at (ms since 1970, UTC), delivery.',
      csv: {
        path: 'conversations/messages.csv',
        description: 'The same messages as a spreadsheet, oldest first per conversation order of import; times in ISO 8601 (UTC).',
        header: ['message_id', 'conversation_id', 'seq', 'kind', 'author_name', 'text', 'created_at', 'delivery'],
        cells: (row) => [row.message_id, row.conversation_id, row.seq, row.kind, row.author_name, row.text, isoTime(row.created_at), row.delivery],
      },
    },
    {
      table: 'sync_events',
      path: 'conversations/events.jsonl',
      countName: 'events',
      description: 'The conversation event log this desktop holds (SYNC.md): event_id, conversation_id, seq, state (pending, acked, applied, rejected), local (1 if written here), and the event itself as JSON.',
      jsonColumns: ['event'],
    },
  ],
});
