import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModels, tinyModelId, useTestModels } from './testing/testModels.js';
import { testPassphrase, useUnlockedTenant } from './testing/unlockedTenant.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const returns = 'Refunds: you can send back any unused item within 30 days and we pay your money back.';

// Stopping a reader that runs past its time limit must not take the embedding model with it:
// onnxruntime-node cannot be loaded again in this process once its worker thread is terminated.
describe('reading and embedding in separate workers', () => {
  const tenant = useUnlockedTenant();

  beforeAll(() => useTestModels());

  it('fails a file that reads too long, then still imports and finds the next file in the same process', async () => {
    // The model is loaded before the slow read, so a stopped worker would take it down.
    await tenant.caller.knowledge.importFile({ name: 'warm.txt', contentBase64: base64('A first file that loads the model.') });
    process.env.ARES_KNOWLEDGE_MAX_READ_SECONDS = '0.001';
    try {
      await tenant.core.lock();
      await tenant.core.unlock('Test', testPassphrase);
      const slow = await tenant.caller.knowledge.importFile({ name: 'slow.md', contentBase64: base64('# Slow\n\nEvery read takes longer than a millisecond.') });
      expect(slow).toMatchObject({ status: 'failed', errorCode: 'FILE_UNREADABLE' });
      expect(slow.errorMessage).toContain('"slow.md" took longer than');
    } finally {
      delete process.env.ARES_KNOWLEDGE_MAX_READ_SECONDS;
    }
    await tenant.core.lock();
    await tenant.core.unlock('Test', testPassphrase);
    const good = await tenant.caller.knowledge.importFile({ name: 'returns.txt', contentBase64: base64(returns) });
    expect(good.status).toBe('done');
    const hits = await tenant.caller.knowledge.search({ query: 'send back an unused item', limit: 3 });
    expect(hits[0]?.sourceName).toBe('returns.txt');
  });

  it('switches models A to B to A, re-embedding each time, without a crash', async () => {
    // Model B is a copy of the tiny model under another name, installed as a download would be.
    await cp(join(ensureTestModels(), ...tinyModelId.split('/')), join(tenant.dataDirectory, 'models', 'ares-test', 'tiny-bert-copy'), { recursive: true });
    await tenant.caller.knowledge.importFile({ name: 'returns.txt', contentBase64: base64(returns) });
    for (const modelId of ['ares-test/tiny-bert-copy', tinyModelId, 'ares-test/tiny-bert-copy', tinyModelId]) {
      await tenant.caller.knowledge.setModel({ modelId });
      await expect.poll(async () => (await tenant.caller.knowledge.modelStatus()).reembedding.state, { timeout: 20_000 }).toBe('done');
      expect(await tenant.caller.knowledge.modelStatus()).toMatchObject({ modelId, dimension: 64, index: { rows: 1 } });
      const hits = await tenant.caller.knowledge.search({ query: 'unused item within 30 days', limit: 3 });
      expect(hits[0]?.sourceName).toBe('returns.txt');
    }
  });
});
