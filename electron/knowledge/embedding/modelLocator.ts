import { existsSync } from 'node:fs';
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

export function isModelInstalled(root: string, modelId: string): boolean {
  const folder = join(root, ...modelId.split('/'));
  return ['config.json', 'tokenizer.json', join('onnx', 'model.onnx')].every((file) => existsSync(join(folder, file)));
}

/** The models root that holds `modelId`, or null when it is installed nowhere. */
export function findModelRoot(dataDirectory: string, modelId: string): string | null {
  return modelFolders(dataDirectory).find((root) => isModelInstalled(root, modelId)) ?? null;
}
