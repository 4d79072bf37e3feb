import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { AresError } from '../../../shared/errors.js';
import type { ColumnMapping } from '../../../shared/schemas/knowledge.js';
import { chunkSections } from '../chunking.js';
import { parseFile } from '../parsers/parseFile.js';
import type { CatalogReading, ModelInfo, ReadResult, WorkerRequest, WorkerResponse } from './workerProtocol.js';

const { modelsRoot, modelId } = workerData as { modelsRoot: string; modelId: string };

// Offline and cache-free: models are read from their folder only, and transformers.js writes nothing.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
env.useBrowserCache = false;
env.localModelPath = `${modelsRoot}/`;

// pipeline()'s overloads are too large a union for the compiler; this is the one overload we use.
const createExtractor = pipeline as unknown as (task: 'feature-extraction', model: string, options: object) => Promise<FeatureExtractionPipeline>;

let loading: Promise<{ extractor: FeatureExtractionPipeline; info: ModelInfo }> | null = null;

async function fingerprint(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

function load() {
  loading ??= (async () => {
    const extractor = await createExtractor('feature-extraction', modelId, { dtype: 'fp32', local_files_only: true });
    const probe = await extractor('dimension probe', { pooling: 'mean', normalize: true });
    const dimension = probe.dims[probe.dims.length - 1]!;
    const limit = Number(extractor.tokenizer.model_max_length);
    // Two places go to [CLS] and [SEP]; chunks stay well under the limit models were trained on.
    const maximumTokens = Math.max(16, Math.min(200, Number.isFinite(limit) ? limit - 2 : 200));
    const version = await fingerprint(join(modelsRoot, ...modelId.split('/'), 'onnx', 'model.onnx'));
    return { extractor, info: { modelId, dimension, version, maximumTokens } };
  })();
  return loading;
}

async function embed(texts: string[]): Promise<Float32Array> {
  const { extractor } = await load();
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  const vectors = new Float32Array(output.data as Float32Array);
  const dimension = output.dims[output.dims.length - 1]!;
  // A text made only of tokens the model knows nothing about pools to a zero vector, which
  // normalises to NaN; give it a fixed direction so cosine distance stays defined (full-text
  // search still finds it).
  for (let start = 0; start < vectors.length; start += dimension) {
    const vector = vectors.subarray(start, start + dimension);
    if (!vector.every(Number.isFinite) || vector.every((value) => value === 0)) {
      vector.fill(0);
      vector[0] = 1;
    }
  }
  return vectors;
}

async function read(request: Extract<WorkerRequest, { type: 'read' }>): Promise<ReadResult> {
  const { extractor, info } = await load();
  const parsed = await parseFile(request.bytes, request.name, request.fileType, request.limits, mappingRequest(request));
  const countTokens = (text: string) => extractor.tokenizer.encode(text, { add_special_tokens: false }).length;
  const chunking = { ...request.chunking, maximumTokens: Math.min(request.chunking.maximumTokens, info.maximumTokens) };
  const chunks = chunkSections(parsed.sections, countTokens, chunking);
  const result: ReadResult = { chunks, products: parsed.products };
  if (parsed.columns) result.columns = parsed.columns;
  if (parsed.mapping) result.mapping = parsed.mapping;
  return result;
}

function mappingRequest(request: { mapping?: ColumnMapping; previousMapping?: ColumnMapping }) {
  return { ...(request.mapping ? { chosen: request.mapping } : {}), ...(request.previousMapping ? { previous: request.previousMapping } : {}) };
}

/** Parsing only: needs no model, so it answers without loading one. */
async function preview(request: Extract<WorkerRequest, { type: 'preview' }>): Promise<CatalogReading> {
  const parsed = await parseFile(request.bytes, request.name, request.fileType, request.limits, mappingRequest(request));
  if (!parsed.columns || !parsed.mapping) throw new AresError('NOT_A_CATALOG', `"${request.name}" is not a catalog; only CSV, XLSX and JSON catalogs have columns to map.`);
  return { columns: parsed.columns, mapping: parsed.mapping, sampleRows: parsed.sampleRows ?? [], rowCount: parsed.rowCount ?? 0 };
}

function handle(request: WorkerRequest): Promise<ModelInfo | ReadResult | CatalogReading | Float32Array> {
  switch (request.type) {
    case 'load':
      return load().then(({ info }) => info);
    case 'read':
      return read(request);
    case 'preview':
      return preview(request);
    case 'embed':
      return embed(request.texts);
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  const work = handle(request);
  work.then(
    (result) => {
      const response: WorkerResponse = { id: request.id, ok: true, result };
      parentPort!.postMessage(response, result instanceof Float32Array ? [result.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const response: WorkerResponse =
        error instanceof AresError
          ? { id: request.id, ok: false, code: error.code, message: error.message }
          : { id: request.id, ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
      parentPort!.postMessage(response);
    },
  );
});
