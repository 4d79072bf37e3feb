import { ArchiveReader } from '../archive/archiveReader.js';

/** Every file of an archive as text (or base64 for binaries), read through the checking reader. */
export async function readArchiveContents(path: string, backupPassphrase?: string): Promise<Map<string, string>> {
  const reader = await ArchiveReader.open(path, backupPassphrase !== undefined ? { backupPassphrase } : {});
  try {
    const contents = new Map<string, string>();
    for (const file of reader.manifest.files) {
      const chunks: Buffer[] = [];
      for await (const chunk of reader.readFile(file.path)) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      contents.set(file.path, /\.(jsonl|json|csv|txt|md)$/.test(file.path) ? bytes.toString('utf8') : bytes.toString('base64'));
    }
    contents.set('manifest.json', JSON.stringify(reader.manifest));
    return contents;
  } finally {
    await reader.close();
  }
}
