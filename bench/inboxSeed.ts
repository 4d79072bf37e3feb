// The live inbox at the size of issue 6, written straight into a tenant database: conversations of two
// messages each (a customer question and an AI answer) in a rotation of statuses and channels, plus
// one long conversation held by a staff member. Shared by bench/inbox.ts (the core queries) and
// bench/inboxRender.ts (the same data in the browser).
import { emptyConversation } from '../shared/sync/conversationState.js';
import type { TenantDatabase } from '../electron/vault/index.js';

const statuses = ['ai', 'ai', 'ai', 'resolved', 'resolved', 'needs_human', 'human'] as const;
const channels = ['web', 'whatsapp', 'messenger'] as const;
const words = 'delivery refund parcel invoice size colour return order bag watch strap discount shipping warranty'.split(' ');

export const longConversationId = 'conversation-long';

export interface InboxSeedOptions {
  conversations: number;
  /** Messages in the long conversation (the newest conversation in the list). */
  messages: number;
  /** The staff member whose conversations the "Mine" filter shows: one in three of the "human" ones, and the long one. */
  me?: string;
  /** How many conversations are newer than the long one (0, the default: it is the newest). */
  newerThanLong?: number;
}

/** Seeds the inbox tables (the triggers of migrations 200–206 keep facets and search in step) and returns the seconds it took. */
export function seedInbox(database: TenantDatabase, options: InboxSeedOptions): number {
  const holder = options.me ?? 'Ann Agent';
  const staff = ['Olive Owner', holder, 'Bo Support'];
  const started = performance.now();
  const now = Date.now();
  const insertConversation = database.prepare('insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?)');
  const insertMessage = database.prepare("insert into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, ?, ?, ?, ?, 'sent')");
  let seq = 0;
  const batch = 10_000;
  for (let start = 0; start < options.conversations; start += batch) {
    database.transaction(() => {
      for (let index = start; index < Math.min(options.conversations, start + batch); index += 1) {
        const id = `conversation-${index}`;
        const status = statuses[index % statuses.length]!;
        const text = `Hello, question about my ${words[index % words.length]} and ${words[(index * 7) % words.length]} number ${index}`;
        const state = { ...emptyConversation(id), channel: channels[index % 3]!, customerLabel: `Customer ${index}`, status, holder: status === 'human' ? staff[index % 3]! : null, messageCount: 2, lastMessagePreview: text, lastSeq: seq + 2 };
        insertConversation.run(id, JSON.stringify(state), now - index * 1000);
        insertMessage.run(`m-${index}-1`, id, `e-${index}-1`, ++seq, 'customer', state.customerLabel, text, now - index * 1000 - 500);
        insertMessage.run(`m-${index}-2`, id, `e-${index}-2`, ++seq, 'ai', null, `Thanks! About your ${words[index % words.length]}: see our policy.`, now - index * 1000);
      }
    })();
  }
  database.transaction(() => {
    const state = { ...emptyConversation(longConversationId), channel: 'whatsapp', customerLabel: 'Long talker', status: 'human', holder, messageCount: options.messages };
    const newer = options.newerThanLong ?? 0;
    insertConversation.run(longConversationId, JSON.stringify(state), newer === 0 ? now + 1 : now - newer * 1000 + 500);
    for (let index = 0; index < options.messages; index += 1) {
      const customer = index % 2 === 0;
      insertMessage.run(`long-${index}`, longConversationId, `long-e-${index}`, ++seq, customer ? 'customer' : 'staff', customer ? 'Long talker' : holder, `Message ${index} about the ${words[index % words.length]}`, now - (options.messages - index) * 1000);
    }
  })();
  return (performance.now() - started) / 1000;
}
