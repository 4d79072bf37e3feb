import Database from 'better-sqlite3-multiple-ciphers';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AresError } from '../../shared/errors.js';
import type { Keychain } from './keychain.js';
import { readTenantRecords, tenantFolder } from './tenantRecords.js';
import { tenantDatabasePath } from './tenantDatabase.js';
import { filesContaining, listFiles, otherStrongPassphrase, strongPassphrase, temporaryDirectory, testKdfParameters } from './testSupport.js';
import { Vault } from './vault.js';

async function expectAresError(promise: Promise<unknown>, code: string): Promise<AresError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AresError);
  expect((error as AresError).code).toBe(code);
  return error as AresError;
}

describe('the tenant vault', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let clock: number;
  let vault: Vault;

  beforeEach(async () => {
    directory = await temporaryDirectory();
    clock = Date.parse('2026-01-01T00:00:00Z');
    vault = new Vault({ dataDirectory: directory.path, kdfParameters: testKdfParameters, now: () => clock });
  });
  afterEach(() => directory.remove());

  it('writes no plaintext into the tenant database and needs the key to read it', async () => {
    const marker = 'PLAINTEXT-MARKER-7f3a9c';
    const session = await vault.create('Acme Bikes', strongPassphrase);
    session.database.prepare('insert into settings (key, value) values (?, ?)').run('note', JSON.stringify(marker));
    const folder = session.folder;
    await session.close();

    expect(await filesContaining(directory.path, marker)).toEqual([]);
    const header = (await readFile(tenantDatabasePath(folder))).subarray(0, 16).toString('latin1');
    expect(header).not.toContain('SQLite format 3');
    const withoutKey = new Database(tenantDatabasePath(folder));
    expect(() => withoutKey.prepare('select * from settings').all()).toThrow(/file is not a database/);
    withoutKey.close();

    const reopened = await vault.unlock('Acme Bikes', strongPassphrase);
    const row = reopened.database.prepare('select value from settings where key = ?').get('note') as { value: string };
    expect(JSON.parse(row.value)).toBe(marker);
    await reopened.close();
  });

  it('rejects a wrong passphrase without touching the database', async () => {
    const session = await vault.create('Acme Bikes', strongPassphrase);
    const databasePath = tenantDatabasePath(session.folder);
    await session.close();
    const before = await readFile(databasePath);
    await expectAresError(vault.unlock('Acme Bikes', 'wrong passphrase entirely'), 'WRONG_PASSPHRASE');
    expect((await readFile(databasePath)).equals(before)).toBe(true);
  });

  it('slows down repeated wrong passphrases but never locks the owner out for good', async () => {
    await (await vault.create('Acme Bikes', strongPassphrase)).close();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expectAresError(vault.unlock('Acme Bikes', 'nope nope nope'), 'WRONG_PASSPHRASE');
    }
    const throttled = await expectAresError(vault.unlock('Acme Bikes', strongPassphrase), 'TOO_MANY_ATTEMPTS');
    expect(throttled.details?.retryAfterMilliseconds).toBeGreaterThan(0);

    clock += 2_000;
    await expectAresError(vault.unlock('Acme Bikes', 'still wrong words'), 'WRONG_PASSPHRASE');
    const longer = await expectAresError(vault.unlock('Acme Bikes', strongPassphrase), 'TOO_MANY_ATTEMPTS');
    expect(longer.details?.retryAfterMilliseconds as number).toBeGreaterThan(throttled.details?.retryAfterMilliseconds as number);

    clock += 10 * 60_000;
    const session = await vault.unlock('Acme Bikes', strongPassphrase);
    await session.close();
    const [record] = await readTenantRecords(directory.path);
    expect(record?.unlockThrottle.failures).toBe(0);
  });

  it('refuses a weak passphrase and a duplicate name', async () => {
    await expectAresError(vault.create('Acme Bikes', 'password1'), 'WEAK_PASSPHRASE');
    await (await vault.create('Acme Bikes', strongPassphrase)).close();
    await expectAresError(vault.create('  acme bikes ', otherStrongPassphrase), 'TENANT_EXISTS');
    expect(await vault.list()).toEqual([{ name: 'Acme Bikes', rememberedOnDevice: false }]);
  });

  it('changing the passphrase rewraps the key: data stays readable with the new passphrase only', async () => {
    const session = await vault.create('Acme Bikes', strongPassphrase);
    session.database.prepare('insert into settings (key, value) values (?, ?)').run('kept', '"yes"');
    const databasePath = tenantDatabasePath(session.folder);
    session.database.pragma('wal_checkpoint(TRUNCATE)');
    const databaseBefore = await readFile(databasePath);
    await vault.changePassphrase(session, strongPassphrase, otherStrongPassphrase);
    // Rewrapping, not re-encrypting: the database file is not touched at all.
    expect((await readFile(databasePath)).equals(databaseBefore)).toBe(true);
    await session.close();

    await expectAresError(vault.unlock('Acme Bikes', strongPassphrase), 'WRONG_PASSPHRASE');
    const reopened = await vault.unlock('Acme Bikes', otherStrongPassphrase);
    expect(reopened.database.prepare('select value from settings where key = ?').get('kept')).toEqual({ value: '"yes"' });
    await reopened.close();
  });

  it('a key slot copied from another tenant does not open it', async () => {
    const first = await vault.create('First Shop', strongPassphrase);
    const second = await vault.create('Second Shop', otherStrongPassphrase);
    await first.close();
    await second.close();
    const records = await readTenantRecords(directory.path);
    const firstRecord = records.find((record) => record.name === 'First Shop')!;
    const secondRecord = records.find((record) => record.name === 'Second Shop')!;
    // The second tenant's database cannot be opened with the first tenant's key.
    const firstSession = await vault.unlock('First Shop', strongPassphrase);
    const foreignKey = firstSession.copyDataKey();
    await firstSession.close();
    const foreign = new Database(tenantDatabasePath(tenantFolder(directory.path, secondRecord.id)));
    foreign.pragma(`cipher='sqlcipher'`);
    foreign.pragma('legacy=4');
    foreign.pragma(`key="x'${foreignKey.toString('hex')}'"`);
    expect(() => foreign.prepare('select * from settings').all()).toThrow(/file is not a database/);
    foreign.close();
    expect(firstRecord.id).not.toBe(secondRecord.id);
  });

  it('after deletion nothing of the tenant remains or opens', async () => {
    const session = await vault.create('Acme Bikes', strongPassphrase);
    const folder = session.folder;
    await session.close();
    await expectAresError(vault.delete('Acme Bikes', 'Acme', strongPassphrase), 'NAME_MISMATCH');
    await expectAresError(vault.delete('Acme Bikes', 'Acme Bikes', 'wrong words here'), 'WRONG_PASSPHRASE');
    expect(await vault.list()).toHaveLength(1);

    await vault.delete('Acme Bikes', 'Acme Bikes', strongPassphrase);
    expect(await vault.list()).toEqual([]);
    expect(await listFiles(directory.path)).toEqual([]);
    await expect(readFile(join(folder, 'tenant.json'))).rejects.toThrow(/ENOENT/);
    await expectAresError(vault.unlock('Acme Bikes', strongPassphrase), 'TENANT_NOT_FOUND');
  });

  it('refuses "remember on this device" when the keychain is weak, and uses a real one when present', async () => {
    const session = await vault.create('Acme Bikes', strongPassphrase);
    await expectAresError(vault.setRemembered(session, true), 'KEYCHAIN_UNAVAILABLE');

    // A keychain that seals with its own secret, standing in for the OS keychain in this test only.
    const secret = Buffer.alloc(32, 7);
    const sealing: Keychain = {
      status: () => ({ available: true }),
      seal: (value) => Buffer.from(value.map((byte, index) => byte ^ secret[index % 32]!)),
      open: (value) => Buffer.from(value.map((byte, index) => byte ^ secret[index % 32]!)),
    };
    const rememberingVault = new Vault({ dataDirectory: directory.path, keychain: sealing, kdfParameters: testKdfParameters });
    await rememberingVault.setRemembered(session, true);
    await session.close();
    expect(await rememberingVault.list()).toEqual([{ name: 'Acme Bikes', rememberedOnDevice: true }]);
    const reopened = await rememberingVault.unlockRemembered('Acme Bikes');
    await reopened.close();
    // Without the keychain the remembered key is useless: the passphrase is still needed.
    await expectAresError(vault.unlockRemembered('Acme Bikes'), 'KEYCHAIN_UNAVAILABLE');
  });
});
