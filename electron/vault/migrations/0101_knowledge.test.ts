import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0101Knowledge } from './0101_knowledge.js';

describe('migration 101 (knowledge)', () => {
  it('creates the knowledge tables and removes the chunks, products and original with it', () => {
    const database = new Database(':memory:');
    database.pragma('foreign_keys = ON');
    migration0101Knowledge.up(database);
    database.prepare("insert into knowledge_sources values ('s1', 'faq.md', 'markdown', 10, 'hash', 1, 1, null, 'now', 'now')").run();
    database.prepare("insert into knowledge_originals values ('s1', x'00')").run();
    database.prepare("insert into knowledge_chunks (source_id, ordinal, text, location, token_count) values ('s1', 0, 'text', '{}', 1)").run();
    database.prepare("insert into knowledge_products (source_id, row_number, attributes) values ('s1', 1, '{}')").run();
    expect(() => database.prepare("insert into knowledge_sources values ('s2', 'faq.md', 'markdown', 10, 'hash', 1, 1, null, 'now', 'now')").run()).toThrow(/UNIQUE/);
    database.prepare("delete from knowledge_sources where id = 's1'").run();
    for (const table of ['knowledge_originals', 'knowledge_chunks', 'knowledge_products']) {
      expect(database.prepare(`select count(*) as count from ${table}`).get()).toEqual({ count: 0 });
    }
    database.close();
  });
});
