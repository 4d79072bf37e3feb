import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yazl from 'yazl';
import { AresError } from '../../../shared/errors.js';
import type { ManifestFile } from '../../../shared/schemas/portability.js';
import { createSealingStream, type KdfParameters } from './backupContainer.js';

export type FileContent = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export interface AddFileOptions {
  section: string;
  mediaType: string;
  /** Already-compressed originals (PDF, DOCX, XLSX) are stored, not deflated again. */
  compress?: boolean;
}

export interface ArchiveWriterOptions {
  /** Seals the archive into an encrypted backup with this passphrase. */
  backupPassphrase?: string;
  kdf?: KdfParameters;
  /** Every entry gets this modification time, so two exports of the same data differ only in the manifest. */
  createdAt: Date;
  onBytesWritten?: (bytes: number) => void;
}

/**
 * Writes an export archive as a stream straight to its destination: entries are produced, hashed,
 * compressed (and sealed, for a backup) on the way to the file, so nothing is held whole in memory
 * and no plaintext copy exists anywhere else. The file is written as "<destination>.partial" and
 * renamed when complete, so a half-written archive never carries the final name; on failure or
 * cancel the partial file is removed.
 */
export class ArchiveWriter {
  readonly destination: string;
  readonly files: ManifestFile[] = [];
  readonly #partialPath: string;
  readonly #zip: yazl.ZipFile;
  readonly #createdAt: Date;
  readonly #done: Promise<void>;
  #failure: unknown = null;
  #bytesWritten = 0;

  private constructor(destination: string, zip: yazl.ZipFile, done: Promise<void>, createdAt: Date, counter: { onBytes: (bytes: number) => void }) {
    this.destination = destination;
    this.#partialPath = `${destination}.partial`;
    this.#zip = zip;
    this.#createdAt = createdAt;
    this.#done = done.catch((error: unknown) => {
      this.#failure ??= error;
    });
    counter.onBytes = (bytes) => {
      this.#bytesWritten += bytes;
    };
  }

  static async create(destination: string, options: ArchiveWriterOptions): Promise<ArchiveWriter> {
    for (const path of [destination, `${destination}.partial`]) {
      if (await exists(path)) throw new AresError('DESTINATION_EXISTS', `A file already exists at ${path}. Choose another name.`);
    }
    const file = createWriteStream(`${destination}.partial`, { flags: 'wx', mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (error) => reject(new AresError('INVALID_INPUT', `The archive cannot be written there: ${(error as NodeJS.ErrnoException).code ?? error.message}.`)));
    });
    const zip = new yazl.ZipFile();
    const counter = { onBytes: (_bytes: number) => {} };
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        counter.onBytes(chunk.length);
        options.onBytesWritten?.(chunk.length);
        callback(null, chunk);
      },
    });
    const stages: (NodeJS.ReadableStream | Transform | Writable)[] = [zip.outputStream];
    if (options.backupPassphrase !== undefined) stages.push(await createSealingStream(options.backupPassphrase, options.kdf ? { kdf: options.kdf } : {}));
    stages.push(counting, file);
    const done = pipeline(stages as unknown as [NodeJS.ReadableStream, Writable]);
    return new ArchiveWriter(destination, zip, done, options.createdAt, counter);
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Streams one entry into the archive and records its size and SHA-256 for the manifest. */
  async addFile(path: string, content: FileContent, options: AddFileOptions): Promise<ManifestFile> {
    this.#throwIfFailed();
    if (this.files.some((file) => file.path === path)) throw new Error(`ArchiveWriter.addFile: duplicate path ${path}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let checksum = 0;
    // Held only until it is read: yazl keeps every entry (and so this generator's stream) until the
    // archive ends, and a kept reference to the content kept every document original in memory.
    let unread: FileContent | null = content;
    async function* hashed(): AsyncGenerator<Buffer> {
      const pieces = unread!;
      unread = null;
      for await (const piece of pieces) {
        const buffer = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        if (buffer.length === 0) continue;
        hash.update(buffer);
        checksum = crc32(buffer, checksum);
        bytes += buffer.length;
        yield buffer;
      }
    }
    const source = Readable.from(hashed(), { objectMode: false });
    const entryStream = new PassThrough();
    source.pipe(entryStream);
    this.#zip.addReadStream(entryStream, path, { mtime: this.#createdAt, compress: options.compress ?? true, forceDosTimestamp: true });
    // Waits until the zip has read every byte of this entry, not only until its source ended (or the output failed).
    await Promise.race([finished(entryStream), this.#done.then(() => this.#throwIfFailed())]);
    this.#throwIfFailed();
    const file: ManifestFile = { path, bytes, sha256: hash.digest('hex'), section: options.section, mediaType: options.mediaType };
    this.files.push(file);
    return file;
  }

  /** Adds the last entry (the manifest, which cannot list itself), closes the zip and moves it into place. */
  async finish(lastEntryPath: string, lastEntry: Buffer): Promise<{ path: string; bytes: number }> {
    this.#throwIfFailed();
    this.#zip.addBuffer(lastEntry, lastEntryPath, { mtime: this.#createdAt, compress: true, forceDosTimestamp: true });
    this.#zip.end();
    await this.#done;
    this.#throwIfFailed();
    const handle = await open(this.#partialPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#partialPath, this.destination);
    return { path: this.destination, bytes: this.#bytesWritten };
  }

  /** Stops writing and removes the partial file. */
  async abort(): Promise<void> {
    this.#failure ??= new AresError('CANCELLED');
    (this.#zip.outputStream as unknown as Readable).destroy(new AresError('CANCELLED'));
    await this.#done;
    await rm(this.#partialPath, { force: true });
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
