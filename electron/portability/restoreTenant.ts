import { AresError } from '../../shared/errors.js';
import type { Vault } from '../vault/index.js';
import { ArchiveReader } from './archive/archiveReader.js';
import { recordAudit } from './privacyAudit.js';
import { exportSections, type ExportSection } from './sections/index.js';

export interface RestoreProgress {
  phase: string;
  /** Bytes of archive content read, out of the total the manifest lists. */
  done: number;
  total: number;
}

export interface RestoreOptions {
  source: string;
  tenantName: string;
  passphrase: string;
  backupPassphrase?: string;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
  sections?: ExportSection[];
}

export interface RestoreResult {
  tenantName: string;
  counts: Record<string, number>;
  /** Sections the archive has but this app version does not know (made by a newer app). */
  skippedSections: string[];
}

/**
 * Restores an export or a backup into a NEW tenant. The archive is opened and its manifest checked
 * before the tenant exists; each section is imported in one transaction; every file is checked
 * against its SHA-256 (also the ones no section reads, like the CSV views), and any failure deletes
 * the new tenant, so either the whole archive is in or nothing is.
 */
export async function restoreTenant(vault: Vault, options: RestoreOptions): Promise<RestoreResult> {
  const sections = options.sections ?? exportSections;
  const now = options.now ?? Date.now;
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new AresError('CANCELLED', 'The restore was cancelled; the new tenant was removed.');
  };
  const reader = await ArchiveReader.open(options.source, options.backupPassphrase !== undefined ? { backupPassphrase: options.backupPassphrase } : {});
  const progress: RestoreProgress = { phase: 'Checking the archive', done: 0, total: reader.manifest.files.reduce((sum, file) => sum + file.bytes, 0) };
  const report = () => options.onProgress?.({ ...progress });
  const verified = new Set<string>();
  async function* readFile(path: string): AsyncGenerator<Buffer> {
    for await (const chunk of reader.readFile(path)) {
      progress.done += chunk.length;
      yield chunk;
    }
    verified.add(path);
    report();
  }
  async function* readJsonLines(path: string): AsyncGenerator<unknown> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let rest = '';
    const parse = (line: string) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new AresError('ARCHIVE_DAMAGED', `${path} holds a line that is not valid JSON.`);
      }
    };
    try {
      for await (const chunk of readFile(path)) {
        rest += decoder.decode(chunk, { stream: true });
        const lines = rest.split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line.trim() !== '') yield parse(line);
      }
      rest += decoder.decode();
    } catch (error) {
      if (error instanceof TypeError) throw new AresError('ARCHIVE_DAMAGED', `${path} is not valid UTF-8.`);
      throw error;
    }
    if (rest.trim() !== '') yield parse(rest);
  }

  const known = new Set(sections.map((section) => section.id));
  const skippedSections = reader.manifest.sections.filter((section) => !known.has(section.id) && section.status === 'exported').map((section) => section.id);
  let session;
  try {
    session = await vault.create(options.tenantName, options.passphrase);
  } catch (error) {
    await reader.close();
    throw error;
  }
  const dataKey = session.copyDataKey();
  const counts: Record<string, number> = {};
  try {
    for (const section of sections) {
      checkCancelled();
      const entry = reader.manifest.sections.find((candidate) => candidate.id === section.id);
      if (!entry || entry.status === 'not_available') continue;
      if (!section.availability(session.database).available) continue;
      progress.phase = section.title;
      report();
      const database = session.database;
      database.exec('begin immediate');
      try {
        await section.restore({
          database,
          dataKey,
          tenantFolder: session.folder,
          expectedCounts: entry.counts,
          has: (path) => reader.has(path),
          readFile,
          readJsonLines,
          count: (name, amount) => {
            counts[name] = (counts[name] ?? 0) + amount;
          },
          checkCancelled,
        });
        database.exec('commit');
      } catch (error) {
        if (database.inTransaction) database.exec('rollback');
        // A record the database refuses (a constraint, a wrong type) means the archive is not what
        // the manifest promised; its checksum would fail too, once the file is read to the end.
        if (error instanceof AresError) throw error;
        throw new AresError('ARCHIVE_DAMAGED', `The ${section.title.toLowerCase()} in the archive are damaged and cannot be imported (${(error as Error).message}).`);
      }
    }
    progress.phase = 'Checking the remaining files';
    report();
    for (const file of reader.manifest.files) {
      checkCancelled();
      if (!verified.has(file.path)) for await (const chunk of readFile(file.path)) void chunk;
    }
    recordAudit(session.database, 'tenant.restored', counts, now());
    progress.phase = 'Done';
    report();
    return { tenantName: session.tenantName, counts, skippedSections };
  } catch (error) {
    await session.close();
    await vault.delete(session.tenantName, session.tenantName, options.passphrase).catch((deleteError: unknown) => {
      console.error('restoreTenant: could not remove the half-restored tenant', deleteError instanceof Error ? deleteError.message : deleteError);
    });
    throw error;
  } finally {
    dataKey.fill(0);
    if (!session.closed) await session.close();
    await reader.close();
  }
}
