import { EventEmitter, on } from 'node:events';
import { AresError } from '../../shared/errors.js';
import type { AvailableModel, ImportJobState, ModelStatus } from '../../shared/schemas/knowledge.js';
import {
  createImportInput,
  importFileInput,
  importJobInput,
  productsInput,
  remapCatalogInput,
  searchInput,
  setModelInput,
  sourceIdInput,
  uploadImportFileInput,
} from '../../shared/schemas/knowledge.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { previewCatalog, remapCatalog } from './catalogMappings.js';
import { modelDownloads } from './embedding/modelDownloads.js';
import { installedModels } from './embedding/modelLocator.js';
import { knowledgeOf } from './knowledgeService.js';

function decodeBase64(contentBase64: string): Uint8Array {
  return Buffer.from(contentBase64, 'base64');
}

const knowledgeProcedure = tenantProcedure.use(({ ctx, next }) =>
  next({ ctx: { knowledge: knowledgeOf(ctx.session, ctx.core.vault.dataDirectory), dataDirectory: ctx.core.vault.dataDirectory } }),
);

export const knowledgeRouter = router({
  sources: knowledgeProcedure.query(async ({ ctx }) => {
    // The screen that lists sources is where search comes next: start building the index now.
    ctx.knowledge.warm();
    const built = await ctx.knowledge.modelStatus().catch(() => null);
    const model = built && built.dimension !== null && built.version !== null ? { modelId: built.modelId, dimension: built.dimension, version: built.version, maximumTokens: 0 } : null;
    return ctx.knowledge.store.summaries(model);
  }),

  sourceDetail: knowledgeProcedure.input(sourceIdInput).query(({ ctx, input }) => {
    const source = ctx.knowledge.store.source(input.sourceId);
    if (!source) throw new AresError('NOT_FOUND', 'That source does not exist.');
    const { contentHash: _hash, ...summary } = source;
    return { source: summary, chunks: ctx.knowledge.store.sourceChunks(input.sourceId) };
  }),

  deleteSource: knowledgeProcedure.input(sourceIdInput).mutation(async ({ ctx, input }) => {
    await ctx.knowledge.deleteSource(input.sourceId);
  }),

  /** One file in one call (the CLI): resolves with its result. */
  importFile: knowledgeProcedure.input(importFileInput).mutation(({ ctx, input }) =>
    ctx.knowledge.importFile({ name: input.name, bytes: decodeBase64(input.contentBase64), ...(input.mapping ? { mapping: input.mapping } : {}) }),
  ),

  /** A batch from the UI: list the files first, then upload them one by one while watching `importProgress`. */
  createImport: knowledgeProcedure.input(createImportInput).mutation(({ ctx, input }) => ctx.knowledge.jobs.create(input.files)),

  uploadImportFile: knowledgeProcedure.input(uploadImportFileInput).mutation(({ ctx, input }) =>
    ctx.knowledge.jobs.upload(input.jobId, input.fileIndex, decodeBase64(input.contentBase64)),
  ),

  cancelImport: knowledgeProcedure.input(importJobInput).mutation(({ ctx, input }) => ctx.knowledge.jobs.cancel(input.jobId)),

  importProgress: knowledgeProcedure.input(importJobInput).subscription(async function* ({ ctx, input, signal }) {
    const relay = new EventEmitter();
    const stop = ctx.knowledge.jobs.subscribe(input.jobId, (state) => relay.emit('state', state));
    try {
      let state = ctx.knowledge.jobs.snapshot(input.jobId);
      yield state;
      if (state.finished) return;
      for await (const [next] of on(relay, 'state', signal ? { signal } : {})) {
        state = next as ImportJobState;
        yield state;
        if (state.finished) return;
      }
    } finally {
      stop();
    }
  }),

  search: knowledgeProcedure.input(searchInput).query(({ ctx, input }) => ctx.knowledge.search(input)),

  products: knowledgeProcedure.input(productsInput).query(({ ctx, input }) => ctx.knowledge.store.products(input)),

  /** A catalog's columns, the mapping in use (guessed or confirmed) and its first rows. */
  catalogPreview: knowledgeProcedure.input(sourceIdInput).query(({ ctx, input }) => previewCatalog(ctx.knowledge, input.sourceId)),

  /** Confirms a catalog's mapping, or changes it and re-indexes the catalog. */
  remapCatalog: knowledgeProcedure.input(remapCatalogInput).mutation(({ ctx, input }) => remapCatalog(ctx.knowledge, input.sourceId, input.mapping)),

  /** Models in the model folders (configured, downloaded, bundled) and in the download catalog. */
  availableModels: knowledgeProcedure.query(({ ctx }): AvailableModel[] => {
    const current = ctx.knowledge.modelId();
    const downloads = modelDownloads(ctx.dataDirectory);
    const installed = new Map(installedModels(ctx.dataDirectory).map((model) => [model.modelId, model.origin]));
    const ids = [...new Set([current, ...installed.keys(), ...downloads.modelIds()])].sort((left, right) => left.localeCompare(right));
    return ids.map((modelId) => ({ modelId, installed: installed.has(modelId), origin: installed.get(modelId) ?? null, downloadable: downloads.knows(modelId), current: modelId === current }));
  }),

  modelStatus: knowledgeProcedure.query(async ({ ctx }): Promise<ModelStatus> => {
    const status = await ctx.knowledge.modelStatus();
    const downloads = modelDownloads(ctx.dataDirectory);
    return { ...status, downloadable: downloads.knows(status.modelId), download: downloads.progress(status.modelId) };
  }),

  setModel: knowledgeProcedure.input(setModelInput).mutation(async ({ ctx, input }) => {
    await ctx.knowledge.setModel(input.modelId);
  }),

  downloadModel: knowledgeProcedure.mutation(async ({ ctx }) => {
    const modelId = ctx.knowledge.modelId();
    await modelDownloads(ctx.dataDirectory).download(modelId);
    await ctx.knowledge.rebuildIndex().catch(() => undefined);
  }),

  reindex: knowledgeProcedure.mutation(async ({ ctx }) => {
    await ctx.knowledge.rebuildIndex();
  }),
});
