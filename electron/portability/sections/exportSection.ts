import type { TenantDatabase } from '../../vault/index.js';
import type { FileContent } from '../archive/archiveWriter.js';

/**
 * How a domain takes part in export and restore. Each domain contributes one section: it streams
 * its records into archive files (JSON Lines for full fidelity, CSV where a spreadsheet helps, the
 * original files as they were uploaded) and, on restore, reads those files back into a new
 * tenant's database. The portability domain owns the archive, the manifest and the transaction;
 * the section owns the meaning of its tables.
 */
export interface ExportSection {
  /** Folder inside the archive and key in the manifest, e.g. "conversations". */
  id: string;
  title: string;
  /** One line per file for README.txt, e.g. ["conversations/messages.csv", "One row per message ..."]. */
  describeFiles(): [path: string, description: string][];
  /**
   * Whether this tenant's database has the domain's tables. A domain not yet in this version of the
   * app answers false with a note; the manifest then marks the section "not_available".
   */
  availability(database: TenantDatabase): { available: true } | { available: false; note: string };
  /** Records the export will visit, for the progress bar; an estimate is fine. */
  countRecords(database: TenantDatabase): number;
  export(context: SectionExportContext): Promise<void>;
  /** Runs inside one transaction on the new tenant's database; throwing rolls the whole restore back. */
  restore(context: SectionRestoreContext): Promise<void>;
}

export interface SectionExportContext {
  /** A read-only connection holding one snapshot for the whole export. */
  database: TenantDatabase;
  /** The tenant's data key, for files the domain encrypts itself (document originals). Wiped after the export. */
  dataKey: Buffer;
  tenantFolder: string;
  includeVectors: boolean;
  addFile(path: string, content: FileContent, options?: { mediaType?: string; compress?: boolean }): Promise<void>;
  /** Adds to the section's counts in the manifest (e.g. conversations: 120). */
  count(name: string, amount: number): void;
  /** Reports records visited, for progress. */
  advance(records: number): void;
  /** Throws CANCELLED when the user cancelled. */
  checkCancelled(): void;
}

export interface SectionRestoreContext {
  database: TenantDatabase;
  /** The new tenant's data key, for re-encrypting originals under it. */
  dataKey: Buffer;
  tenantFolder: string;
  /** Counts the archive's manifest recorded for this section, to check against what was read. */
  expectedCounts: Record<string, number>;
  has(path: string): boolean;
  readFile(path: string): AsyncIterable<Buffer>;
  /** JSON Lines of a file, each parsed; a line that is not JSON fails the restore. */
  readJsonLines(path: string): AsyncIterable<unknown>;
  count(name: string, amount: number): void;
  checkCancelled(): void;
}

/** Serialises records as JSON Lines in batches, so large tables stream in bounded memory. */
export async function* jsonLines<T>(records: Iterable<T> | AsyncIterable<T>, batchSize = 500): AsyncGenerator<string> {
  let batch: string[] = [];
  for await (const record of records) {
    batch.push(JSON.stringify(record));
    if (batch.length >= batchSize) {
      yield `${batch.join('\n')}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (starting with = + - @ or a
 * tab) gets a leading apostrophe: the CSVs are for people, the JSON Lines keep the exact text.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function* csvRows<T>(header: string[], records: Iterable<T> | AsyncIterable<T>, toCells: (record: T) => unknown[]): AsyncGenerator<string> {
  // The byte order mark makes spreadsheet programs read the file as UTF-8.
  yield `\uFEFF${header.map(csvCell).join(',')}\r\n`;
  let batch: string[] = [];
  for await (const record of records) {
    batch.push(toCells(record).map(csvCell).join(','));
    if (batch.length >= 500) {
      yield `${batch.join('\r\n')}\r\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\r\n')}\r\n`;
}

export function tableExists(database: TenantDatabase, table: string): boolean {
  return database.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
}

export function tableColumns(database: TenantDatabase, table: string): string[] {
  return (database.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((row) => row.name);
}

export function countRows(database: TenantDatabase, table: string): number {
  if (!tableExists(database, table)) return 0;
  return (database.prepare(`select count(*) as count from "${table}"`).get() as { count: number }).count;
}

/**
 * Every row of a table in rowid order, fetched in pages (keyset, not OFFSET) so a table of any
 * size is read in bounded memory and no statement stays open across an await.
 */
export function* tableRows<T = Record<string, unknown>>(database: TenantDatabase, table: string, columns = '*', pageSize = 1000): Generator<T> {
  // Raw rows with the rowid last, copied into objects of one shape: spreading each row without its
  // rowid ({ __rowid, ...rest }) was the most expensive line of an export profile (15% of its time).
  const statement = database.prepare(`select ${columns}, rowid as "__rowid" from "${table}" where rowid > ? order by rowid limit ?`).raw(true);
  const names = statement.columns().map((column) => column.name).slice(0, -1);
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = statement.all(after, pageSize) as unknown[][];
    for (const values of page) {
      const row: Record<string, unknown> = {};
      for (let index = 0; index < names.length; index += 1) row[names[index]!] = values[index];
      yield row as T;
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.at(-1) as number;
  }
}

/** Buffers (BLOB columns) travel as base64 strings in JSON Lines. */
export function toJsonValue(value: unknown): unknown {
  return Buffer.isBuffer(value) ? { base64: value.toString('base64') } : value;
}

export function fromJsonValue(value: unknown): unknown {
  if (value && typeof value === 'object' && 'base64' in value && typeof (value as { base64: unknown }).base64 === 'string') {
    return Buffer.from((value as { base64: string }).base64, 'base64');
  }
  return value;
}
