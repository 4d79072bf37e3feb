import { AresError } from '../../../shared/errors.js';
import type { TenantDatabase } from '../../vault/index.js';
import {
  countRows,
  csvRows,
  fromJsonValue,
  jsonLines,
  tableColumns,
  tableExists,
  tableRows,
  toJsonValue,
  type ExportSection,
  type SectionExportContext,
  type SectionRestoreContext,
} from './exportSection.js';

/** One database table exported as one JSON Lines file (full fidelity), optionally with a CSV view. */
export interface TableFile {
  table: string;
  /** Path of the JSON Lines file inside the archive. */
  path: string;
  /** Name of its count in the manifest. */
  countName: string;
  description: string;
  /** Text columns that hold JSON: written as JSON values, stored back as text. */
  jsonColumns?: string[];
  /** Columns never exported (device tokens, secrets, caches rebuilt on unlock). */
  excludeColumns?: string[];
  /** Embedding vectors: exported only when the user asked for them. */
  vectorColumns?: string[];
  /** Rows to leave out, as an SQL condition (e.g. settings that are secrets). */
  exclude?: { where: string; reason: string };
  csv?: { path: string; description: string; header: string[]; cells: (row: Record<string, unknown>) => unknown[] };
  /** Missing in older archives or optional in the schema: restore skips it when absent. */
  optional?: boolean;
}

/**
 * A section made of whole tables, restored row by row into the same tables. Columns are matched
 * by name, so a newer app restoring an older archive leaves new columns at their defaults, and
 * columns the archive has but the schema dropped are ignored.
 */
export function tableSection(options: {
  id: string;
  title: string;
  tables: TableFile[];
  /** When any of these is missing, the domain is not in this app version yet. */
  requiredTables: string[];
  notAvailableNote: string;
  extraFiles?: [string, string][];
  exportExtra?: (context: SectionExportContext) => Promise<void>;
  restoreExtra?: (context: SectionRestoreContext) => Promise<void>;
}): ExportSection {
  return {
    id: options.id,
    title: options.title,
    describeFiles() {
      const lines: [string, string][] = [];
      for (const file of options.tables) {
        lines.push([file.path, file.description]);
        if (file.csv) lines.push([file.csv.path, file.csv.description]);
      }
      return [...lines, ...(options.extraFiles ?? [])];
    },
    availability(database) {
      const missing = options.requiredTables.filter((table) => !tableExists(database, table));
      return missing.length === 0 ? { available: true } : { available: false, note: options.notAvailableNote };
    },
    countRecords(database) {
      return options.tables.reduce((sum, file) => sum + countRows(database, file.table) * (file.csv ? 2 : 1), 0);
    },
    async export(context) {
      for (const file of options.tables) {
        if (!tableExists(context.database, file.table)) continue;
        await exportTable(context, file);
      }
      await options.exportExtra?.(context);
    },
    async restore(context) {
      for (const file of options.tables) {
        if (!context.has(file.path)) {
          if (file.optional) continue;
          throw new AresError('ARCHIVE_DAMAGED', `The archive's ${options.title} section has no ${file.path}.`);
        }
        if (!tableExists(context.database, file.table)) continue;
        await restoreTable(context, file);
      }
      await options.restoreExtra?.(context);
    },
  };
}

function selectedColumns(database: TenantDatabase, file: TableFile, includeVectors: boolean): string[] {
  const excluded = new Set([...(file.excludeColumns ?? []), ...(includeVectors ? [] : (file.vectorColumns ?? []))]);
  return tableColumns(database, file.table).filter((column) => !excluded.has(column));
}

function* exportedRows(context: SectionExportContext, file: TableFile): Generator<Record<string, unknown>> {
  const columns = selectedColumns(context.database, file, context.includeVectors);
  const jsonColumns = new Set(file.jsonColumns ?? []);
  const source = file.exclude
    ? filteredRows(context.database, file, columns)
    : tableRows<Record<string, unknown>>(context.database, file.table, columns.map((column) => `"${column}"`).join(', '));
  let visited = 0;
  for (const raw of source) {
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      const value = raw[column];
      row[column] = jsonColumns.has(column) && typeof value === 'string' ? parseJsonColumn(value) : toJsonValue(value);
    }
    yield row;
    if (++visited % 1000 === 0) {
      context.advance(1000);
      context.checkCancelled();
    }
  }
  context.advance(visited % 1000);
}

function* filteredRows(database: TenantDatabase, file: TableFile, columns: string[]): Generator<Record<string, unknown>> {
  const statement = database.prepare(`select ${columns.map((column) => `"${column}"`).join(', ')} from "${file.table}" where not (${file.exclude!.where}) order by rowid`);
  yield* statement.iterate() as Iterable<Record<string, unknown>>;
}

/** Only objects and arrays are unpacked, so restore can tell them from plain text unambiguously. */
function parseJsonColumn(value: string): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' ? parsed : value;
  } catch {
    return value;
  }
}

async function exportTable(context: SectionExportContext, file: TableFile): Promise<void> {
  let count = 0;
  const counted = function* () {
    for (const row of exportedRows(context, file)) {
      count += 1;
      yield row;
    }
  };
  await context.addFile(file.path, jsonLines(counted()), { mediaType: 'application/jsonl' });
  context.count(file.countName, count);
  if (file.csv) {
    const csv = file.csv;
    await context.addFile(csv.path, csvRows(csv.header, exportedRows(context, file), csv.cells), { mediaType: 'text/csv' });
  }
}

async function restoreTable(context: SectionRestoreContext, file: TableFile): Promise<void> {
  const targetColumns = new Set(tableColumns(context.database, file.table));
  const jsonColumns = new Set(file.jsonColumns ?? []);
  const statements = new Map<string, { run(...values: unknown[]): unknown }>();
  let count = 0;
  for await (const line of context.readJsonLines(file.path)) {
    if (!line || typeof line !== 'object' || Array.isArray(line)) throw new AresError('ARCHIVE_DAMAGED', `${file.path} holds a line that is not a record.`);
    const record = line as Record<string, unknown>;
    const columns = Object.keys(record).filter((column) => targetColumns.has(column));
    const signature = columns.join('\u0000');
    let statement = statements.get(signature);
    if (!statement) {
      statement = context.database.prepare(
        `insert or replace into "${file.table}" (${columns.map((column) => `"${column}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      statements.set(signature, statement);
    }
    statement.run(
      ...columns.map((column) => {
        const value = record[column];
        if (jsonColumns.has(column) && value !== null && typeof value === 'object') return JSON.stringify(value);
        const restored = fromJsonValue(value);
        return typeof restored === 'boolean' ? Number(restored) : (restored as string | number | bigint | Buffer | null);
      }),
    );
    count += 1;
    if (count % 1000 === 0) context.checkCancelled();
  }
  const expected = context.expectedCounts[file.countName];
  if (expected !== undefined && expected !== count) {
    throw new AresError('ARCHIVE_DAMAGED', `${file.path} holds ${count} records; the manifest says ${expected}.`);
  }
  context.count(file.countName, count);
}
