import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestModels } from './testing/testModels.js';
import { useUnlockedTenant } from './testing/unlockedTenant.js';

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

const faq = `# Shipping

## Delivery times
Orders leave our warehouse within two business days. Standard delivery takes three to five days.

## International orders
We ship to most countries in Europe. Customs fees are paid by the customer.

# Returns

## Refund policy
You can send back any unused item within 30 days and we pay your money back to the original card.
`;

const catalog = `sku,name,price,qty,description
24-MB01,Joust Duffle Bag,34.00,100,"<p>A sporty bag for the gym.</p>"
24-MB04,Strive Shoulder Pack,32.00,12,Compact pack with a padded strap.
`;

async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('knowledge base', () => {
  const tenant = useUnlockedTenant();

  beforeAll(() => useTestModels());

  it('imports a Markdown FAQ and finds an answer phrased differently, citing its heading', async () => {
    const result = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    expect(result.status).toBe('done');
    expect(result.chunkCount).toBeGreaterThan(0);
    const hits = await tenant.caller.knowledge.search({ query: 'how many days do I have to return an item for a refund?', limit: 3 });
    const answer = hits.slice(0, 3).find((hit) => hit.text.includes('30 days'));
    expect(answer?.location.headingPath).toEqual(['Returns', 'Refund policy']);
    expect(answer?.sourceName).toBe('faq.md');
    expect(answer?.matchedTerms).toContain('refund');
  });

  it('turns a CSV catalog into products and ranks an exact SKU first', async () => {
    const result = await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    expect(result).toMatchObject({ status: 'done', productCount: 2 });
    const { products } = await tenant.caller.knowledge.products({ sortBy: 'price' });
    expect(products.map((product) => product.sku)).toEqual(['24-MB04', '24-MB01']);
    expect(products[1]).toMatchObject({ name: 'Joust Duffle Bag', price: 34, stock: 100, description: 'A sporty bag for the gym.' });
    const hits = await tenant.caller.knowledge.search({ query: '24-mb04', limit: 5 });
    expect(hits[0]?.text).toContain('Strive Shoulder Pack');
    expect(hits[0]?.matchedBy[0]).toBe('sku');
    expect(hits[0]?.location.row).toBe(2);
  });

  it('pins the product a SKU identifies ahead of reviews that repeat the SKU', async () => {
    await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    const reviews = 'sku,name,review\n24-MB04,Too small,The 24-MB04 pack is too small\n24-MB04,Great,I use the 24-MB04 pack daily\n';
    const { sourceId: reviewsId } = await tenant.caller.knowledge.importFile({ name: 'reviews.csv', contentBase64: base64(reviews) });
    const hits = await tenant.caller.knowledge.search({ query: '24-MB04', limit: 5 });
    expect(hits[0]?.text).toContain('Strive Shoulder Pack');
    expect(hits[0]?.matchedBy[0]).toBe('sku');
    const reviewHits = hits.filter((hit) => hit.sourceName === 'reviews.csv');
    expect(reviewHits.length).toBeGreaterThan(0);
    expect(reviewHits.every((hit) => !hit.matchedBy.includes('sku'))).toBe(true);
    // The pinned product lies outside this filter: the one answer comes from the reviews instead.
    const onlyReviews = await tenant.caller.knowledge.search({ query: '24-MB04', limit: 1, sourceIds: [reviewsId!] });
    expect(onlyReviews.map((hit) => hit.sourceName)).toEqual(['reviews.csv']);
  });

  it('ranks a quoted phrase first and filters by file type', async () => {
    await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    await tenant.caller.knowledge.importFile({ name: 'notes.txt', contentBase64: base64('Customs fees are never refunded. Paid by the customer at the door.') });
    const phrase = await tenant.caller.knowledge.search({ query: '"paid by the customer at the door"' });
    expect(phrase[0]?.sourceName).toBe('notes.txt');
    expect(phrase[0]?.matchedBy).toContain('phrase');
    const onlyMarkdown = await tenant.caller.knowledge.search({ query: 'customs fees', fileTypes: ['markdown'] });
    expect(onlyMarkdown.length).toBeGreaterThan(0);
    expect(onlyMarkdown.every((hit) => hit.fileType === 'markdown')).toBe(true);
  });

  it('does nothing when an unchanged file is imported again, and replaces the chunks of a changed one', async () => {
    const first = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    const again = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    expect(again).toMatchObject({ status: 'unchanged', sourceId: first.sourceId });
    const changed = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq.replace('30 days', '60 days')) });
    expect(changed).toMatchObject({ status: 'done', sourceId: first.sourceId });
    const hits = await tenant.caller.knowledge.search({ query: 'refund policy days' });
    expect(hits.some((hit) => hit.text.includes('60 days'))).toBe(true);
    expect(hits.some((hit) => hit.text.includes('30 days'))).toBe(false);
    expect(await tenant.caller.knowledge.sources()).toHaveLength(1);
  });

  it('deletes a source from the store and the index', async () => {
    const { sourceId } = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    await tenant.caller.knowledge.deleteSource({ sourceId: sourceId! });
    expect(await tenant.caller.knowledge.sources()).toEqual([]);
    expect(await tenant.caller.knowledge.search({ query: 'refund' })).toEqual([]);
  });

  it('fails bad files one by one with precise reasons and leaves the store as it was', async () => {
    await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    const before = await tenant.caller.knowledge.sources();
    const unsupported = await tenant.caller.knowledge.importFile({ name: 'photo.png', contentBase64: base64('not really') });
    expect(unsupported).toMatchObject({ status: 'failed', errorCode: 'UNSUPPORTED_FILE_TYPE' });
    expect(unsupported.errorMessage).toContain('.png');
    const fakePdf = await tenant.caller.knowledge.importFile({ name: 'manual.pdf', contentBase64: base64('hello') });
    expect(fakePdf).toMatchObject({ status: 'failed', errorCode: 'FILE_UNREADABLE' });
    const fakeDocx = await tenant.caller.knowledge.importFile({ name: 'letter.docx', contentBase64: base64('plain words') });
    expect(fakeDocx).toMatchObject({ status: 'failed', errorCode: 'FILE_UNREADABLE' });
    const brokenJson = await tenant.caller.knowledge.importFile({ name: 'catalog.json', contentBase64: base64('{"products": [') });
    expect(brokenJson).toMatchObject({ status: 'failed', errorCode: 'FILE_UNREADABLE' });
    expect(brokenJson.errorMessage).toMatch(/not valid JSON/);
    expect(await tenant.caller.knowledge.sources()).toEqual(before);
  });

  it('refuses a file over the configured size limit', async () => {
    process.env.ARES_KNOWLEDGE_MAX_FILE_MB = '1';
    try {
      const big = await tenant.caller.knowledge.importFile({ name: 'big.txt', contentBase64: base64(Buffer.alloc(1.5 * 1024 * 1024, 'a')) });
      expect(big).toMatchObject({ status: 'failed', errorCode: 'FILE_TOO_LARGE' });
      expect(big.errorMessage).toContain('1.0 MB');
    } finally {
      delete process.env.ARES_KNOWLEDGE_MAX_FILE_MB;
    }
  });

  it('detects Latin-1 and UTF-16 text', async () => {
    const latin1 = Buffer.from('Café crème brûlée: délicieux à Noël, très français', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Übergröße Lieferung möglich', 'utf16le')]);
    await tenant.caller.knowledge.importFile({ name: 'menu.txt', contentBase64: base64(latin1) });
    await tenant.caller.knowledge.importFile({ name: 'sizes.txt', contentBase64: base64(utf16) });
    expect((await tenant.caller.knowledge.search({ query: 'crème brûlée' }))[0]?.text).toContain('Café crème brûlée');
    expect((await tenant.caller.knowledge.search({ query: 'Übergröße' }))[0]?.text).toContain('Übergröße Lieferung');
  });

  it('never writes chunk text to disk: a unique marker is found in no file under the data folder', async () => {
    const marker = `zebracorn${Date.now()}marker`;
    const html = `<html><body><h1>Secrets</h1><p>The door code is ${marker} and must stay private.</p></body></html>`;
    const result = await tenant.caller.knowledge.importFile({ name: 'secret.html', contentBase64: base64(html) });
    expect(result.status).toBe('done');
    expect((await tenant.caller.knowledge.search({ query: marker }))[0]?.text).toContain(marker);
    await tenant.core.lock();
    const files = await allFiles(tenant.dataDirectory);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      if ((await stat(file)).size > 200 * 1024 * 1024) continue;
      const content = await readFile(file);
      expect(content.includes(marker), file).toBe(false);
      expect(content.includes(Buffer.from(marker, 'utf16le')), file).toBe(false);
    }
    // Neither transformers.js nor LanceDB created a cache or index folder in the working directory.
    const workingDirectoryFiles = await readdir(process.cwd());
    expect(workingDirectoryFiles).not.toContain('.lancedb');
  });

  it('reports import progress per file and can cancel a batch', async () => {
    const job = await tenant.caller.knowledge.createImport({ files: [{ name: 'faq.md', sizeBytes: faq.length }, { name: 'b.txt', sizeBytes: 5 }, { name: 'c.txt', sizeBytes: 5 }] });
    const seen: string[] = [];
    const progress = await tenant.caller.knowledge.importProgress({ jobId: job.jobId });
    const watching = (async () => {
      for await (const state of progress) {
        seen.push(state.files.map((file) => file.status).join(','));
        if (state.finished) break;
      }
    })();
    const first = await tenant.caller.knowledge.uploadImportFile({ jobId: job.jobId, fileIndex: 0, contentBase64: base64(faq) });
    expect(first.status).toBe('done');
    await tenant.caller.knowledge.cancelImport({ jobId: job.jobId });
    await watching;
    expect(seen[0]).toBe('queued,queued,queued');
    expect(seen).toContain('reading,queued,queued');
    expect(seen.at(-1)).toBe('done,cancelled,cancelled');
  });

  it('keeps the model that made each vector and reports it', async () => {
    await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    const status = await tenant.caller.knowledge.modelStatus();
    expect(status).toMatchObject({ modelId: 'ares-test/tiny-bert', installed: true, dimension: 64 });
    expect(status.version).toMatch(/^[0-9a-f]{16}$/);
    expect((await tenant.caller.knowledge.sources())[0]?.status).toBe('ready');
  });

  it('reports a missing model clearly', async () => {
    await tenant.caller.knowledge.setModel({ modelId: 'nobody/missing-model' });
    const result = await tenant.caller.knowledge.importFile({ name: 'faq.md', contentBase64: base64(faq) });
    expect(result).toMatchObject({ status: 'failed', errorCode: 'MODEL_NOT_INSTALLED' });
    expect((await tenant.caller.knowledge.modelStatus()).installed).toBe(false);
  });
});
