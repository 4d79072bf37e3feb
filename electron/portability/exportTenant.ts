import { AresError } from '../../shared/errors.js';
import { exportFormatName, exportFormatVersion, type Manifest, type ManifestSection } from '../../shared/schemas/portability.js';
import type { TenantSession } from '../vault/index.js';
import { ArchiveWriter } from './archive/archiveWriter.js';
import { manifestPath } from './archive/archiveReader.js';
import type { KdfParameters } from './archive/backupContainer.js';
import { recordAudit } from './privacyAudit.js';
import { archiveReadme } from './readme.js';
import { exportSections, type ExportSection } from './sections/index.js';
import { openTenantSnapshot } from './tenantSnapshot.js';
import { appVersion } from './appVersion.js';

export interface ExportProgress {
  phase: string;
  done: number;
  total: number;
  bytesWritten: number;
}

export interface ExportOptions {
  destination: string;
  backupPassphrase?: string;
  includeVectors?: boolean;
  /** Lower scrypt cost, for tests only. */
  kdf?: KdfParameters;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  sections?: ExportSection[];
}

export interface ExportResult {
  path: string;
  bytes: number;
  manifest: Manifest;
  counts: Record<string, number>;
}

/**
 * Writes everything the tenant owns into one archive at `destination` (an encrypted backup when a
 * backup passphrase is given), section by section from one database snapshot.
 */
export async function exportTenant(session: TenantSession, options: ExportOptions): Promise<ExportResult> {
  const sections = options.sections ?? exportSections;
  const now = options.now ?? Date.now;
  const createdAt = new Date(now());
  const snapshot = openTenantSnapshot(session);
  const dataKey = session.copyDataKey();
  let writer: ArchiveWriter | null = null;
  try {
    const total = sections.reduce((sum, section) => (section.availability(snapshot.database).available ? sum + section.countRecords(snapshot.database) : sum), 0);
    const progress: ExportProgress = { phase: 'Starting', done: 0, total, bytesWritten: 0 };
    const report = () => options.onProgress?.({ ...progress });
    writer = await ArchiveWriter.create(options.destination, {
      createdAt,
      ...(options.backupPassphrase !== undefined ? { backupPassphrase: options.backupPassphrase } : {}),
      ...(options.kdf ? { kdf: options.kdf } : {}),
      onBytesWritten: (bytes) => {
        progress.bytesWritten += bytes;
      },
    });
    const checkCancelled = () => {
      if (options.signal?.aborted) throw new AresError('CANCELLED', 'The export was cancelled; the partial file was removed.');
    };
    const manifestSections: ManifestSection[] = [];
    for (const section of sections) {
      checkCancelled();
      const availability = section.availability(snapshot.database);
      if (!availability.available) {
        manifestSections.push({ id: section.id, title: section.title, status: 'not_available', note: availability.note, counts: {} });
        continue;
      }
      progress.phase = section.title;
      report();
      const counts: Record<string, number> = {};
      const activeWriter = writer;
      await section.export({
        database: snapshot.database,
        dataKey,
        tenantFolder: session.folder,
        includeVectors: options.includeVectors ?? false,
        addFile: async (path, content, fileOptions) => {
          await activeWriter.addFile(path, content, { section: section.id, mediaType: fileOptions?.mediaType ?? 'application/octet-stream', ...(fileOptions?.compress !== undefined ? { compress: fileOptions.compress } : {}) });
          report();
        },
        count: (name, amount) => {
          counts[name] = (counts[name] ?? 0) + amount;
        },
        advance: (records) => {
          progress.done += records;
          report();
        },
        checkCancelled,
      });
      const empty = Object.values(counts).every((count) => count === 0);
      manifestSections.push({ id: section.id, title: section.title, status: empty ? 'empty' : 'exported', counts });
    }
    progress.phase = 'Finishing';
    report();
    const head: Omit<Manifest, 'files'> = {
      format: exportFormatName,
      formatVersion: exportFormatVersion,
      appVersion,
      createdAt: createdAt.toISOString(),
      tenant: { name: session.tenantName },
      options: { includeVectors: options.includeVectors ?? false },
      sections: manifestSections,
    };
    await writer.addFile('README.txt', [archiveReadme(head, sections)], { section: 'archive', mediaType: 'text/plain' });
    const manifest: Manifest = { ...head, files: writer.files };
    const written = await writer.finish(manifestPath, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
    progress.bytesWritten = written.bytes;
    progress.done = progress.total;
    progress.phase = 'Done';
    report();
    const counts = flattenCounts(manifestSections);
    // The tenant may have been locked while a long export ran; the archive is complete regardless.
    if (!session.closed) recordAudit(session.database, 'tenant.exported', { ...counts, encrypted: options.backupPassphrase !== undefined ? 1 : 0 }, now());
    return { path: written.path, bytes: written.bytes, manifest, counts };
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    dataKey.fill(0);
    snapshot.close();
  }
}

export function flattenCounts(sections: ManifestSection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const section of sections) for (const [name, value] of Object.entries(section.counts)) counts[name] = (counts[name] ?? 0) + value;
  return counts;
}
