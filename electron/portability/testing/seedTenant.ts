import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EventBody, LoggedEvent } from '../../../shared/schemas/sync.js';
import { applyConversationEvent, emptyConversation, type ConversationState } from '../../../shared/sync/conversationState.js';
import type { TenantDatabase } from '../../vault/index.js';

export interface SeedOptions {
  conversations: number;
  messagesPerConversation: number;
  documents: number;
  documentBytes: number;
  products: number;
  /** Time of the newest activity; conversation i is i hours older. */
  now: number;
  /** Hours between two conversations' last activity (the retention tests spread them over days). */
  hoursApart?: number;
  chunksPerDocument?: number;
  /** "random" makes documents incompressible, like real PDFs, for honest benchmark sizes. */
  documentContent?: 'text' | 'random';
}

/** The customer of conversation i: a name and a phone number, both easy to scan for. */
export function seededCustomer(index: number): { label: string; phone: string } {
  return { label: `Customer${index} Q${(index * 7919) % 100_000}`, phone: `+1555${String(index).padStart(7, '0')}` };
}

export function seededConversationId(index: number): string {
  return `conversation-${index}`;
}

/**
 * Fills a tenant database the way the knowledge, sync, inbox and agent domains would: real rows in
 * their tables (through the shared conversation fold for the inbox state), at any size, for the
 * portability tests and the benchmark.
 */
export function seedTenant(database: TenantDatabase, options: SeedOptions): void {
  const hoursApart = options.hoursApart ?? 1;
  database.transaction(() => {
    database.prepare("insert or replace into settings (key, value) values ('vault.idleLockMinutes', '20'), ('agent.settings', ?)").run(JSON.stringify({ persona: 'Friendly bike shop helper', rules: ['Never promise delivery dates'] }));
    if (hasTable(database, 'agent_secrets')) database.prepare("insert or replace into agent_secrets (name, value) values ('model.apiKey', 'sk-secret-never-exported')").run();
    seedConversations(database, options, hoursApart);
    seedKnowledge(database, options);
  })();
}

function hasTable(database: TenantDatabase, table: string): boolean {
  return database.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
}

function seedConversations(database: TenantDatabase, options: SeedOptions, hoursApart: number): void {
  const insertEvent = database.prepare("insert into sync_events (event_id, conversation_id, seq, state, local, event) values (?, ?, ?, 'applied', 0, ?)");
  const insertMessage = database.prepare(
    "insert into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, ?, ?, ?, ?, 'sent')",
  );
  const insertConversation = database.prepare('insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?)');
  const insertDecision = hasTable(database, 'agent_decisions')
    ? database.prepare("insert into agent_decisions (id, conversation_id, decided_at, outcome, hand_off_reason, confidence, model, question, record) values (?, ?, ?, 'answer', null, 0.8, null, ?, ?)")
    : null;
  let seq = 0;
  for (let index = 0; index < options.conversations; index += 1) {
    const conversationId = seededConversationId(index);
    const customer = seededCustomer(index);
    const lastAt = options.now - index * hoursApart * 3_600_000;
    const count = options.messagesPerConversation;
    let state: ConversationState = emptyConversation(conversationId);
    for (let message = 0; message < count; message += 1) {
      const at = lastAt - (count - 1 - message) * 60_000;
      const fromCustomer = message % 2 === 0;
      const text = fromCustomer
        ? `Hello, this is ${customer.label}, call me on ${customer.phone} about order ${index}-${message} please`
        : `Thanks for asking about order ${index}-${message}; it ships tomorrow.`;
      const body: EventBody = fromCustomer
        ? { type: 'customer.message', messageId: `m-${index}-${message}`, channel: index % 3 === 0 ? 'whatsapp' : 'web', customerLabel: customer.label, text }
        : { type: 'ai.message', messageId: `m-${index}-${message}`, text };
      seq += 1;
      const event: LoggedEvent = { eventId: randomUUID(), conversationId, occurredAt: at, seq, acceptedAt: at, body };
      state = applyConversationEvent(state, event);
      insertEvent.run(event.eventId, conversationId, seq, JSON.stringify(event));
      insertMessage.run(`m-${index}-${message}`, conversationId, event.eventId, seq, fromCustomer ? 'customer' : 'ai', null, text, at);
      if (!fromCustomer && insertDecision) insertDecision.run(randomUUID(), conversationId, at, `question about order ${index}-${message}`, JSON.stringify({ sources: [] }));
    }
    if (count > 0) {
      // A private staff note: held about the conversation, but never part of the customer's export.
      seq += 1;
      const note: LoggedEvent = { eventId: randomUUID(), conversationId, occurredAt: lastAt, seq, acceptedAt: lastAt, body: { type: 'conversation.note', authorName: 'Staffer Dana', text: `Private note: VIP ${customer.label}` } };
      state = applyConversationEvent(state, note);
      insertEvent.run(note.eventId, conversationId, seq, JSON.stringify(note));
      insertMessage.run(`note-${index}`, conversationId, note.eventId, seq, 'note', 'Staffer Dana', note.body.type === 'conversation.note' ? note.body.text : '', lastAt);
    }
    insertConversation.run(conversationId, JSON.stringify(state), lastAt);
  }
}

function seedKnowledge(database: TenantDatabase, options: SeedOptions): void {
  if (!hasTable(database, 'knowledge_sources')) return;
  const insertSource = database.prepare(
    'insert into knowledge_sources (id, name, file_type, size_bytes, content_hash, chunk_count, product_count, column_mapping, imported_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertOriginal = database.prepare('insert into knowledge_originals (source_id, content) values (?, ?)');
  const insertChunk = database.prepare('insert into knowledge_chunks (source_id, ordinal, text, location, token_count, vector, model_id, model_dimension, model_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertProduct = database.prepare(
    'insert into knowledge_products (source_id, row_number, sku, name, description, price, currency, stock, url, attributes) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const chunksPerDocument = options.chunksPerDocument ?? 4;
  const imported = new Date(options.now).toISOString();
  for (let index = 0; index < options.documents; index += 1) {
    const sourceId = `source-${index}`;
    const paragraph = `Returns policy section ${index}: items can be returned within 30 days. `;
    const random = options.documentContent === 'random';
    const content = random
      ? randomBytes(Math.max(options.documentBytes, 1))
      : Buffer.from(paragraph.repeat(Math.max(1, Math.ceil(options.documentBytes / paragraph.length)))).subarray(0, Math.max(options.documentBytes, 1));
    const hash = createHash('sha256').update(content).digest('hex');
    insertSource.run(sourceId, random ? `manuals/manual-${index}.pdf` : `policies/policy-${index}.md`, random ? 'pdf' : 'markdown', content.length, hash, chunksPerDocument, 0, null, imported, imported);
    insertOriginal.run(sourceId, content);
    for (let ordinal = 0; ordinal < chunksPerDocument; ordinal += 1) {
      const vector = Buffer.from(new Float32Array(8).map((_, position) => Math.sin(index + ordinal + position)).buffer);
      insertChunk.run(sourceId, ordinal, `${paragraph} (part ${ordinal})`, JSON.stringify({ headingPath: ['Returns'], start: ordinal * 100, end: ordinal * 100 + 99 }), 20, vector, 'test/bag-of-words', 8, '1');
    }
  }
  if (options.products > 0) {
    const catalogId = 'source-catalog';
    const csv = Buffer.from(['sku,name,price', ...Array.from({ length: options.products }, (_, row) => `SKU-${row},"Bike, model ${row}",${100 + row}`)].join('\n'));
    insertSource.run(catalogId, 'catalog.csv', 'csv', csv.length, createHash('sha256').update(csv).digest('hex'), 0, options.products, JSON.stringify({ sku: 'sku', name: 'name', price: 'price' }), imported, imported);
    insertOriginal.run(catalogId, csv);
    for (let row = 0; row < options.products; row += 1) {
      insertProduct.run(catalogId, row + 1, `SKU-${row}`, `Bike, model ${row}`, row === 0 ? '=cmd formula-looking text' : 'A sturdy bike', 100 + row, 'EUR', row % 5, null, JSON.stringify({ colour: row % 2 ? 'red' : 'blue' }));
    }
  }
}
