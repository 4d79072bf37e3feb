import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AresError } from '../../../shared/errors.js';

export interface ModelFile {
  path: string;
  /** Expected SHA-256 (hex). Without one, the server's X-Linked-Etag (the Hub's LFS hash) is checked when sent. */
  sha256?: string;
}

export interface ModelManifest {
  modelId: string;
  /** Files are fetched from `${baseUrl}/${path}`. */
  baseUrl: string;
  files: ModelFile[];
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number;
  file: string;
}

/** Models the app knows how to fetch: only the files transformers.js loads for int8 CPU inference (see modelWeights). */
export function knownModelManifests(): ModelManifest[] {
  const hub = process.env.ARES_MODEL_HUB_URL ?? 'https://huggingface.co';
  const files = (modelId: string, revision = 'main') => ({
    modelId,
    baseUrl: `${hub}/${modelId}/resolve/${revision}`,
    files: [{ path: 'config.json' }, { path: 'tokenizer.json' }, { path: 'tokenizer_config.json' }, { path: 'onnx/model_quantized.onnx' }],
  });
  return [files('Xenova/all-MiniLM-L6-v2'), files('Xenova/bge-small-en-v1.5'), files('Xenova/paraphrase-multilingual-MiniLM-L12-v2')];
}

/**
 * Downloads every file of a model into `${modelsRoot}/${modelId}`, verifying each SHA-256 while it
 * streams. Files land in a temporary folder that is moved into place only when all of them check
 * out, so a failed or tampered download never leaves a half-installed model behind.
 */
export async function downloadModel(manifest: ModelManifest, modelsRoot: string, onProgress: (progress: DownloadProgress) => void = () => undefined, signal?: AbortSignal): Promise<string> {
  const target = join(modelsRoot, ...manifest.modelId.split('/'));
  const staging = join(modelsRoot, `.download-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    const responses: { file: ModelFile; response: Response }[] = [];
    let totalBytes = 0;
    for (const file of manifest.files) {
      const response = await fetch(`${manifest.baseUrl}/${file.path}`, signal ? { signal } : {}).catch((error: unknown) => {
        throw new AresError('RELAY_UNREACHABLE', `The model server could not be reached (${error instanceof Error ? error.message : error}).`);
      });
      if (!response.ok || !response.body) throw new AresError('MODEL_NOT_INSTALLED', `Downloading ${file.path} of "${manifest.modelId}" failed (HTTP ${response.status}).`);
      totalBytes += Number(response.headers.get('content-length') ?? 0);
      responses.push({ file, response });
    }
    let receivedBytes = 0;
    for (const { file, response } of responses) {
      const destination = join(staging, file.path);
      await mkdir(dirname(destination), { recursive: true });
      const hash = createHash('sha256');
      const output = createWriteStream(destination);
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        receivedBytes += value.byteLength;
        if (!output.write(value)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
        onProgress({ receivedBytes, totalBytes, file: file.path });
      }
      await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const actual = hash.digest('hex');
      const expected = file.sha256 ?? response.headers.get('x-linked-etag')?.replace(/"/g, '');
      if (expected && /^[0-9a-f]{64}$/i.test(expected) && expected.toLowerCase() !== actual) {
        throw new AresError('MODEL_CHECKSUM_MISMATCH', `${file.path} of "${manifest.modelId}" does not match its checksum (expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…).`);
      }
    }
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
