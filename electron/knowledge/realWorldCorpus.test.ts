import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { createCoreCaller } from '../core/appRouter.js';
import { useTestModels } from './testing/testModels.js';

const corpus = process.env.ARES_FIXTURE_DOCUMENTS ?? join(import.meta.dirname, '../../../shared/fixtures/documents');
const corpusPresent = existsSync(corpus);
if (!corpusPresent) console.warn(`realWorldCorpus.test: skipped, the fixture folder ${corpus} is absent (set ARES_FIXTURE_DOCUMENTS to run it).`);

/** Files that cannot be read, and the reason each must give. */
const expectedFailures: Record<string, RegExp> = {
  'docx/mammoth__empty-zip-renamed.docx': /not a valid Office document/,
  'docx/mammoth__empty.docx': /contains no text/,
  'pdf/pdfminer__contrib__pdf-with-jbig2.pdf': /no text layer/,
  'pdf/pdfminer__encryption__aes-128.pdf': /protected with a password/,
  'pdf/pdfminer__encryption__aes-256-r6.pdf': /protected with a password/,
  'pdf/pdfminer__encryption__rc4-40.pdf': /protected with a password/,
};

/** Text each good file must yield (from EXPECTED_CONTENT_NOTES.json). */
const expectedText: Record<string, string[]> = {
  'pdf/pdfminer__simple1.pdf': ['Hello World'],
  'pdf/pdfminer__jo.pdf': ['わたくしといふ現象は'],
  'pdf/pdfminer__contrib__issue_566_test_2.pdf': ['中国饮料有限公司'],
  'pdf/pdfminer__zen_of_python_corrupted.pdf': ['Beautiful is better than ugly.'],
  'pdf/pdfminer__encryption__base.pdf': ['Secret!'],
  'pdf/pdfminer__nonfree__dmca.pdf': ['Copyright Office Summary'],
  'pdf/pdfminer__nonfree__f1040nr.pdf': ['U.S. Nonresident Alien Income Tax Return'],
  'pdf/pdfminer__contrib__issue-00369-excel.pdf': ['4 5 6'],
  'pdf/pdfminer__contrib__issue-449-vertical.pdf': ['Vertical'],
  'docx/mammoth__utf8-bom.docx': ['This XML has a byte order mark.'],
  'docx/mammoth__simple-list.docx': ['Apple', 'Banana'],
  'docx/mammoth__tables.docx': ['Above', 'Top left', 'Bottom right', 'Below'],
  'docx/mammoth__footnotes.docx': ['Ouch', 'A tachyon walks into a bar.'],
  'docx/mammoth__strict-format.docx': ['Test'],
  'docx/openxmlsdk__complex0.docx': ['Word Complex Document'],
  'docx/openxmlsdk__bullet-complex.docx': ['Geneva Declaration on the Future of the World Intellectual Property Organization'],
  'docx/openxmlsdk__sdtContent.docx': ['This is an SdtBlock.', 'This is an SdtCell.'],
  'docx/openxmlsdk__columns1.docx': ['哈巴谷书导论'],
  'html/magento_cms__customer-service.fragment.html': ['Luma Delivery and Returns'],
  'xlsx/openxmlsdk__PerformanceEng.xlsx': ['Steve'],
  'xlsx/openxmlsdk__PerformanceArabic.xlsx': ['احمد'],
  'xlsx/openxmlsdk__malformed_uri.xlsx': ['mailto:one@'],
  'catalog/magento__CatalogSampleData__products_gear_bags.csv': ['Joust Duffle Bag', '24-MB01'],
  'catalog/DERIVED__magento_luma_gear_catalog.json': ['Joust Duffle Bag'],
  'catalog/DERIVED__magento_luma_gear_catalog.xlsx': ['Joust Duffle Bag'],
};

describe.skipIf(!corpusPresent)('real-world documents (shared/fixtures/documents)', () => {
  let dataDirectory: string;
  let core: AresCore;
  let caller: ReturnType<typeof createCoreCaller>;

  beforeAll(async () => {
    useTestModels();
    dataDirectory = await mkdtemp(join(tmpdir(), 'ares-corpus-'));
    core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
    await core.createTenant('Corpus', 'correct horse battery staple');
    caller = createCoreCaller({ core });
  });

  afterAll(async () => {
    await core?.dispose();
    if (dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
  });

  it('imports every good file with sensible text and fails every bad one clearly without touching the store', async () => {
    const entries = await readdir(corpus, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile() && /\.(pdf|docx|html|csv|xlsx|json)$/.test(entry.name) && entry.name !== 'EXPECTED_CONTENT_NOTES.json')
      .map((entry) => relative(corpus, join(entry.parentPath, entry.name)))
      .sort();
    expect(files.length).toBeGreaterThan(40);
    for (const name of files) {
      const before = await caller.knowledge.sources();
      const result = await caller.knowledge.importFile({ name, contentBase64: (await readFile(join(corpus, name))).toString('base64') });
      const failure = expectedFailures[name];
      if (failure) {
        expect(result.status, name).toBe('failed');
        expect(result.errorCode, name).toBe('FILE_UNREADABLE');
        expect(result.errorMessage, name).toMatch(failure);
        expect(await caller.knowledge.sources(), name).toEqual(before);
        continue;
      }
      expect(result, `${name}: ${result.errorMessage}`).toMatchObject({ status: 'done' });
      expect(result.chunkCount, name).toBeGreaterThan(0);
      const { chunks } = await caller.knowledge.sourceDetail({ sourceId: result.sourceId! });
      const text = chunks.map((chunk) => chunk.text).join('\n');
      for (const expected of expectedText[name] ?? []) expect(text, name).toContain(expected);
    }
    // The text box is in the DOCX twice (a choice and its fallback) but must be read once.
    const textBox = (await caller.knowledge.sources()).find((source) => source.name === 'docx/mammoth__text-box.docx')!;
    const { chunks } = await caller.knowledge.sourceDetail({ sourceId: textBox.id });
    expect(chunks.map((chunk) => chunk.text).join('\n').match(/Datum plane/g)).toHaveLength(1);
    // Pages are cited: the 50-page IRS instructions keep their page numbers.
    const hits = await caller.knowledge.search({ query: 'Nonresident Alien Income Tax Return', fileTypes: ['pdf'], limit: 5 });
    expect(hits.some((hit) => hit.location.page !== undefined)).toBe(true);
    expect((await caller.knowledge.search({ query: '24-MB01', limit: 1 }))[0]?.text).toContain('Joust Duffle Bag');
  }, 600_000);
});
