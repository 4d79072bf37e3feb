import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationPageQuery } from '../../shared/schemas/liveInbox.js';
import { emptyConversation } from '../../shared/sync/conversationState.js';
import { AresCore } from '../core/aresCore.js';
import type { TenantDatabase } from '../vault/index.js';
import { searchCountCap } from './conversationSearch.js';
import { conversationPage } from './inboxQueries.js';

/**
 * 3,000 conversations in a real encrypted tenant database: every one mentions "delivery" (more
 * matching messages than are collected up front, so the newest-first walk answers), every 500th
 * one "warranty" (few: collected first), customers named "Customer <n>", the newest first.
 */
let directory: string;
let core: AresCore;
let database: TenantDatabase;
const conversations = 3_000;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ares-inbox-search-'));
  core = new AresCore({ dataDirectory: directory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
  await core.createTenant('Bakery', 'correct horse battery staple');
  database = core.requireSession().database;
  const insertConversation = database.prepare('insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?)');
  const insertMessage = database.prepare("insert into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, 'customer', ?, ?, ?, 'sent')");
  database.transaction(() => {
    for (let index = 0; index < conversations; index += 1) {
      const id = `c${index}`;
      const label = `Customer ${index}`;
      insertConversation.run(id, JSON.stringify({ ...emptyConversation(id), status: index % 2 === 0 ? 'ai' : 'needs_human', customerLabel: label }), 1_000_000 - index);
      const text = `Where is my delivery${index % 500 === 0 ? ' under warranty' : ''}? Order ${index}`;
      insertMessage.run(`m${index}`, id, `e${index}`, index + 1, label, text, index);
    }
  })();
});

afterAll(async () => {
  await core?.dispose();
  await rm(directory, { recursive: true, force: true });
});

const page = (input: Partial<ConversationPageQuery>) => conversationPage(database, { filter: 'all', search: '', offset: 0, limit: 100, channel: null, ...input }, 'Ann', []);
const ids = (input: Partial<ConversationPageQuery>) => page(input).rows.map((row) => row.conversationId);

describe('searching the conversation list', () => {
  it('stops counting a common word at the cap and says so, with the newest matches first', () => {
    const result = page({ search: 'delivery' });
    expect(result).toMatchObject({ total: searchCountCap, totalCapped: true });
    expect(result.rows.map((row) => row.conversationId).slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(result.rows).toHaveLength(100);
  });

  it('keeps paging past the cap: a page further down extends the count', () => {
    expect(ids({ search: 'deliv', offset: 2_900 })).toEqual(Array.from({ length: 100 }, (_, index) => `c${2_900 + index}`));
    expect(page({ search: 'deliv', offset: 2_900 })).toMatchObject({ total: 3_000, totalCapped: false });
    expect(page({ search: 'deliv', offset: 1_500 })).toMatchObject({ total: 1_600, totalCapped: true });
  });

  it('counts a rare word exactly and finds it in every conversation that has it', () => {
    expect(page({ search: 'warranty' })).toMatchObject({ total: 6, totalCapped: false });
    expect(ids({ search: 'warranty' })).toEqual(['c0', 'c500', 'c1000', 'c1500', 'c2000', 'c2500']);
    expect(ids({ search: 'warranty', filter: 'ai' })).toEqual(['c0', 'c500', 'c1000', 'c1500', 'c2000', 'c2500']);
    expect(ids({ search: 'warranty', filter: 'needs_human' })).toEqual([]);
  });

  it('matches customer names as well as message text, and the two together', () => {
    expect(ids({ search: 'Customer 2999' })).toEqual(['c2999']);
    expect(page({ search: 'Customer 2999' })).toMatchObject({ total: 1, totalCapped: false });
    // "delivery" is common: the walk also tests names.
    expect(page({ search: 'Customer', filter: 'needs_human' })).toMatchObject({ total: searchCountCap, totalCapped: true });
    expect(ids({ search: '%' })).toEqual([]);
  });

  it('finds a message that arrived after the last batch the search index took in', () => {
    database
      .prepare("insert into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values ('late', 'c7', 'e-late', 9999, 'customer', 'Customer 7', 'Is the parcel insured?', 9999, 'sent')")
      .run();
    expect((database.prepare('select count(*) as count from inbox_search_pending').get() as { count: number }).count).toBe(1);
    expect(ids({ search: 'insured' })).toEqual(['c7']);
    expect((database.prepare('select count(*) as count from inbox_search_pending').get() as { count: number }).count).toBe(0);
  });

  it('keeps exact totals without a search', () => {
    expect(page({})).toMatchObject({ total: conversations, totalCapped: false });
    expect(page({ filter: 'needs_human' })).toMatchObject({ total: conversations / 2, totalCapped: false });
  });
});
