import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { AresError } from '../../../shared/errors.js';
import { chunkSections } from '../chunking.js';
import type { ChunkDraft } from '../chunking.js';
import { modelWeights } from './modelLocator.js';
import type { EmbeddingRequest, ModelInfo, ModelReference } from './workerProtocol.js';
import { serveRequests } from './workerServer.js';

// Offline and cache-free: models are read from their folder only, and transformers.js writes nothing.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
env.useBrowserCache = false;

// pipeline()'s overloads are too large a union for the compiler; this is the one overload we use.
const createExtractor = pipeline as unknown as (task: 'feature-extraction', model: string, options: object) => Promise<FeatureExtractionPipeline>;

type LoadedModel = { extractor: FeatureExtractionPipeline; info: ModelInfo };

/**
 * onnxruntime's threads per inference. By default it takes every core, which on a small machine
 * fights the main process and LanceDB for them: a one-line query then waits on busy cores (on two
 * cores one thread embedded a query in half the time of two, and batches no slower). Half the
 * cores leaves the rest to the app; `ARES_EMBEDDING_THREADS` overrides it.
 */
function inferenceThreads(): number {
  const configured = Number(process.env.ARES_EMBEDDING_THREADS);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/** The one model this worker holds; a request for another replaces it, so memory does not grow per switch. */
let current: { key: string; loading: Promise<LoadedModel> } | null = null;

async function fingerprint(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

async function open({ modelsRoot, modelId }: ModelReference): Promise<LoadedModel> {
  const weights = modelWeights(modelsRoot, modelId);
  if (!weights) throw new AresError('MODEL_NOT_INSTALLED', `The model "${modelId}" has no ONNX weights in ${modelsRoot}.`);
  // Requests run one at a time, so setting the shared path right before loading is safe.
  env.localModelPath = `${modelsRoot}/`;
  const extractor = await createExtractor('feature-extraction', modelId, {
    dtype: weights.dtype,
    local_files_only: true,
    session_options: { intraOpNumThreads: inferenceThreads(), interOpNumThreads: 1 },
  });
  const probe = await extractor('dimension probe', { pooling: 'mean', normalize: true });
  const dimension = probe.dims[probe.dims.length - 1]!;
  const limit = Number(extractor.tokenizer.model_max_length);
  // Two places go to [CLS] and [SEP]; chunks stay well under the limit models were trained on.
  const maximumTokens = Math.max(16, Math.min(200, Number.isFinite(limit) ? limit - 2 : 200));
  // The vectors' version is the weights file itself: int8 and fp32 vectors are never mixed.
  const version = await fingerprint(weights.file);
  return { extractor, info: { modelId, dimension, version, maximumTokens } };
}

async function unload(): Promise<void> {
  const previous = current;
  current = null;
  const loaded = previous ? await previous.loading.catch(() => null) : null;
  await loaded?.extractor.dispose();
}

async function load(model: ModelReference): Promise<LoadedModel> {
  const key = `${model.modelsRoot}\u0000${model.modelId}`;
  if (current?.key !== key) {
    // The previous model's onnxruntime session is released before the next one is created.
    await unload();
    const loading = open(model);
    current = { key, loading };
    loading.catch(() => {
      if (current?.loading === loading) current = null;
    });
  }
  return current!.loading;
}

async function embed(model: ModelReference, texts: string[]): Promise<Float32Array> {
  const { extractor } = await load(model);
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

async function chunk(request: Extract<EmbeddingRequest, { type: 'chunk' }>): Promise<ChunkDraft[]> {
  const { extractor, info } = await load(request);
  const countTokens = (text: string) => extractor.tokenizer.encode(text, { add_special_tokens: false }).length;
  const chunking = { ...request.chunking, maximumTokens: Math.min(request.chunking.maximumTokens, info.maximumTokens) };
  return chunkSections(request.sections, countTokens, chunking);
}

serveRequests<EmbeddingRequest>(async (request) => {
  switch (request.type) {
    case 'load':
      return (await load(request)).info;
    case 'embed':
      return embed(request, request.texts);
    case 'chunk':
      return chunk(request);
  }
});
