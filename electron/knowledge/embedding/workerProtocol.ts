import type { ColumnMapping, FileType } from '../../../shared/schemas/knowledge.js';
import type { ChunkDraft, ChunkingOptions } from '../chunking.js';
import type { KnowledgeLimits } from '../limits.js';
import type { ParsedProduct } from '../parsers/parsedFile.js';

export interface ModelInfo {
  modelId: string;
  dimension: number;
  /** A fingerprint of the weights, so vectors made by a changed model are never mixed with old ones. */
  version: string;
  maximumTokens: number;
}

export type WorkerRequest =
  | { id: number; type: 'load' }
  | {
      id: number;
      type: 'read';
      name: string;
      fileType: FileType;
      bytes: Uint8Array;
      limits: KnowledgeLimits;
      chunking: ChunkingOptions;
      /** Catalogs: the mapping a person chose now, and the one the previous version used. */
      mapping?: ColumnMapping;
      previousMapping?: ColumnMapping;
    }
  | { id: number; type: 'preview'; name: string; fileType: FileType; bytes: Uint8Array; limits: KnowledgeLimits; mapping?: ColumnMapping; previousMapping?: ColumnMapping }
  | { id: number; type: 'embed'; texts: string[] };

/** A catalog read without chunking or embedding, for a person to check its column mapping. */
export interface CatalogReading {
  columns: string[];
  mapping: ColumnMapping;
  sampleRows: Record<string, string>[];
  rowCount: number;
}

export interface ReadResult {
  chunks: ChunkDraft[];
  products: ParsedProduct[];
  columns?: string[];
  mapping?: ColumnMapping;
}

export type WorkerResponse =
  | { id: number; ok: true; result: ModelInfo | ReadResult | CatalogReading | Float32Array }
  | { id: number; ok: false; code: string; message: string };
