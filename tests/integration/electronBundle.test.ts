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

  it('ships the embedding worker beside the main process, where the core looks for it', () => {
    expect(readFileSync('dist-electron/main.mjs', 'utf8')).toContain('embeddingWorker.mjs');
    expect(readFileSync('dist-electron/embeddingWorker.mjs', 'utf8').length).toBeGreaterThan(1000);
  });
});
