import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const testModelsRoot = join(repositoryRoot, '.cache', 'models');
export const tinyModelId = 'ares-test/tiny-bert';
export const benchmarkModelId = 'ares-bench/minilm-shaped-random';

/**
 * Generates the project's own models (scripts/generate-models.py, Debian's python3-onnx) into the
 * git-ignored .cache/models when they are missing. Takes about two seconds.
 */
export function ensureTestModels(kinds: ('tiny' | 'minilm')[] = ['tiny']): string {
  // The last file each kind's generator writes: tiny has fp32 weights only, minilm int8 as well.
  const lastFile = (kind: 'tiny' | 'minilm') => (kind === 'tiny' ? join(...tinyModelId.split('/'), 'onnx', 'model.onnx') : join(...benchmarkModelId.split('/'), 'onnx', 'model_quantized.onnx'));
  const missing = kinds.filter((kind) => !existsSync(join(testModelsRoot, lastFile(kind))));
  if (missing.length > 0) {
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    execFileSync(python, [join(repositoryRoot, 'scripts', 'generate-models.py'), testModelsRoot, ...missing], { stdio: 'pipe' });
  }
  return testModelsRoot;
}

/** Points the core at the generated models (what a test process or a web-mode child needs). */
export function useTestModels(): void {
  process.env.ARES_MODELS_DIR = ensureTestModels();
  process.env.ARES_EMBEDDING_MODEL = tinyModelId;
}
