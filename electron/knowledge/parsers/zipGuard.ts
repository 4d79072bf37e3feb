import yauzl from 'yauzl';
import { AresError } from '../../../shared/errors.js';
import type { KnowledgeLimits } from '../limits.js';
import { formatBytes } from '../limits.js';

/**
 * Inflates every entry of a DOCX or XLSX once under hard limits before a parser sees it, so a zip
 * bomb fails here instead of exhausting memory inside mammoth or exceljs. Sizes are counted while
 * inflating, not taken from the (forgeable) headers.
 */
export async function checkArchive(
  bytes: Uint8Array,
  name: string,
  limits: KnowledgeLimits,
  requiredEntry: RegExp,
  collect?: RegExp,
): Promise<Map<string, Buffer>> {
  const collected = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true }, (error, file) => (error ? reject(error) : resolve(file)));
  }).catch((error: unknown) => {
    throw new AresError('FILE_UNREADABLE', `"${name}" is not a valid Office file: the ZIP container is damaged (${error instanceof Error ? error.message : error}).`);
  });
  let entries = 0;
  let inflated = 0;
  let sawRequired = false;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        if (entries > limits.maximumArchiveEntries) {
          reject(new AresError('FILE_UNREADABLE', `"${name}" contains more than ${limits.maximumArchiveEntries} parts.`));
          return;
        }
        if (requiredEntry.test(entry.fileName)) sawRequired = true;
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) {
            reject(error ?? new Error('no stream'));
            return;
          }
          const parts: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (collect?.test(entry.fileName)) parts.push(chunk);
            if (inflated > limits.maximumArchiveInflatedBytes) {
              stream.destroy();
              reject(
                new AresError('FILE_UNREADABLE', `"${name}" expands to more than ${formatBytes(limits.maximumArchiveInflatedBytes)} when unpacked (a ZIP bomb?).`),
              );
            }
          });
          stream.on('error', reject);
          stream.on('end', () => {
            if (parts.length > 0) collected.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof AresError) throw error;
    throw new AresError('FILE_UNREADABLE', `"${name}" is not a valid Office file: ${error instanceof Error ? error.message : error}.`);
  } finally {
    zip.close();
  }
  if (!sawRequired) {
    throw new AresError('FILE_UNREADABLE', `"${name}" is a ZIP file but not a valid Office document (its main part is missing).`);
  }
  return collected;
}
