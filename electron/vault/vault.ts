import { AresError } from '../../shared/errors.js';
import { measurePassphrase } from '../../shared/passphraseStrength.js';
import type { TenantSummary } from '../../shared/schemas/tenant.js';
import { defaultKdfParameters, generateDataKey, unwrapDataKey, wrapDataKey } from './keyWrapping.js';
import { noKeychain, type Keychain } from './keychain.js';
import { openTenantDatabase } from './tenantDatabase.js';
import {
  destroyTenant,
  newTenantId,
  readTenantRecords,
  sameTenantName,
  tenantFolder,
  writeTenantRecord,
  type TenantRecord,
} from './tenantRecords.js';
import { TenantSession } from './tenantSession.js';
import { millisecondsUntilNextAttempt, noThrottle, recordFailure } from './unlockThrottle.js';

export interface VaultOptions {
  dataDirectory: string;
  keychain?: Keychain;
  kdfParameters?: { N: number; r: number; p: number };
  now?: () => number;
}

/** Tenants on this device: create, unlock, rewrap, remember and delete. Knows nothing of domains. */
export class Vault {
  readonly dataDirectory: string;
  readonly keychain: Keychain;
  readonly #kdfParameters: { N: number; r: number; p: number };
  readonly #now: () => number;

  constructor(options: VaultOptions) {
    this.dataDirectory = options.dataDirectory;
    this.keychain = options.keychain ?? noKeychain;
    this.#kdfParameters = options.kdfParameters ?? defaultKdfParameters;
    this.#now = options.now ?? Date.now;
  }

  async list(): Promise<TenantSummary[]> {
    const records = await readTenantRecords(this.dataDirectory);
    return records.map((record) => ({ name: record.name, rememberedOnDevice: record.keychainSlot !== null }));
  }

  async create(name: string, passphrase: string): Promise<TenantSession> {
    const trimmedName = name.trim();
    const strength = measurePassphrase(passphrase, [trimmedName]);
    if (!strength.acceptable) {
      throw new AresError('WEAK_PASSPHRASE', `The passphrase is too weak. ${strength.feedback}`.trim());
    }
    if ((await this.#find(trimmedName)) !== undefined) throw new AresError('TENANT_EXISTS');
    const dataKey = generateDataKey();
    const record: TenantRecord = {
      formatVersion: 1,
      id: newTenantId(),
      name: trimmedName,
      createdAt: new Date(this.#now()).toISOString(),
      passphraseSlot: await wrapDataKey(dataKey, passphrase, trimmedName, this.#kdfParameters),
      keychainSlot: null,
      unlockThrottle: noThrottle,
    };
    await writeTenantRecord(this.dataDirectory, record);
    return this.#openSession(record, dataKey);
  }

  async unlock(name: string, passphrase: string): Promise<TenantSession> {
    const record = await this.#require(name);
    const dataKey = await this.#unwrapWithThrottle(record, passphrase);
    return this.#openSession(record, dataKey);
  }

  async unlockRemembered(name: string): Promise<TenantSession> {
    const record = await this.#require(name);
    if (!record.keychainSlot) throw new AresError('NOT_REMEMBERED');
    const status = this.keychain.status();
    if (!status.available) throw new AresError('KEYCHAIN_UNAVAILABLE', status.reason);
    let dataKey: Buffer;
    try {
      dataKey = this.keychain.open(Buffer.from(record.keychainSlot.sealedKey, 'base64'));
    } catch {
      throw new AresError('NOT_REMEMBERED', 'The keychain could not open the remembered key. Unlock with the passphrase.');
    }
    return this.#openSession(record, dataKey);
  }

  /** Rewraps the same data key under the new passphrase; the database is not re-encrypted. */
  async changePassphrase(session: TenantSession, currentPassphrase: string, newPassphrase: string): Promise<void> {
    const record = await this.#requireById(session.tenantId);
    const dataKey = await this.#unwrapWithThrottle(record, currentPassphrase);
    try {
      const strength = measurePassphrase(newPassphrase, [record.name]);
      if (!strength.acceptable) {
        throw new AresError('WEAK_PASSPHRASE', `The new passphrase is too weak. ${strength.feedback}`.trim());
      }
      const passphraseSlot = await wrapDataKey(dataKey, newPassphrase, record.name, this.#kdfParameters);
      await writeTenantRecord(this.dataDirectory, { ...record, passphraseSlot });
    } finally {
      dataKey.fill(0);
    }
  }

  /** Remember on this device: the data key sealed by the OS keychain. Refused on a weak keychain. */
  async setRemembered(session: TenantSession, remember: boolean): Promise<void> {
    const record = await this.#requireById(session.tenantId);
    if (!remember) {
      await writeTenantRecord(this.dataDirectory, { ...record, keychainSlot: null });
      return;
    }
    const status = this.keychain.status();
    if (!status.available) throw new AresError('KEYCHAIN_UNAVAILABLE', status.reason);
    const dataKey = session.copyDataKey();
    try {
      const sealedKey = this.keychain.seal(dataKey).toString('base64');
      await writeTenantRecord(this.dataDirectory, { ...record, keychainSlot: { sealedKey } });
    } finally {
      dataKey.fill(0);
    }
  }

  async isRemembered(tenantId: string): Promise<boolean> {
    return (await this.#requireById(tenantId)).keychainSlot !== null;
  }

  /** Deleting needs the typed name and the passphrase: it is the one action that cannot be undone. */
  async delete(
    name: string,
    confirmName: string,
    passphrase: string,
    beforeDestroy: (tenantId: string) => Promise<void> = async () => {},
  ): Promise<{ tenantId: string }> {
    const record = await this.#require(name);
    if (!sameTenantName(record.name, confirmName)) throw new AresError('NAME_MISMATCH');
    const dataKey = await this.#unwrapWithThrottle(record, passphrase);
    dataKey.fill(0);
    await beforeDestroy(record.id);
    await destroyTenant(this.dataDirectory, record);
    return { tenantId: record.id };
  }

  async #unwrapWithThrottle(record: TenantRecord, passphrase: string): Promise<Buffer> {
    const wait = millisecondsUntilNextAttempt(record.unlockThrottle, this.#now());
    if (wait > 0) {
      throw new AresError(
        'TOO_MANY_ATTEMPTS',
        `Too many wrong passphrases. Try again in ${Math.ceil(wait / 1000)} seconds.`,
        { retryAfterMilliseconds: wait },
      );
    }
    try {
      const dataKey = await unwrapDataKey(record.passphraseSlot, passphrase, record.name);
      if (record.unlockThrottle.failures > 0) {
        await writeTenantRecord(this.dataDirectory, { ...record, unlockThrottle: noThrottle });
      }
      return dataKey;
    } catch (error) {
      if (error instanceof AresError && error.code === 'WRONG_PASSPHRASE') {
        // Re-read so two concurrent failures both count.
        const latest = (await this.#findById(record.id)) ?? record;
        const unlockThrottle = recordFailure(latest.unlockThrottle, this.#now());
        await writeTenantRecord(this.dataDirectory, { ...latest, unlockThrottle });
        const wait = millisecondsUntilNextAttempt(unlockThrottle, this.#now());
        throw new AresError(
          'WRONG_PASSPHRASE',
          wait > 0
            ? `The passphrase is not correct for this tenant. Try again in ${Math.ceil(wait / 1000)} seconds.`
            : undefined,
          { failures: unlockThrottle.failures, retryAfterMilliseconds: wait },
        );
      }
      throw error;
    }
  }

  #openSession(record: TenantRecord, dataKey: Buffer): TenantSession {
    const folder = tenantFolder(this.dataDirectory, record.id);
    try {
      const database = openTenantDatabase(folder, dataKey);
      return new TenantSession({ tenantId: record.id, tenantName: record.name, folder, database, dataKey });
    } catch (error) {
      dataKey.fill(0);
      throw error;
    }
  }

  async #find(name: string): Promise<TenantRecord | undefined> {
    return (await readTenantRecords(this.dataDirectory)).find((record) => sameTenantName(record.name, name));
  }

  async #findById(tenantId: string): Promise<TenantRecord | undefined> {
    return (await readTenantRecords(this.dataDirectory)).find((record) => record.id === tenantId);
  }

  async #require(name: string): Promise<TenantRecord> {
    const record = await this.#find(name);
    if (!record) throw new AresError('TENANT_NOT_FOUND');
    return record;
  }

  async #requireById(tenantId: string): Promise<TenantRecord> {
    const record = await this.#findById(tenantId);
    if (!record) throw new AresError('TENANT_NOT_FOUND');
    return record;
  }
}
