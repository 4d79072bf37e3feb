import { z } from 'zod';

/** The file types the knowledge base reads. Catalog types become products as well as text. */
export const fileTypes = ['pdf', 'docx', 'markdown', 'html', 'text', 'csv', 'xlsx', 'json'] as const;
export const fileTypeSchema = z.enum(fileTypes);
export type FileType = z.infer<typeof fileTypeSchema>;

export const catalogFileTypes: readonly FileType[] = ['csv', 'xlsx', 'json'];

/** One upload is at most this big on the wire (base64 of the largest file the core accepts). */
export const maximumUploadBase64Characters = 72 * 1024 * 1024;

/** A source name is the file's name or its path inside an imported folder. */
export const sourceNameSchema = z
  .string()
  .trim()
  .min(1, 'A file needs a name.')
  .max(1024)
  .refine((name) => ![...name].some((character) => character.charCodeAt(0) < 0x20), 'A file name cannot contain control characters.');

/** Which catalog column feeds which product field; the user can confirm or change it. */
export const productFields = ['sku', 'name', 'description', 'price', 'currency', 'stock', 'url'] as const;
export type ProductField = (typeof productFields)[number];
export const productFieldSchema = z.enum(productFields);
/** A field left out is guessed; null means "no column" (the column's cells stay attributes). */
export const columnMappingSchema = z
  .partialRecord(productFieldSchema, z.string().trim().min(1, 'A column name cannot be empty.').max(1000).nullable())
  .refine((mapping) => {
    const columns = Object.values(mapping).filter((column): column is string => typeof column === 'string');
    return new Set(columns).size === columns.length;
  }, 'A column can feed only one product field.');
export type ColumnMapping = Partial<Record<ProductField, string | null>>;

export const importFileInput = z.object({
  name: sourceNameSchema,
  contentBase64: z.string().max(maximumUploadBase64Characters, 'The file is too large to upload.'),
  /** Catalogs only: columns chosen for product fields before import (the rest are guessed). */
  mapping: columnMappingSchema.optional(),
});

export const createImportInput = z.object({
  files: z.array(z.object({ name: sourceNameSchema, sizeBytes: z.number().int().nonnegative() })).min(1).max(10_000),
});

export const uploadImportFileInput = z.object({
  jobId: z.string().min(1).max(64),
  fileIndex: z.number().int().nonnegative(),
  contentBase64: importFileInput.shape.contentBase64,
});

export const importJobInput = z.object({ jobId: z.string().min(1).max(64) });

export const fileImportStatusSchema = z.enum(['queued', 'reading', 'embedding', 'done', 'unchanged', 'failed', 'cancelled']);
export type FileImportStatus = z.infer<typeof fileImportStatusSchema>;

export interface FileImportState {
  name: string;
  sizeBytes: number;
  status: FileImportStatus;
  /** Set when done: chunks stored for this file. */
  chunkCount?: number;
  productCount?: number;
  sourceId?: string;
  /** Set when failed: the error code and a message a person can act on. */
  errorCode?: string;
  errorMessage?: string;
}

export interface ImportJobState {
  jobId: string;
  files: FileImportState[];
  finished: boolean;
  cancelled: boolean;
}

export const searchInput = z.object({
  query: z.string().trim().min(1, 'Type something to search for.').max(2000),
  limit: z.number().int().min(1).max(100).default(10),
  sourceIds: z.array(z.string().max(64)).max(1000).optional(),
  fileTypes: z.array(fileTypeSchema).max(fileTypes.length).optional(),
});
export type SearchInput = z.input<typeof searchInput>;

/** Where a chunk came from, so an answer can cite it and the UI can open the source there. */
export interface ChunkLocation {
  page?: number;
  headingPath?: string[];
  /** Row number in a catalog (1-based, header excluded). */
  row?: number;
  /** Character offsets in the source's extracted text section. */
  start: number;
  end: number;
}

export interface SearchHit {
  chunkId: number;
  sourceId: string;
  sourceName: string;
  fileType: FileType;
  text: string;
  score: number;
  location: ChunkLocation;
  /** Why it ranked: exact SKU or quoted phrase, vector rank, full-text rank. */
  matchedBy: ('sku' | 'phrase' | 'vector' | 'fullText')[];
  /** Query words found in the text, for highlighting. */
  matchedTerms: string[];
}

export interface SourceSummary {
  id: string;
  name: string;
  fileType: FileType;
  sizeBytes: number;
  chunkCount: number;
  productCount: number;
  status: 'ready' | 'needs_reembedding';
  /** Catalogs only: whether the column mapping is still the app's guess. */
  columnMapping: 'guessed' | 'confirmed' | null;
  importedAt: string;
  updatedAt: string;
}

export const sourceIdInput = z.object({ sourceId: z.string().min(1).max(64) });

export const productsInput = z.object({
  search: z.string().max(200).optional(),
  sourceId: z.string().max(64).optional(),
  sortBy: z.enum(['sku', 'name', 'price', 'stock']).default('name'),
  descending: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().nonnegative().default(0),
});
export type ProductsInput = z.input<typeof productsInput>;

export interface Product {
  id: number;
  sourceId: string;
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


/** Changes (or confirms) a catalog's mapping; a changed one re-reads the catalog and re-indexes it. */
export const remapCatalogInput = z.object({ sourceId: z.string().min(1).max(64), mapping: columnMappingSchema });

/** A catalog's columns as a person checks them: the mapping in use and the first rows. */
export interface CatalogPreview {
  sourceId: string;
  name: string;
  fileType: FileType;
  columns: string[];
  mapping: ColumnMapping;
  /** False while the mapping is the app's guess; true once a person chose or confirmed it. */
  confirmed: boolean;
  sampleRows: Record<string, string>[];
  rowCount: number;
}

export const modelIdSchema = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, 'A model id looks like "owner/name".')
  .refine((id) => !id.split('/').some((part) => part === '.' || part === '..'), 'A model id cannot contain "." or ".." parts.');

export const setModelInput = z.object({ modelId: modelIdSchema });

/** A model the tenant can switch to: installed in one of the model folders, or known to the download catalog. */
export interface AvailableModel {
  modelId: string;
  installed: boolean;
  /** Where it is installed: ARES_MODELS_DIR, the downloads in the data folder, or bundled with the app. */
  origin: 'configured' | 'downloaded' | 'bundled' | null;
  downloadable: boolean;
  current: boolean;
}

export interface ModelStatus {
  modelId: string;
  installed: boolean;
  /** Where it was found: a download in the data folder, the app's bundled models, or a configured folder. */
  location: string | null;
  dimension: number | null;
  version: string | null;
  downloadable: boolean;
  download: { state: 'idle' | 'downloading' | 'done' | 'failed'; receivedBytes: number; totalBytes: number; error?: string };
  reembedding: { state: 'idle' | 'running' | 'done' | 'failed'; done: number; total: number; error?: string };
  index: { rows: number; annIndex: 'none' | 'building' | 'ready'; ready: boolean };
}
