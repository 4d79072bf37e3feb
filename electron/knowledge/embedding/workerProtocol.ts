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
      mapping?: ColumnMapping;
    }
  | { id: number; type: 'embed'; texts: string[] };

export interface ReadResult {
  chunks: ChunkDraft[];
  products: ParsedProduct[];
  columns?: string[];
  mapping?: ColumnMapping;
}

export type WorkerResponse =
  | { id: number; ok: true; result: ModelInfo | ReadResult | Float32Array }
  | { id: number; ok: false; code: string; message: string };
