import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModels, tinyModelId } from '../testing/testModels.js';
import { disposeEmbedders, Embedder } from './embedder.js';
import { downloadModel, type ModelManifest } from './modelDownloader.js';
import { isModelInstalled, modelWeights } from './modelLocator.js';

const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

describe('model downloader', () => {
  let server: Server;
  let baseUrl: string;
  let manifest: ModelManifest;
  let target: string;

  beforeAll(async () => {
    const source = join(ensureTestModels(), ...tinyModelId.split('/'));
    // A local "model hub" serving the generated model, with content lengths like a real one.
    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/model\//, '');
      if (!files.includes(path)) return void response.writeHead(404).end();
      void readFile(join(source, path)).then((content) => response.writeHead(200, { 'Content-Length': content.length }).end(content));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model`;
    manifest = {
      modelId: 'downloaded/tiny-bert',
      baseUrl,
      files: await Promise.all(files.map(async (path) => ({ path, sha256: createHash('sha256').update(await readFile(join(source, path))).digest('hex') }))),
    };
    target = await mkdtemp(join(tmpdir(), 'ares-models-'));
  });

  afterAll(async () => {
    // One embedding worker serves every test: onnxruntime's native module loads once per process.
    await disposeEmbedders();
    server.close();
    await rm(target, { recursive: true, force: true });
  });

  it('downloads a model with progress, verifies it, and the embedder loads it offline', async () => {
    const progress: number[] = [];
    let total = 0;
    await downloadModel(manifest, target, (event) => {
      progress.push(event.receivedBytes);
      total = event.totalBytes;
    });
    expect(isModelInstalled(target, 'downloaded/tiny-bert')).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(total);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const embedder = new Embedder(target, 'downloaded/tiny-bert');
    expect((await embedder.info()).dimension).toBe(64);
    const [vector] = await embedder.embed(['where is my parcel']);
    expect(vector).toHaveLength(64);
  });

  it('loads the int8 weights when a folder has them, and versions vectors by that file', async () => {
    const folder = join(target, 'local', 'tiny-int8');
    await cp(join(ensureTestModels(), ...tinyModelId.split('/')), folder, { recursive: true });
    const weights = await readFile(join(folder, 'onnx', 'model.onnx'));
    await writeFile(join(folder, 'onnx', 'model_quantized.onnx'), weights);
    // Loading succeeds only if the int8 file is the one read.
    await writeFile(join(folder, 'onnx', 'model.onnx'), 'not an ONNX model');
    expect(modelWeights(target, 'local/tiny-int8')).toEqual({ file: join(folder, 'onnx', 'model_quantized.onnx'), dtype: 'q8' });
    const embedder = new Embedder(target, 'local/tiny-int8');
    expect((await embedder.info()).version).toBe(createHash('sha256').update(weights).digest('hex').slice(0, 16));
    const [vector] = await embedder.embed(['where is my parcel']);
    expect(vector).toHaveLength(64);
    await rm(join(folder, 'onnx', 'model_quantized.onnx'));
    expect(modelWeights(target, 'local/tiny-int8')?.dtype).toBe('fp32');
    await rm(join(folder, 'onnx', 'model.onnx'));
    expect(modelWeights(target, 'local/tiny-int8')).toBeNull();
    expect(isModelInstalled(target, 'local/tiny-int8')).toBe(false);
  });

  it('refuses a file whose checksum does not match and leaves nothing installed', async () => {
    const tampered: ModelManifest = {
      ...manifest,
      modelId: 'downloaded/tampered',
      files: manifest.files.map((file) => (file.path === 'onnx/model.onnx' ? { ...file, sha256: '0'.repeat(64) } : file)),
    };
    await expect(downloadModel(tampered, target)).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    expect(existsSync(join(target, 'downloaded', 'tampered'))).toBe(false);
    expect((await readdir(target)).filter((name) => name.startsWith('.download-'))).toEqual([]);
  });

  it('reports a missing file on the server', async () => {
    const missing: ModelManifest = { ...manifest, modelId: 'downloaded/missing', files: [{ path: 'nothing.json' }] };
    await expect(downloadModel(missing, target)).rejects.toMatchObject({ code: 'MODEL_NOT_INSTALLED' });
  });
});
