import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the Electron bundles', () => {
  execFileSync(process.execPath, ['scripts/build-electron.mjs']);

  it('keeps the sandboxed preload to one file that requires nothing but electron', () => {
    const preload = readFileSync('dist-electron/preload.cjs', 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
  });

  it('ships the embedding and reader workers beside the main process, where the core looks for them', () => {
    const main = readFileSync('dist-electron/main.mjs', 'utf8');
    expect(main).toContain('embeddingWorker.mjs');
    expect(main).toContain('readerWorker.mjs');
    expect(readFileSync('dist-electron/embeddingWorker.mjs', 'utf8').length).toBeGreaterThan(1000);
  });

  it('keeps onnxruntime out of the reader worker, so stopping it at a read time limit cannot break embedding', () => {
    const reader = readFileSync('dist-electron/readerWorker.mjs', 'utf8');
    expect(reader.length).toBeGreaterThan(1000);
    expect(reader).not.toMatch(/onnxruntime|@huggingface\/transformers/);
  });
});
