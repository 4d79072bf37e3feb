import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Cheaper scrypt for tests only: the same code path, a fraction of the memory and time. */
export const testKdfParameters = { N: 2 ** 14, r: 8, p: 1 };

export const strongPassphrase = 'correct horse battery staple';
export const otherStrongPassphrase = 'violet lantern orbit cactus';

export async function temporaryDirectory(prefix = 'ares-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every regular file under `root`, recursively. */
export async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** The files under `root` whose bytes contain `marker` (as UTF-8 or UTF-16LE). */
export async function filesContaining(root: string, marker: string): Promise<string[]> {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  for (const file of await listFiles(root)) {
    if ((await stat(file)).size === 0) continue;
    const bytes = await readFile(file);
    if (needles.some((needle) => bytes.includes(needle))) hits.push(file);
  }
  return hits;
}
