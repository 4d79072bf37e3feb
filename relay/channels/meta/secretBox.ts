import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const version = 'v1';

/**
 * Channel secrets (access tokens, app secrets) are sealed with AES-256-GCM under the relay's master
 * key before they reach the database, so a copied database or backup does not leak them. The
 * associated data binds a sealed value to its tenant and channel: a value moved to another row
 * does not open.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The relay master key must be 32 bytes (64 hex characters or 44 base64 characters).');
    this.#key = key;
  }

  seal(plaintext: string, associatedData: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(Buffer.from(associatedData));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, nonce.toString('base64'), sealed.toString('base64'), cipher.getAuthTag().toString('base64')].join('.');
  }

  open(sealedValue: string, associatedData: string): string {
    const [tag, nonce, sealed, authTag] = sealedValue.split('.');
    if (tag !== version || !nonce || !sealed || !authTag) throw new Error('A sealed channel secret has an unknown format.');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(authTag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('The relay master key must be 32 bytes (64 hex characters or 44 base64 characters).');
  return key;
}

/**
 * The master key from configuration (RELAY_MASTER_KEY), else from `channel-master.key` in the data
 * folder, created on first start with mode 0600. Several instances on PostgreSQL must share the
 * configured key: a key file per machine would make each instance unable to open the others' secrets.
 */
export function loadMasterKey(options: { configuredKey?: string | undefined; dataDirectory: string }): Buffer {
  if (options.configuredKey) return parseMasterKey(options.configuredKey);
  mkdirSync(options.dataDirectory, { recursive: true });
  const file = join(options.dataDirectory, 'channel-master.key');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return parseMasterKey(readFileSync(file, 'utf8'));
}
