import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { readTenantRecords } from '../vault/tenantRecords.js';
import { filesContaining, listFiles, strongPassphrase, temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import yauzl from 'yauzl';
import { exportTenant } from './exportTenant.js';
import { restoreTenant } from './restoreTenant.js';
import { readArchiveContents } from './testing/archiveContents.js';
import { seedTenant } from './testing/seedTenant.js';

const backupPassphrase = 'sealed amber lighthouse meadow';
const seed = { conversations: 12, messagesPerConversation: 4, documents: 3, documentBytes: 5000, products: 7, now: Date.UTC(2025, 0, 10) };

describe('export and restore', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let core: AresCore;
  beforeEach(async () => {
    directory = await temporaryDirectory();
    core = new AresCore({ dataDirectory: join(directory.path, 'data'), kdfParameters: testKdfParameters });
    await core.createTenant('Acme Bikes', strongPassphrase);
    seedTenant(core.requireSession().database, seed);
  });
  afterEach(async () => {
    await core.dispose();
    await directory.remove();
  });

  it('round-trips: export, restore into a new tenant, export again gives the same content', async () => {
    const first = join(directory.path, 'first.zip');
    const progress: number[] = [];
    const exported = await exportTenant(core.requireSession(), { destination: first, onProgress: (p) => progress.push(p.done) });
    expect(exported.counts).toMatchObject({ conversations: 12, messages: 12 * 5, sources: 4, originals: 4, products: 7, chunks: 12, decisions: 24 });
    expect(progress.at(-1)).toBeGreaterThan(0);

    const restored = await restoreTenant(core.vault, { source: first, tenantName: 'Acme Restored', passphrase: strongPassphrase });
    expect(restored.counts).toMatchObject({ conversations: 12, messages: 60, originals: 4, products: 7 });
    await core.unlock('Acme Restored', strongPassphrase);
    const second = join(directory.path, 'second.zip');
    await exportTenant(core.requireSession(), { destination: second });

    const before = await readArchiveContents(first);
    const after = await readArchiveContents(second);
    const comparable = (contents: Map<string, string>) => [...contents.keys()].filter((path) => !['manifest.json', 'README.txt', 'privacy/audit.jsonl'].includes(path)).sort();
    expect(comparable(after)).toEqual(comparable(before));
    for (const path of comparable(before)) expect(after.get(path), path).toBe(before.get(path));
    // The restored tenant's audit trail is the original's plus one "restored" line.
    const lines = (text: string | undefined) => (text ?? '').split('\n').filter((line) => line !== '');
    const auditBefore = lines(before.get('privacy/audit.jsonl'));
    const auditAfter = lines(after.get('privacy/audit.jsonl'));
    expect(auditAfter).toHaveLength(auditBefore.length + 1);
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    expect(JSON.parse(auditAfter.at(-1)!).action).toBe('tenant.restored');
  });

  it('writes an archive that standard tools open: unzip, a CSV parser, sha256 checksums', async () => {
    const destination = join(directory.path, 'acme.zip');
    await exportTenant(core.requireSession(), { destination });
    expect(execFileSync('unzip', ['-t', destination]).toString()).toMatch(/No errors detected/);
    const messagesCsv = execFileSync('unzip', ['-p', destination, 'conversations/messages.csv']).toString('utf8');
    const rows = parseCsv(messagesCsv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(60);
    expect(rows[0]).toHaveProperty('text');
    const products = parseCsv(execFileSync('unzip', ['-p', destination, 'knowledge/products.csv']), { columns: true, bom: true }) as Record<string, string>[];
    expect(products[0]!.name).toBe('Bike, model 0');
    // A cell a spreadsheet would run as a formula is defused in the CSV (the JSON Lines keep it exact).
    expect(products[0]!.description).toBe("'=cmd formula-looking text");
    const manifest = JSON.parse(execFileSync('unzip', ['-p', destination, 'manifest.json']).toString('utf8'));
    const readme = execFileSync('unzip', ['-p', destination, 'README.txt']);
    const readmeEntry = manifest.files.find((file: { path: string }) => file.path === 'README.txt');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(readme).digest('hex')).toBe(readmeEntry.sha256);
    expect(readme.toString()).toContain('conversations/messages.jsonl');
  });

  it('never exports secrets: the model API key and relay tokens stay out', async () => {
    const destination = join(directory.path, 'acme.zip');
    await exportTenant(core.requireSession(), { destination });
    const contents = await readArchiveContents(destination);
    for (const [path, text] of contents) expect(text, path).not.toContain('sk-secret-never-exported');
  });

  it('seals an encrypted backup that holds no plaintext and restores with its passphrase', async () => {
    const destination = join(directory.path, 'acme.aresbackup');
    await exportTenant(core.requireSession(), { destination, backupPassphrase, kdf: testKdfParameters });
    const bytes = await readFile(destination);
    expect(bytes.subarray(0, 8).toString()).toBe('ARESBAK1');
    for (const marker of ['Customer3', 'Returns policy', 'PK\u0003\u0004', 'manifest.json']) expect(bytes.includes(Buffer.from(marker))).toBe(false);
    await expect(restoreTenant(core.vault, { source: destination, tenantName: 'No Passphrase', passphrase: strongPassphrase })).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE_REQUIRED' });
    await expect(
      restoreTenant(core.vault, { source: destination, tenantName: 'Wrong Passphrase', passphrase: strongPassphrase, backupPassphrase: 'not the right words at all' }),
    ).rejects.toMatchObject({ code: 'WRONG_BACKUP_PASSPHRASE' });
    const restored = await restoreTenant(core.vault, { source: destination, tenantName: 'From Backup', passphrase: strongPassphrase, backupPassphrase });
    expect(restored.counts.messages).toBe(60);
    expect((await core.vault.list()).map((tenant) => tenant.name).sort()).toEqual(['Acme Bikes', 'From Backup']);
  });

  it('leaves no plaintext outside the destination while exporting', async () => {
    const destination = join(directory.path, 'out', 'acme.zip');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(directory.path, 'out')));
    await exportTenant(core.requireSession(), { destination });
    const outside = (await filesContaining(directory.path, 'Customer3')).filter((path) => path !== destination);
    expect(outside).toEqual([]);
    expect(await listFiles(join(directory.path, 'out'))).toEqual([destination]);
  });

  it('refuses to overwrite an existing file', async () => {
    const destination = join(directory.path, 'exists.zip');
    await writeFile(destination, 'keep me');
    await expect(exportTenant(core.requireSession(), { destination })).rejects.toMatchObject({ code: 'DESTINATION_EXISTS' });
    expect(await readFile(destination, 'utf8')).toBe('keep me');
  });

  it('removes the partial file when an export is cancelled', async () => {
    const destination = join(directory.path, 'cancelled.zip');
    const controller = new AbortController();
    await expect(
      exportTenant(core.requireSession(), { destination, signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await listFiles(directory.path).then((files) => files.filter((file) => file.includes('cancelled')))).toEqual([]);
  });

  describe('tampering', () => {
    async function expectRejectedAndNothingLeft(source: string, extra: { backupPassphrase?: string } = {}) {
      const tenantsBefore = (await readTenantRecords(core.vault.dataDirectory)).length;
      const foldersBefore = (await listFiles(core.vault.dataDirectory)).length;
      const failure = await restoreTenant(core.vault, { source, tenantName: 'Tampered', passphrase: strongPassphrase, ...extra }).then(
        () => null,
        (error: unknown) => error as { code: string; message: string },
      );
      expect(failure?.code).toMatch(/^ARCHIVE_(DAMAGED|UNSUPPORTED)$/);
      expect((await readTenantRecords(core.vault.dataDirectory)).length).toBe(tenantsBefore);
      expect((await listFiles(core.vault.dataDirectory)).length).toBe(foldersBefore);
      return failure!;
    }

    it('detects a changed byte in any file of a zip and leaves no half-restored tenant', async () => {
      const destination = join(directory.path, 'acme.zip');
      await exportTenant(core.requireSession(), { destination });
      const original = await readFile(destination);
      // Flip one byte in the middle of each non-empty entry's stored data.
      const zip = await yauzl.openPromise(destination, { lazyEntries: true });
      const targets: { path: string; offset: number }[] = [];
      for await (const entry of zip.eachEntry()) {
        if (entry.compressedSize === 0) continue;
        const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        targets.push({ path: entry.fileName, offset: fileDataStart + Math.floor(entry.compressedSize / 2) });
      }
      zip.close();
      expect(targets.map((target) => target.path)).toContain('manifest.json');
      for (const { path, offset } of targets) {
        const tampered = Buffer.from(original);
        tampered[offset] = tampered[offset]! ^ 0x01;
        const tamperedPath = join(directory.path, 'tampered.zip');
        await writeFile(tamperedPath, tampered);
        const failure = await expectRejectedAndNothingLeft(tamperedPath);
        expect(failure.message, path).toMatch(/damaged|changed|checksum|CRC|not valid|manifest/i);
      }
    });

    it('detects a changed, truncated or reordered backup', async () => {
      const destination = join(directory.path, 'acme.aresbackup');
      await exportTenant(core.requireSession(), { destination, backupPassphrase, kdf: testKdfParameters });
      const original = await readFile(destination);
      const size = (await stat(destination)).size;
      const flipped = Buffer.from(original);
      flipped[Math.floor(size / 2)] = flipped[Math.floor(size / 2)]! ^ 0x80;
      await writeFile(join(directory.path, 'flipped'), flipped);
      await expectRejectedAndNothingLeft(join(directory.path, 'flipped'), { backupPassphrase });
      await writeFile(join(directory.path, 'truncated'), original.subarray(0, size - 100));
      await expectRejectedAndNothingLeft(join(directory.path, 'truncated'), { backupPassphrase });
    });

    it('rejects a file that is not an archive with a clear message', async () => {
      const notZip = join(directory.path, 'notes.zip');
      await writeFile(notZip, 'just some text, not a zip');
      const failure = await expectRejectedAndNothingLeft(notZip);
      expect(failure.code).toBe('ARCHIVE_UNSUPPORTED');
    });
  });
});
