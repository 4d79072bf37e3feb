import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTenantDatabase, appliedMigrations } from '../tenantDatabase.js';
import { temporaryDirectory } from '../testSupport.js';
import { tenantMigrations } from './index.js';
import { randomBytes } from 'node:crypto';

describe('tenant database migrations', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    directory = await temporaryDirectory();
  });
  afterEach(() => directory.remove());

  it('have unique version numbers', () => {
    const versions = tenantMigrations.map((migration) => migration.version);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('apply once each, and reopening applies nothing again', () => {
    const key = randomBytes(32);
    const database = openTenantDatabase(directory.path, key);
    expect([...appliedMigrations(database)].sort((a, b) => a - b)).toEqual(tenantMigrations.map((m) => m.version).sort((a, b) => a - b));
    database.close();
    const reopened = openTenantDatabase(directory.path, key);
    const count = reopened.prepare('select count(*) as count from schema_migrations').get() as { count: number };
    expect(count.count).toBe(tenantMigrations.length);
    reopened.close();
  });

  it('0001 creates the settings table', () => {
    const database = openTenantDatabase(directory.path, randomBytes(32), tenantMigrations.filter((m) => m.version === 1));
    database.prepare('insert into settings (key, value) values (?, ?)').run('a', '1');
    expect(database.prepare('select value from settings where key = ?').get('a')).toEqual({ value: '1' });
    database.close();
  });

  it('applies a migration with a lower number added after a higher one ran', () => {
    const key = randomBytes(32);
    const later = { version: 250, name: 'later', up: (db: import('../tenantDatabase.js').TenantDatabase) => db.exec('create table later (x integer)') };
    const earlier = { version: 120, name: 'earlier', up: (db: import('../tenantDatabase.js').TenantDatabase) => db.exec('create table earlier (x integer)') };
    openTenantDatabase(directory.path, key, [later]).close();
    const database = openTenantDatabase(directory.path, key, [earlier, later]);
    expect(database.prepare("select name from sqlite_master where name = 'earlier'").get()).toEqual({ name: 'earlier' });
    database.close();
  });
});
