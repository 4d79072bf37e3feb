import type { ModelStatus } from '../../../shared/schemas/knowledge.js';
import { AresError } from '../../../shared/errors.js';
import { downloadModel, knownModelManifests, type ModelManifest } from './modelDownloader.js';
import { downloadedModelsFolder } from './modelLocator.js';

type DownloadState = ModelStatus['download'];

/** Downloads in progress for one data folder, so every screen (and tenant) sees the same progress. */
class ModelDownloads {
  readonly #dataDirectory: string;
  readonly #states = new Map<string, DownloadState>();
  readonly #running = new Map<string, Promise<void>>();
  #manifests: () => ModelManifest[];

  constructor(dataDirectory: string, manifests: () => ModelManifest[]) {
    this.#dataDirectory = dataDirectory;
    this.#manifests = manifests;
  }

  /** The ids of every model the download catalog offers. */
  modelIds(): string[] {
    return this.#manifests().map((manifest) => manifest.modelId);
  }

  knows(modelId: string): boolean {
    return this.#manifests().some((manifest) => manifest.modelId === modelId);
  }

  progress(modelId: string): DownloadState {
    return { ...(this.#states.get(modelId) ?? { state: 'idle', receivedBytes: 0, totalBytes: 0 }) };
  }

  /** Starts (or joins) the download of `modelId`; resolves when it is installed. */
  download(modelId: string): Promise<void> {
    const manifest = this.#manifests().find((candidate) => candidate.modelId === modelId);
    if (!manifest) throw new AresError('NOT_FOUND', `No download is known for the model "${modelId}". Copy it into the models folder instead.`);
    let running = this.#running.get(modelId);
    if (!running) {
      this.#states.set(modelId, { state: 'downloading', receivedBytes: 0, totalBytes: 0 });
      running = downloadModel(manifest, downloadedModelsFolder(this.#dataDirectory), (progress) =>
        this.#states.set(modelId, { state: 'downloading', receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes }),
      ).then(
        () => {
          this.#states.set(modelId, { ...this.progress(modelId), state: 'done' });
        },
        (error: unknown) => {
          this.#states.set(modelId, { ...this.progress(modelId), state: 'failed', error: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      );
      running.finally(() => this.#running.delete(modelId)).catch(() => undefined);
      this.#running.set(modelId, running);
    }
    return running;
  }

  /** For tests: fetch from a local server instead of the Hub. */
  useManifests(manifests: () => ModelManifest[]): void {
    this.#manifests = manifests;
  }
}

const byDataDirectory = new Map<string, ModelDownloads>();

export function modelDownloads(dataDirectory: string): ModelDownloads {
  let downloads = byDataDirectory.get(dataDirectory);
  if (!downloads) {
    downloads = new ModelDownloads(dataDirectory, knownModelManifests);
    byDataDirectory.set(dataDirectory, downloads);
  }
  return downloads;
}
