// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, one file, as
// sandboxed preloads require) into dist-electron/. Native and model packages stay external:
// electron-builder ships them unpacked from the asar.
import { build } from 'esbuild';

const external = [
  'electron',
  'better-sqlite3-multiple-ciphers',
  'better-sqlite3',
  '@lancedb/lancedb',
  'apache-arrow',
  '@huggingface/transformers',
  'onnxruntime-node',
  'sharp',
  'pdfjs-dist',
];

const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

await build({ ...nodeBundle, entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.mjs' });
// The embedding worker thread, found beside main.mjs (electron/knowledge/embedding/embedder.ts).
await build({ ...nodeBundle, entryPoints: ['electron/knowledge/embedding/workerThread.ts'], outfile: 'dist-electron/embeddingWorker.mjs' });
// The reader (parsing) worker thread, kept apart so a read time limit can stop it.
await build({ ...nodeBundle, entryPoints: ['electron/knowledge/embedding/readerThread.ts'], outfile: 'dist-electron/readerWorker.mjs' });

await build({
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
console.log('Built dist-electron/main.mjs, embeddingWorker.mjs, readerWorker.mjs and preload.cjs');
