import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTenantDatabase } from '../tenantDatabase.js';
import { temporaryDirectory } from '../testSupport.js';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';

describe('migrations 200 (sync) and 201 (inbox)', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    directory = await temporaryDirectory();
  });
  afterEach(() => directory.remove());

  it('200 creates the connection, cursor, outbox and event tables, with one connection row at most', () => {
    const database = openTenantDatabase(directory.path, randomBytes(32), [migration0200Sync]);
    const insert = database.prepare("insert into sync_connection values (1, 'https://r', 't', 'd', 'tenant', 'n', 'o', 'owner', 'w', 0)");
    insert.run();
    expect(() => database.prepare("insert into sync_connection values (2, 'https://r', 't', 'd', 'tenant', 'n', 'o', 'owner', 'w', 0)").run()).toThrow();
    database.prepare("insert into sync_outbox values (1, 'e1', '{}', 0)").run();
    expect(() => database.prepare("insert into sync_outbox values (2, 'e1', '{}', 0)").run()).toThrow(/UNIQUE/);
    expect(() => database.prepare("insert into sync_events values ('e1', 'c', null, 'lost', 1, '{}')").run()).toThrow(/CHECK/);
    database.close();
  });

  it('201 creates conversation and message projections keyed by event id', () => {
    const database = openTenantDatabase(directory.path, randomBytes(32), [migration0201Inbox]);
    database.prepare("insert into inbox_conversations values ('c', '{}', 1)").run();
    database.prepare("insert into inbox_messages values ('m', 'c', 'e', null, 'staff', 'Ann', 'hi', 1, 'pending')").run();
    expect(() => database.prepare("insert into inbox_messages values ('m2', 'c', 'e', null, 'staff', 'Ann', 'hi', 1, 'pending')").run()).toThrow(/UNIQUE/);
    database.close();
  });
});
