import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0400Privacy } from './0400_privacy.js';

describe('migration 400 (privacy)', () => {
  it('creates the audit trail and the queue of erasures to send', () => {
    const database = new Database(':memory:');
    migration0400Privacy.up(database);
    database.prepare("insert into privacy_audit (action, occurred_at, detail) values ('customer.erased', 1, '{}')").run();
    database.prepare("insert into privacy_erasures (erasure_id, conversation_ids, requested_at) values ('e1', '[\"c1\"]', 1)").run();
    expect(database.prepare('select action, sent_at as sentAt from privacy_audit, privacy_erasures').get()).toEqual({ action: 'customer.erased', sentAt: null });
    expect(() => database.prepare("insert into privacy_audit (action, occurred_at, detail) values ('x', 'not a number', '{}')").run()).toThrow();
    database.close();
  });
});
