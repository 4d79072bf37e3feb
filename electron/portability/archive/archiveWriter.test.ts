import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveWriter } from './archiveWriter.js';

describe('ArchiveWriter', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ares-archive-writer-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps no file it has written: an export of 1,000 document originals holds one at a time, not all of them', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const writer = await ArchiveWriter.create(join(folder, 'out.zip'), { createdAt: new Date(0) });
    const written: WeakRef<Buffer>[] = [];
    for (let index = 0; index < 12; index += 1) {
      const original = Buffer.alloc(1_048_576, index);
      written.push(new WeakRef(original));
      await writer.addFile(`originals/${index}.pdf`, [original], { section: 'knowledge', mediaType: 'application/pdf', compress: false });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    collectGarbage();
    // Before the archive ends, the files already written are gone from memory (a few may still be
    // in the file stream's buffers).
    expect(written.filter((reference) => reference.deref() !== undefined).length).toBeLessThanOrEqual(3);
    await writer.finish('manifest.json', Buffer.from('{}'));
  });
});
