import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { AresError } from '../../../shared/errors.js';
import { exportFormatName, exportFormatVersion, manifestSchema, type Manifest, type ManifestFile } from '../../../shared/schemas/portability.js';
import { isSealedBackup, SealedBackupReader } from './backupContainer.js';

export const manifestPath = 'manifest.json';
const maximumManifestBytes = 64 * 1024 * 1024;

/** yauzl reads byte ranges through this; for a backup they are decrypted segment by segment in memory. */
class SealedRandomAccessReader extends yauzl.RandomAccessReader {
  readonly #backup: SealedBackupReader;
  constructor(backup: SealedBackupReader) {
    super();
    this.#backup = backup;
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.#backup.range(start, end), { objectMode: false });
  }
}

/**
 * Opens an export archive or an encrypted backup and hands out its files, checking each one as it
 * is read: the zip's CRC-32, then size and SHA-256 against the manifest. Nothing is trusted before
 * its check passed; callers import inside a transaction and roll back when a read throws.
 */
export class ArchiveReader {
  readonly manifest: Manifest;
  readonly sealed: boolean;
  readonly #zip: yauzl.ZipFile;
  readonly #entries: Map<string, yauzl.Entry>;
  readonly #filesByPath: Map<string, ManifestFile>;
  readonly #handle: FileHandle;
  readonly #backup: SealedBackupReader | null;

  private constructor(options: { manifest: Manifest; zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry>; handle: FileHandle; backup: SealedBackupReader | null }) {
    this.manifest = options.manifest;
    this.sealed = options.backup !== null;
    this.#zip = options.zip;
    this.#entries = options.entries;
    this.#handle = options.handle;
    this.#backup = options.backup;
    this.#filesByPath = new Map(options.manifest.files.map((file) => [file.path, file]));
  }

  static async open(path: string, options: { backupPassphrase?: string } = {}): Promise<ArchiveReader> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw new AresError('NOT_FOUND', `The file ${path} cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    let backup: SealedBackupReader | null = null;
    let zip: yauzl.ZipFile | null = null;
    try {
      const zipOptions = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true };
      if (await isSealedBackup(handle)) {
        if (!options.backupPassphrase) throw new AresError('BACKUP_PASSPHRASE_REQUIRED');
        backup = await SealedBackupReader.open(handle, options.backupPassphrase);
        zip = await wrapZipError(yauzl.fromRandomAccessReaderPromise(new SealedRandomAccessReader(backup), backup.plaintextSize, zipOptions));
      } else {
        // yauzl owns the plain file's descriptor (it closes it with the zip).
        await handle.close();
        zip = await wrapZipError(yauzl.openPromise(path, zipOptions));
      }
      const openedZip = zip;
      const entries = await readEntries(openedZip);
      const manifestEntry = entries.get(manifestPath);
      if (!manifestEntry) throw new AresError('ARCHIVE_UNSUPPORTED', 'This zip has no manifest.json: it is not an Ares export.');
      if (manifestEntry.uncompressedSize > maximumManifestBytes) throw new AresError('ARCHIVE_DAMAGED', 'The manifest is implausibly large.');
      const manifestBytes = Buffer.concat(await collect(readEntry(openedZip, manifestEntry)));
      const manifest = parseManifest(manifestBytes);
      checkEntriesMatchManifest(entries, manifest);
      return new ArchiveReader({ manifest, zip: openedZip, entries, handle, backup });
    } catch (error) {
      zip?.close();
      if (backup) {
        backup.close();
        await handle.close();
      } else await handle.close().catch(() => {});
      throw error;
    }
  }

  has(path: string): boolean {
    return this.#filesByPath.has(path);
  }

  /** The file's bytes; throws ARCHIVE_DAMAGED at the end if they do not match the manifest. */
  async *readFile(path: string): AsyncGenerator<Buffer> {
    const file = this.#filesByPath.get(path);
    const entry = this.#entries.get(path);
    if (!file || !entry) throw new AresError('ARCHIVE_DAMAGED', `The archive has no ${path}, though the manifest or the restore needs it.`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of readEntry(this.#zip, entry)) {
      hash.update(chunk);
      bytes += chunk.length;
      if (bytes > file.bytes) throw new AresError('ARCHIVE_DAMAGED', `${path} is larger than the manifest says.`);
      yield chunk;
    }
    if (bytes !== file.bytes || hash.digest('hex') !== file.sha256) {
      throw new AresError('ARCHIVE_DAMAGED', `${path} does not match its SHA-256 checksum in the manifest.`);
    }
  }

  /** The lines of a text file (JSON Lines, CSV rows), decoded as UTF-8, checked like readFile. */
  async *readLines(path: string): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let rest = '';
    try {
      for await (const chunk of this.readFile(path)) {
        rest += decoder.decode(chunk, { stream: true });
        const lines = rest.split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line !== '') yield line;
      }
      rest += decoder.decode();
    } catch (error) {
      if (error instanceof TypeError) throw new AresError('ARCHIVE_DAMAGED', `${path} is not valid UTF-8.`);
      throw error;
    }
    if (rest !== '') yield rest;
  }

  /** Reads every file once, checking all checksums (the "verify" of the CLI and the tests). */
  async verify(): Promise<void> {
    for (const file of this.manifest.files) {
      for await (const chunk of this.readFile(file.path)) void chunk;
    }
  }

  async close(): Promise<void> {
    this.#zip.close();
    if (this.#backup) {
      this.#backup.close();
      await this.#handle.close();
    }
  }
}

async function wrapZipError(opening: Promise<yauzl.ZipFile>): Promise<yauzl.ZipFile> {
  try {
    return await opening;
  } catch (error) {
    if (error instanceof AresError) throw error;
    throw new AresError('ARCHIVE_UNSUPPORTED', `This file is not a readable zip archive (${(error as Error).message}).`);
  }
}

function readEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entries.has(entry.fileName)) return reject(new AresError('ARCHIVE_DAMAGED', `The archive holds ${entry.fileName} twice.`));
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (error: Error) => reject(new AresError('ARCHIVE_DAMAGED', `The archive's directory is damaged (${error.message}).`)));
    zip.readEntry();
  });
}

/** An entry's uncompressed bytes, with the zip's own CRC-32 checked (yauzl does not check it). */
async function* readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  let checksum = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      checksum = crc32(chunk, checksum);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof AresError) throw error;
    throw new AresError('ARCHIVE_DAMAGED', `${entry.fileName} is damaged and cannot be read (${(error as Error).message}).`);
  }
  if (checksum >>> 0 !== entry.crc32 >>> 0) throw new AresError('ARCHIVE_DAMAGED', `${entry.fileName} fails the zip's CRC-32 check.`);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

function parseManifest(bytes: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AresError('ARCHIVE_DAMAGED', 'manifest.json is not valid JSON.');
  }
  const head = json as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== exportFormatName) throw new AresError('ARCHIVE_UNSUPPORTED', 'manifest.json does not describe an Ares export.');
  if (typeof head.formatVersion === 'number' && head.formatVersion > exportFormatVersion) {
    throw new AresError('ARCHIVE_UNSUPPORTED', `The archive uses export format ${head.formatVersion}; this version of Ares reads up to ${exportFormatVersion}. Update Ares first.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new AresError('ARCHIVE_DAMAGED', `manifest.json is not valid (${parsed.error.issues[0]?.path.join('.') ?? ''}).`);
  return parsed.data;
}

/** Every file of the zip is in the manifest with its size, and every manifest file is in the zip. */
function checkEntriesMatchManifest(entries: Map<string, yauzl.Entry>, manifest: Manifest): void {
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const name of entries.keys()) {
    if (name !== manifestPath && !listed.has(name)) throw new AresError('ARCHIVE_DAMAGED', `The archive holds ${name}, which its manifest does not list.`);
  }
  for (const file of manifest.files) {
    const entry = entries.get(file.path);
    if (!entry) throw new AresError('ARCHIVE_DAMAGED', `The manifest lists ${file.path}, which is missing from the archive.`);
    if (entry.uncompressedSize !== file.bytes) throw new AresError('ARCHIVE_DAMAGED', `${file.path} has a different size than the manifest says.`);
  }
}
