import type { ColumnMapping, FileType } from '../../../shared/schemas/knowledge.js';
import type { ChunkDraft, ChunkingOptions } from '../chunking.js';
import type { KnowledgeLimits } from '../limits.js';
import type { ParsedProduct, ParsedSection } from '../parsers/parsedFile.js';

export interface ModelInfo {
  modelId: string;
  dimension: number;
  /** A fingerprint of the weights, so vectors made by a changed model are never mixed with old ones. */
  version: string;
  maximumTokens: number;
}

/** Which model a request is for: the embedding worker holds one at a time and switches on demand. */
export interface ModelReference {
  modelsRoot: string;
  modelId: string;
}

export type EmbeddingRequest =
  | ({ id: number; type: 'load' } & ModelReference)
  | ({ id: number; type: 'embed'; texts: string[] } & ModelReference)
  /** Chunks are measured in the model's own tokens, so chunking happens where the tokenizer is. */
  | ({ id: number; type: 'chunk'; sections: ParsedSection[]; chunking: ChunkingOptions } & ModelReference);

/** Parsing only: the reader worker loads no model, so it can be stopped and replaced at any time. */
export type ReaderRequest = {
  id: number;
  type: 'parse';
  name: string;
  fileType: FileType;
  bytes: Uint8Array;
  limits: KnowledgeLimits;
  /** Catalogs: the mapping a person chose now, and the one the previous version used. */
  mapping?: ColumnMapping;
  previousMapping?: ColumnMapping;
};

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

export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; code: string; message: string };
