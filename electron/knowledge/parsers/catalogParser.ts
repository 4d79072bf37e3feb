import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AresError } from '../../../shared/errors.js';
import type { ColumnMapping, ProductField } from '../../../shared/schemas/knowledge.js';
import type { KnowledgeLimits } from '../limits.js';
import { resolveColumnMapping, type CatalogMappingRequest } from './columnMapping.js';
import { htmlToPlainText } from './htmlParser.js';
import type { ParsedFile, ParsedProduct, ParsedSection } from './parsedFile.js';
import { readSheetCells } from './xlsxCells.js';
import { checkArchive } from './zipGuard.js';

type Row = Record<string, string>;

/** Rows shown when a person checks the column mapping: enough to recognise each column. */
const sampleRowCount = 5;

interface Table {
  columns: string[];
  rows: Row[];
}

const currencySymbols: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', '₩': 'KRW', '₽': 'RUB', '₺': 'TRY' };

export function parsePrice(raw: string | undefined): { price: number | null; currency: string | null } {
  if (!raw) return { price: null, currency: null };
  const text = raw.trim();
  const symbol = Object.keys(currencySymbols).find((candidate) => text.includes(candidate));
  const code = /\b([A-Z]{3})\b/.exec(text)?.[1] ?? null;
  let digits = text.replace(/[^\d.,-]/g, '');
  // "1.234,56" (comma decimals) versus "1,234.56": the last separator is the decimal one.
  if (digits.includes(',') && (!digits.includes('.') || digits.lastIndexOf(',') > digits.lastIndexOf('.'))) {
    digits = digits.replace(/\./g, '').replace(',', '.');
  } else digits = digits.replace(/,/g, '');
  const value = Number.parseFloat(digits);
  return { price: Number.isFinite(value) ? value : null, currency: code ?? (symbol ? currencySymbols[symbol]! : null) };
}

function parseStock(raw: string | undefined): number | null {
  if (!raw) return null;
  const value = Number.parseFloat(raw.replace(/[^\d.-]/g, ''));
  return Number.isFinite(value) ? Math.trunc(value) : null;
}

function tableToCatalog(table: Table, fileType: 'csv' | 'xlsx' | 'json', mapping: ColumnMapping): ParsedFile {
  const products: ParsedProduct[] = [];
  const sections: ParsedSection[] = [];
  const mappedColumns = new Set(Object.values(mapping).filter((value): value is string => !!value));
  table.rows.forEach((row, index) => {
    const value = (field: ProductField) => {
      const column = mapping[field];
      const raw = column ? row[column]?.trim() : undefined;
      return raw ? raw : null;
    };
    const { price, currency: priceCurrency } = parsePrice(value('price') ?? undefined);
    const description = value('description');
    const attributes: Row = {};
    for (const column of table.columns) {
      const raw = row[column]?.trim();
      if (raw && !mappedColumns.has(column)) attributes[column] = raw.length > 2000 ? htmlToPlainText(raw).slice(0, 2000) : htmlToPlainText(raw);
    }
    const product: ParsedProduct = {
      row: index + 1,
      sku: value('sku'),
      name: value('name'),
      description: description ? htmlToPlainText(description) : null,
      price,
      currency: value('currency') ?? priceCurrency,
      stock: parseStock(value('stock') ?? undefined),
      url: value('url'),
      attributes,
    };
    if (!product.sku && !product.name && !product.description && Object.keys(attributes).length === 0) return;
    products.push(product);
    sections.push({ text: productText(product), row: product.row });
  });
  // A sheet with a header row only is still text someone may search for.
  if (sections.length === 0 && table.columns.length > 0) sections.push({ text: table.columns.join('\n') });
  return { fileType, sections, products, columns: table.columns, mapping, sampleRows: table.rows.slice(0, sampleRowCount), rowCount: table.rows.length };
}

/** The searchable text of a product: its facts in one passage, labelled so a reader can cite it. */
export function productText(product: ParsedProduct): string {
  const lines: string[] = [];
  if (product.name) lines.push(product.name);
  if (product.sku) lines.push(`SKU: ${product.sku}`);
  if (product.price !== null) lines.push(`Price: ${product.price}${product.currency ? ` ${product.currency}` : ''}`);
  if (product.stock !== null) lines.push(`Stock: ${product.stock}`);
  if (product.description) lines.push(product.description);
  for (const [key, value] of Object.entries(product.attributes)) lines.push(`${key}: ${value}`);
  if (product.url) lines.push(`URL: ${product.url}`);
  return lines.join('\n');
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const candidates = [',', ';', '\t', '|'];
  return candidates.reduce((best, candidate) => (firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best), ',');
}

function uniqueColumns(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((header, index) => {
    const base = header.trim() || `column ${index + 1}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base} (${count + 1})`;
  });
}

function recordsFromMatrix(matrix: string[][], name: string, limits: KnowledgeLimits): Table {
  const headerIndex = matrix.findIndex((cells) => cells.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new AresError('FILE_UNREADABLE', `"${name}" has no rows.`);
  const columns = uniqueColumns(matrix[headerIndex]!);
  const body = matrix.slice(headerIndex + 1).filter((cells) => cells.some((cell) => cell.trim() !== ''));
  if (body.length > limits.maximumCatalogRows) {
    throw new AresError('FILE_UNREADABLE', `"${name}" has ${body.length} rows; the limit is ${limits.maximumCatalogRows}.`);
  }
  if (body.length === 0) return { columns, rows: [] };
  const rows = body.map((cells) => Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? ''])));
  return { columns, rows };
}

export function parseCsvCatalog(text: string, name: string, limits: KnowledgeLimits, mapping: CatalogMappingRequest = {}): ParsedFile {
  let matrix: string[][];
  try {
    matrix = parseCsv(text, { delimiter: detectDelimiter(text), bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new AresError('FILE_UNREADABLE', `"${name}" is not valid CSV (${error instanceof Error ? error.message : error}).`);
  }
  const table = recordsFromMatrix(matrix, name, limits);
  return tableToCatalog(table, 'csv', resolveColumnMapping(table.columns, name, mapping));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

export async function parseXlsxCatalog(bytes: Uint8Array, name: string, limits: KnowledgeLimits, mapping: CatalogMappingRequest = {}): Promise<ParsedFile> {
  const parts = await checkArchive(bytes, name, limits, /^xl\/workbook\.xml$/, /^xl\/(sharedStrings\.xml|worksheets\/sheet\d+\.xml)$/);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    // exceljs rejects some valid workbooks written by other tools; the cell values are still readable.
    const matrix = readSheetCells(parts);
    if (!matrix) throw new AresError('FILE_UNREADABLE', `"${name}" is not a readable XLSX workbook (${error instanceof Error ? error.message : error}).`);
    const table = recordsFromMatrix(matrix, name, limits);
    return tableToCatalog(table, 'xlsx', resolveColumnMapping(table.columns, name, mapping));
  }
  // The first sheet with data is the catalog; other sheets are usually notes or pivots.
  for (const sheet of workbook.worksheets) {
    const matrix: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = row.values as ExcelJS.CellValue[];
      matrix.push(Array.from(values.slice(1), cellText));
    });
    if (matrix.some((cells) => cells.some((cell) => cell.trim() !== ''))) {
      const table = recordsFromMatrix(matrix, name, limits);
      return tableToCatalog(table, 'xlsx', resolveColumnMapping(table.columns, name, mapping));
    }
  }
  throw new AresError('FILE_UNREADABLE', `"${name}" has no sheet with data.`);
}

function findRecords(value: unknown, depth = 0): Record<string, unknown>[] | null {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)) ? (value as Record<string, unknown>[]) : null;
  }
  if (value && typeof value === 'object' && depth < 3) {
    for (const child of Object.values(value)) {
      const found = findRecords(child, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

function flatten(record: Record<string, unknown>, prefix = '', into: Row = {}): Row {
  for (const [key, value] of Object.entries(record)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) into[column] = value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
    else if (typeof value === 'object') flatten(value as Record<string, unknown>, column, into);
    else into[column] = String(value);
  }
  return into;
}

/** A JSON catalog: an array of objects, or the first such array inside an object ({"products": [...]}). */
export function parseJsonCatalog(text: string, name: string, limits: KnowledgeLimits, mapping: CatalogMappingRequest = {}): ParsedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AresError('FILE_UNREADABLE', `"${name}" is not valid JSON (${error instanceof Error ? error.message : error}).`);
  }
  const records = findRecords(data);
  if (!records) throw new AresError('FILE_UNREADABLE', `"${name}" holds no list of products (expected an array of objects).`);
  if (records.length > limits.maximumCatalogRows) {
    throw new AresError('FILE_UNREADABLE', `"${name}" has ${records.length} records; the limit is ${limits.maximumCatalogRows}.`);
  }
  const rows = records.map((record) => flatten(record));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return tableToCatalog({ columns, rows }, 'json', resolveColumnMapping(columns, name, mapping));
}
