import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import { AresError } from '../../../shared/errors.js';

/**
 * The encrypted backup: an export archive sealed with a passphrase. Layout (docs/export-format.md):
 *
 *   magic "ARESBAK1" | uint32 header length | header JSON | segment 0 | segment 1 | ...
 *
 * Each segment is up to 64 KiB of ciphertext followed by its 16-byte AES-256-GCM tag. The nonce is
 * a random prefix plus the segment index, and the associated data binds the header hash, the index
 * and a "final" flag: reordered, dropped, repeated or truncated segments and a changed header all
 * fail authentication (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár).
 */
export const backupMagic = Buffer.from('ARESBAK1', 'ascii');
export const defaultSegmentSize = 64 * 1024;
const tagLength = 16;
const maximumHeaderLength = 4096;

/** Same cost as the vault's passphrase slot: 128 MiB and about half a second per guess. */
export const defaultBackupKdfParameters = { N: 2 ** 17, r: 8, p: 1 } as const;
export type KdfParameters = { N: number; r: number; p: number };

const backupHeaderSchema = z.object({
  format: z.literal('ares-backup'),
  version: z.literal(1),
  cipher: z.literal('aes-256-gcm'),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 10).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string(),
  }),
  segmentSize: z.number().int().min(1024).max(16 * 1024 * 1024),
  noncePrefix: z.string(),
  /** HMAC of a fixed label under the key: tells a wrong passphrase apart from a damaged segment. */
  keyCheck: z.string(),
});
type BackupHeader = z.infer<typeof backupHeaderSchema>;

function deriveKey(passphrase: string, salt: Buffer, parameters: KdfParameters): Promise<Buffer> {
  const maxmem = 256 * parameters.N * parameters.r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, 32, { ...parameters, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function keyCheckOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('ares-backup key check v1').digest();
}

function nonceFor(prefix: Buffer, index: number): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, 8);
  nonce.writeUInt32BE(index, 8);
  return nonce;
}

function associatedDataFor(headerHash: Buffer, index: number, final: boolean): Buffer {
  const data = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(data, 0);
  data.writeBigUInt64BE(BigInt(index), headerHash.length);
  data[headerHash.length + 8] = final ? 1 : 0;
  return data;
}

/** A Transform that turns the plaintext archive into the sealed backup, one segment at a time. */
export async function createSealingStream(passphrase: string, options: { kdf?: KdfParameters; segmentSize?: number } = {}): Promise<Transform> {
  const kdf = options.kdf ?? defaultBackupKdfParameters;
  const segmentSize = options.segmentSize ?? defaultSegmentSize;
  const salt = randomBytes(16);
  const noncePrefix = randomBytes(8);
  const key = await deriveKey(passphrase, salt, kdf);
  const header: BackupHeader = {
    format: 'ares-backup',
    version: 1,
    cipher: 'aes-256-gcm',
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    segmentSize,
    noncePrefix: noncePrefix.toString('base64'),
    keyCheck: keyCheckOf(key).toString('base64'),
  };
  const headerBytes = encodeHeader(header);
  const headerHash = createHash('sha256').update(headerBytes).digest();
  let index = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let headerWritten = false;

  const seal = (plaintext: Buffer, final: boolean): Buffer => {
    // 2^32 segments of 64 KiB is 256 TiB: the index cannot wrap for any real tenant.
    const cipher = createCipheriv('aes-256-gcm', key, nonceFor(noncePrefix, index));
    cipher.setAAD(associatedDataFor(headerHash, index, final));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    index += 1;
    return sealed;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!headerWritten) {
        this.push(headerBytes);
        headerWritten = true;
      }
      pending.push(chunk);
      pendingLength += chunk.length;
      // Keep at least one byte back: only `flush` knows which segment is the final one.
      if (pendingLength > segmentSize) {
        let all = Buffer.concat(pending);
        while (all.length > segmentSize) {
          this.push(seal(all.subarray(0, segmentSize), false));
          all = all.subarray(segmentSize);
        }
        pending = [all];
        pendingLength = all.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (!headerWritten) this.push(headerBytes);
      this.push(seal(Buffer.concat(pending), true));
      pending = [];
      key.fill(0);
      callback();
    },
  });
}

function encodeHeader(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([backupMagic, length, json]);
}

/** True when the file starts with the backup magic (so restore knows to ask for a passphrase). */
export async function isSealedBackup(handle: FileHandle): Promise<boolean> {
  const start = Buffer.alloc(backupMagic.length);
  const { bytesRead } = await handle.read(start, 0, start.length, 0);
  return bytesRead === start.length && start.equals(backupMagic);
}

/**
 * Random access to the plaintext of a sealed backup without writing it anywhere: the zip reader
 * asks for byte ranges and each needed segment is read, authenticated and decrypted in memory.
 */
export class SealedBackupReader {
  readonly plaintextSize: number;
  readonly #handle: FileHandle;
  readonly #key: Buffer;
  readonly #header: BackupHeader;
  readonly #headerHash: Buffer;
  readonly #bodyStart: number;
  readonly #segmentCount: number;
  readonly #cache = new Map<number, Buffer>();

  private constructor(handle: FileHandle, key: Buffer, header: BackupHeader, headerBytes: Buffer, fileSize: number) {
    this.#handle = handle;
    this.#key = key;
    this.#header = header;
    this.#headerHash = createHash('sha256').update(headerBytes).digest();
    this.#bodyStart = headerBytes.length;
    const stored = header.segmentSize + tagLength;
    const body = fileSize - this.#bodyStart;
    this.#segmentCount = Math.max(1, Math.ceil(body / stored));
    const lastStored = body - (this.#segmentCount - 1) * stored;
    if (lastStored < tagLength) throw new AresError('ARCHIVE_DAMAGED', 'The backup is truncated.');
    this.plaintextSize = (this.#segmentCount - 1) * header.segmentSize + (lastStored - tagLength);
  }

  static async open(handle: FileHandle, passphrase: string): Promise<SealedBackupReader> {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(backupMagic.length + 4);
    await handle.read(prefix, 0, prefix.length, 0);
    if (!prefix.subarray(0, backupMagic.length).equals(backupMagic)) throw new AresError('ARCHIVE_UNSUPPORTED');
    const headerLength = prefix.readUInt32BE(backupMagic.length);
    if (headerLength > maximumHeaderLength || prefix.length + headerLength > size) throw new AresError('ARCHIVE_DAMAGED', 'The backup header is damaged.');
    const headerJson = Buffer.alloc(headerLength);
    await handle.read(headerJson, 0, headerLength, prefix.length);
    let header: BackupHeader;
    try {
      header = backupHeaderSchema.parse(JSON.parse(headerJson.toString('utf8')));
    } catch {
      throw new AresError('ARCHIVE_DAMAGED', 'The backup header is damaged or comes from a newer version of Ares.');
    }
    const key = await deriveKey(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf);
    const expected = Buffer.from(header.keyCheck, 'base64');
    const actual = keyCheckOf(key);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      key.fill(0);
      throw new AresError('WRONG_BACKUP_PASSPHRASE');
    }
    const reader = new SealedBackupReader(handle, key, header, Buffer.concat([prefix, headerJson]), size);
    // Authenticating the last segment as "final" up front rejects a truncated backup before any import.
    await reader.#segment(reader.#segmentCount - 1);
    return reader;
  }

  async #segment(index: number): Promise<Buffer> {
    const cached = this.#cache.get(index);
    if (cached) return cached;
    const stored = this.#header.segmentSize + tagLength;
    const final = index === this.#segmentCount - 1;
    const position = this.#bodyStart + index * stored;
    const length = final ? this.plaintextSize - index * this.#header.segmentSize + tagLength : stored;
    const sealed = Buffer.alloc(length);
    const { bytesRead } = await this.#handle.read(sealed, 0, length, position);
    if (bytesRead !== length) throw new AresError('ARCHIVE_DAMAGED', 'The backup is truncated.');
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, nonceFor(Buffer.from(this.#header.noncePrefix, 'base64'), index));
      decipher.setAAD(associatedDataFor(this.#headerHash, index, final));
      decipher.setAuthTag(sealed.subarray(length - tagLength));
      plaintext = Buffer.concat([decipher.update(sealed.subarray(0, length - tagLength)), decipher.final()]);
    } catch {
      throw new AresError('ARCHIVE_DAMAGED', `The backup is damaged or was changed (segment ${index + 1} of ${this.#segmentCount} failed authentication).`);
    }
    // A few segments cover the zip reader's small header reads that straddle a boundary.
    if (this.#cache.size >= 8) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(index, plaintext);
    return plaintext;
  }

  /** Plaintext bytes [start, end). */
  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    const size = this.#header.segmentSize;
    for (let position = start; position < end; ) {
      const index = Math.floor(position / size);
      const segment = await this.#segment(index);
      const from = position - index * size;
      const to = Math.min(segment.length, end - index * size);
      yield Buffer.from(segment.subarray(from, to));
      position = index * size + to;
    }
  }

  close(): void {
    this.#key.fill(0);
    for (const segment of this.#cache.values()) segment.fill(0);
    this.#cache.clear();
  }
}
