import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The model a tenant gets until it picks another. ARES_EMBEDDING_MODEL overrides it (tests use a generated one). */
export function defaultModelId(): string {
  return process.env.ARES_EMBEDDING_MODEL ?? 'Xenova/all-MiniLM-L6-v2';
}

/** Where downloaded models go: inside the data folder, beside the tenants (models hold no tenant data). */
export function downloadedModelsFolder(dataDirectory: string): string {
  return join(dataDirectory, 'models');
}

function bundledModelsFolder(): string {
  const electronResources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (electronResources && existsSync(join(electronResources, 'models'))) return join(electronResources, 'models');
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../resources/models');
}

/** Folders searched in order: ARES_MODELS_DIR, then downloads, then the models bundled with the app. */
export function modelFolders(dataDirectory: string): string[] {
  const folders = [downloadedModelsFolder(dataDirectory), bundledModelsFolder()];
  if (process.env.ARES_MODELS_DIR) folders.unshift(resolve(process.env.ARES_MODELS_DIR));
  return folders;
}

/** The ONNX weights of a model folder and how transformers.js loads them. */
export interface ModelWeights {
  file: string;
  dtype: 'q8' | 'fp32';
}

/**
 * Int8 weights (`onnx/model_quantized.onnx`) when the folder has them, else fp32 (`onnx/model.onnx`).
 * On a CPU the int8 model embeds a query about twice as fast (bench/README.md), for vectors
 * within rounding of the fp32 ones; a folder with both uses the int8 file.
 */
export function modelWeights(root: string, modelId: string): ModelWeights | null {
  const onnxFolder = join(root, ...modelId.split('/'), 'onnx');
  if (existsSync(join(onnxFolder, 'model_quantized.onnx'))) return { file: join(onnxFolder, 'model_quantized.onnx'), dtype: 'q8' };
  if (existsSync(join(onnxFolder, 'model.onnx'))) return { file: join(onnxFolder, 'model.onnx'), dtype: 'fp32' };
  return null;
}

export function isModelInstalled(root: string, modelId: string): boolean {
  const folder = join(root, ...modelId.split('/'));
  return ['config.json', 'tokenizer.json'].every((file) => existsSync(join(folder, file))) && modelWeights(root, modelId) !== null;
}

/** The models root that holds `modelId`, or null when it is installed nowhere. */
export function findModelRoot(dataDirectory: string, modelId: string): string | null {
  return modelFolders(dataDirectory).find((root) => isModelInstalled(root, modelId)) ?? null;
}

/** Every model installed in the model folders, with the first folder that holds it (the one that is used). */
export function installedModels(dataDirectory: string): { modelId: string; origin: 'configured' | 'downloaded' | 'bundled' }[] {
  const downloads = downloadedModelsFolder(dataDirectory);
  const found = new Map<string, 'configured' | 'downloaded' | 'bundled'>();
  for (const root of modelFolders(dataDirectory)) {
    const origin = root === downloads ? 'downloaded' : process.env.ARES_MODELS_DIR && root === resolve(process.env.ARES_MODELS_DIR) ? 'configured' : 'bundled';
    const owners = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')) : [];
    for (const owner of owners) {
      for (const model of readdirSync(join(root, owner.name), { withFileTypes: true })) {
        const modelId = `${owner.name}/${model.name}`;
        if (model.isDirectory() && !found.has(modelId) && isModelInstalled(root, modelId)) found.set(modelId, origin);
      }
    }
  }
  return [...found].map(([modelId, origin]) => ({ modelId, origin }));
}
