import type { ColumnMapping, FileType } from '../../../shared/schemas/knowledge.js';

/** A run of text with one location: a page, a heading's section, or a catalog row. */
export interface ParsedSection {
  text: string;
  page?: number;
  headingPath?: string[];
  row?: number;
}

export interface ParsedProduct {
  row: number;
  sku: string | null;
  name: string | null;
  description: string | null;
  price: number | null;
  currency: string | null;
  stock: number | null;
  url: string | null;
  attributes: Record<string, string>;
}

export interface ParsedFile {
  fileType: FileType;
  sections: ParsedSection[];
  products: ParsedProduct[];
  /** Catalogs only: the columns found and how they were mapped to product fields. */
  columns?: string[];
  mapping?: ColumnMapping;
  /** Catalogs only: the first rows as read (column to cell text), and how many rows there are. */
  sampleRows?: Record<string, string>[];
  rowCount?: number;
}
