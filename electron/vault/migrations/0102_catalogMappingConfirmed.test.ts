import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0101Knowledge } from './0101_knowledge.js';
import { migration0102CatalogMappingConfirmed } from './0102_catalogMappingConfirmed.js';

describe('migration 102 (catalog mapping confirmed)', () => {
  it('leaves existing catalogs with a guessed (unconfirmed) mapping and records a confirmation', () => {
    const database = new Database(':memory:');
    migration0101Knowledge.up(database);
    database.prepare(`insert into knowledge_sources values ('s1', 'catalog.csv', 'csv', 10, 'hash', 1, 1, '{"sku":"code"}', 'now', 'now')`).run();
    migration0102CatalogMappingConfirmed.up(database);
    expect(database.prepare("select column_mapping_confirmed_at as confirmed from knowledge_sources where id = 's1'").get()).toEqual({ confirmed: null });
    database.prepare("update knowledge_sources set column_mapping_confirmed_at = 'later' where id = 's1'").run();
    expect(database.prepare("select column_mapping_confirmed_at as confirmed from knowledge_sources where id = 's1'").get()).toEqual({ confirmed: 'later' });
    database.close();
  });
});
