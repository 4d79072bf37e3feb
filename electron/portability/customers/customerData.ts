import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AresError } from '../../../shared/errors.js';
import type { CustomerErasureEvent, CustomerRecord, CustomerSummary } from '../../../shared/schemas/portability.js';
import type { TenantDatabase } from '../../vault/index.js';
import { readSetting, writeSetting } from '../../vault/tenantSettings.js';
import { recordAudit } from '../privacyAudit.js';
import { csvRows, tableExists } from '../sections/exportSection.js';
import { checkpoint, removeConversations } from './conversationRemoval.js';

/**
 * A customer, for privacy requests, is a contact as the channels report it: the customer label of
 * a conversation on one channel. Conversations sharing a channel and label are one customer. The
 * id is a hash, so it can appear in logs and audit entries without revealing who it is.
 */
export function customerIdOf(channel: string | null, label: string): string {
  return `customer-${createHash('sha256').update(`${channel ?? ''}\u0000${label}`).digest('hex').slice(0, 24)}`;
}

interface ConversationRow {
  conversationId: string;
  channel: string | null;
  label: string;
  status: string;
  lastActivityAt: number | null;
  messageCount: number;
}

function conversationRows(database: TenantDatabase): ConversationRow[] {
  if (!tableExists(database, 'inbox_conversations')) return [];
  const rows = database.prepare('select conversation_id as conversationId, state, last_activity_at as lastActivityAt from inbox_conversations').all() as {
    conversationId: string;
    state: string;
    lastActivityAt: number | null;
  }[];
  return rows.map((row) => {
    const state = JSON.parse(row.state) as { channel?: string | null; customerLabel?: string; status?: string; messageCount?: number };
    return {
      conversationId: row.conversationId,
      channel: state.channel ?? null,
      label: state.customerLabel ?? '',
      status: state.status ?? 'ai',
      lastActivityAt: row.lastActivityAt,
      messageCount: state.messageCount ?? 0,
    };
  });
}

function groupCustomers(rows: ConversationRow[]): Map<string, { summary: CustomerSummary; conversations: ConversationRow[] }> {
  const customers = new Map<string, { summary: CustomerSummary; conversations: ConversationRow[] }>();
  for (const row of rows) {
    if (!row.label) continue;
    const customerId = customerIdOf(row.channel, row.label);
    let customer = customers.get(customerId);
    if (!customer) {
      customer = { summary: { customerId, displayName: row.label, channel: row.channel, conversationCount: 0, messageCount: 0, lastActivityAt: null }, conversations: [] };
      customers.set(customerId, customer);
    }
    customer.conversations.push(row);
    customer.summary.conversationCount += 1;
    customer.summary.messageCount += row.messageCount;
    customer.summary.lastActivityAt = Math.max(customer.summary.lastActivityAt ?? 0, row.lastActivityAt ?? 0) || null;
  }
  return customers;
}

/** Customers whose name or label contains the query, or who wrote a message containing it (a phone number, an order id). */
export function findCustomers(database: TenantDatabase, query: string, limit: number): CustomerSummary[] {
  const customers = groupCustomers(conversationRows(database));
  const needle = query.trim().toLocaleLowerCase();
  let matching = [...customers.values()];
  if (needle) {
    const byText = new Set<string>();
    if (tableExists(database, 'inbox_messages')) {
      const rows = database.prepare("select distinct conversation_id as conversationId from inbox_messages where kind = 'customer' and instr(lower(text), ?) > 0").all(needle) as { conversationId: string }[];
      for (const row of rows) byText.add(row.conversationId);
    }
    matching = matching.filter((customer) => customer.summary.displayName.toLocaleLowerCase().includes(needle) || customer.conversations.some((conversation) => byText.has(conversation.conversationId)));
  }
  return matching
    .map((customer) => customer.summary)
    .sort((a, b) => (b.lastActivityAt ?? 0) - (a.lastActivityAt ?? 0))
    .slice(0, limit);
}

function requireCustomer(database: TenantDatabase, customerId: string) {
  const customer = groupCustomers(conversationRows(database)).get(customerId);
  if (!customer) throw new AresError('CUSTOMER_NOT_FOUND');
  return customer;
}

/**
 * Everything held about the customer: their conversations and the messages in them. Private staff
 * notes and system lines are left out, and staff names are not shown (other people's data): a
 * reply is "from the business".
 */
export function customerRecord(database: TenantDatabase, customerId: string): CustomerRecord {
  const customer = requireCustomer(database, customerId);
  const messages = database.prepare(
    "select message_id as messageId, kind, text, created_at as createdAt from inbox_messages where conversation_id = ? and kind in ('customer', 'staff', 'ai', 'auto') order by coalesce(seq, 9e18), created_at",
  );
  return {
    customer: customer.summary,
    conversations: customer.conversations.map((conversation) => ({
      conversationId: conversation.conversationId,
      channel: conversation.channel,
      status: conversation.status,
      lastActivityAt: conversation.lastActivityAt,
      messages: (messages.all(conversation.conversationId) as { messageId: string; kind: string; text: string; createdAt: number }[]).map((message) => ({
        messageId: message.messageId,
        from: message.kind === 'customer' ? ('customer' as const) : ('business' as const),
        text: message.text,
        createdAt: message.createdAt,
      })),
    })),
  };
}

/** The access-request file: the record as JSON, or its messages as CSV. Recorded in the audit trail. */
export async function exportCustomer(database: TenantDatabase, customerId: string, format: 'json' | 'csv', now: number): Promise<{ fileName: string; mediaType: string; content: string }> {
  const record = customerRecord(database, customerId);
  recordAudit(database, 'customer.exported', { customerId, conversations: record.conversations.length, format }, now);
  if (format === 'json') return { fileName: `${customerId}.json`, mediaType: 'application/json', content: `${JSON.stringify({ exportedAt: new Date(now).toISOString(), ...record }, null, 2)}\n` };
  const rows = record.conversations.flatMap((conversation) => conversation.messages.map((message) => ({ conversation, message })));
  let content = '';
  for await (const piece of csvRows(['conversation_id', 'channel', 'from', 'text', 'created_at', 'customer_name'], rows, ({ conversation, message }) => [
    conversation.conversationId,
    conversation.channel,
    message.from,
    message.text,
    new Date(message.createdAt).toISOString(),
    record.customer.displayName,
  ])) {
    content += piece;
  }
  return { fileName: `${customerId}.csv`, mediaType: 'text/csv', content };
}

const pendingCorrectionsKey = 'privacy.pendingCorrections';
const pendingCorrectionsSchema = z.array(z.object({ conversationId: z.string(), customerLabel: z.string(), requestedAt: z.number() }));
export type PendingCorrection = z.infer<typeof pendingCorrectionsSchema>[number];

/** Corrections not yet handed to sync (made while not connected to a relay, or just now). */
export function pendingCorrections(database: TenantDatabase): PendingCorrection[] {
  return readSetting(database, pendingCorrectionsKey, pendingCorrectionsSchema, []);
}

export function clearPendingCorrections(database: TenantDatabase): void {
  writeSetting(database, pendingCorrectionsKey, []);
}

/**
 * The name shown for the customer in one conversation: its state and the author of their messages.
 * Idempotent, so a correction applied here and again when it comes back from the log changes nothing.
 */
export function applyCorrection(database: TenantDatabase, conversationId: string, customerLabel: string): void {
  const row = database.prepare('select state from inbox_conversations where conversation_id = ?').get(conversationId) as { state: string } | undefined;
  if (row) database.prepare('update inbox_conversations set state = ? where conversation_id = ?').run(JSON.stringify({ ...JSON.parse(row.state), customerLabel }), conversationId);
  database.prepare("update inbox_messages set author_name = ? where conversation_id = ? and kind = 'customer'").run(customerLabel, conversationId);
}

/**
 * Corrects the name shown for the customer in every one of their conversations, and queues a
 * `customer.corrected` event per conversation so the relay and the other desktops do the same
 * (and a resync does not bring the old name back). Returns the customer under the new name.
 */
export function correctCustomer(database: TenantDatabase, customerId: string, displayName: string, now: number): CustomerSummary {
  const customer = requireCustomer(database, customerId);
  database.transaction(() => {
    const queued = pendingCorrections(database).filter((pending) => !customer.conversations.some((conversation) => conversation.conversationId === pending.conversationId));
    for (const conversation of customer.conversations) {
      applyCorrection(database, conversation.conversationId, displayName);
      queued.push({ conversationId: conversation.conversationId, customerLabel: displayName, requestedAt: now });
    }
    writeSetting(database, pendingCorrectionsKey, queued);
    recordAudit(database, 'customer.corrected', { customerId, conversations: customer.conversations.length }, now);
  })();
  return requireCustomer(database, customerIdOf(customer.summary.channel, displayName)).summary;
}

/**
 * Erases the customer here and queues the erasure event that tells the relay and the tenant's other
 * desktops to do the same. What remains is one audit entry with counts and an opaque erasure id.
 */
export function eraseCustomer(database: TenantDatabase, customerId: string, now: number): { erasureId: string; conversations: number; messages: number } {
  const customer = requireCustomer(database, customerId);
  const conversationIds = customer.conversations.map((conversation) => conversation.conversationId);
  const erasureId = randomUUID();
  const event: CustomerErasureEvent = { type: 'customer.erased', erasureId, conversationIds, requestedAt: now };
  const counts = database.transaction(() => {
    const removed = removeConversations(database, conversationIds);
    // A correction still waiting to be sent holds the customer's name.
    writeSetting(database, pendingCorrectionsKey, pendingCorrections(database).filter((pending) => !conversationIds.includes(pending.conversationId)));
    database.prepare('insert into privacy_erasures (erasure_id, conversation_ids, requested_at) values (?, ?, ?)').run(erasureId, JSON.stringify(event.conversationIds), now);
    // The hashed customer id is left out too: with the label known, it could confirm who was erased.
    recordAudit(database, 'customer.erased', { erasureId, conversations: removed.conversations, messages: removed.messages, events: removed.events, decisions: removed.decisions }, now);
    return removed;
  })();
  checkpoint(database);
  return { erasureId, conversations: counts.conversations, messages: counts.messages };
}

/**
 * Applies an erasure that arrived through sync from another desktop or the relay. Idempotent: the
 * same erasure twice deletes nothing more. The sync domain calls this for `customer.erased` events.
 */
export function applyErasureEvent(database: TenantDatabase, event: CustomerErasureEvent, now: number): void {
  const seen = database.prepare('select 1 from privacy_erasures where erasure_id = ?').get(event.erasureId);
  if (seen) return;
  database.transaction(() => {
    const removed = removeConversations(database, event.conversationIds);
    database.prepare('insert into privacy_erasures (erasure_id, conversation_ids, requested_at, sent_at) values (?, ?, ?, ?)').run(event.erasureId, JSON.stringify(event.conversationIds), event.requestedAt, now);
    recordAudit(database, 'customer.erased', { erasureId: event.erasureId, conversations: removed.conversations, messages: removed.messages, source: 'sync' }, now);
  })();
  checkpoint(database);
}

/** Erasures not yet handed to sync: the sync domain sends each and then calls markErasureSent. */
export function pendingErasures(database: TenantDatabase): CustomerErasureEvent[] {
  const rows = database.prepare('select erasure_id as erasureId, conversation_ids as conversationIds, requested_at as requestedAt from privacy_erasures where sent_at is null order by requested_at').all() as {
    erasureId: string;
    conversationIds: string;
    requestedAt: number;
  }[];
  return rows.map((row) => ({ type: 'customer.erased', erasureId: row.erasureId, conversationIds: JSON.parse(row.conversationIds) as string[], requestedAt: row.requestedAt }));
}

export function markErasureSent(database: TenantDatabase, erasureId: string, now: number): void {
  database.prepare('update privacy_erasures set sent_at = ? where erasure_id = ?').run(now, erasureId);
}
